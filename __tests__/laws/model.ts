// Shared vocabulary of the chain laws: the step kinds, their arbitraries, the reference model,
// and drivers that build the same step list on a Deferred or on a native Promise chain.
//
// Every value and error a step produces is tagged with the step's index, so the final result
// names exactly which steps ran and in which order, and errors can be followed by identity.
import fc from "fast-check";
import { Deferred, Failure, fail, succeed } from "../../src/index.js";
import { failureResultOf, successResultOf } from "../../src/testing.js";

/** One step of a chain. `ok` says whether a returned Deferred succeeds or fails. */
export type Step =
  | { kind: "map" } // addCallback: computes a new value from the old one
  | { kind: "throw" } // addCallback: throws a tagged Error
  | { kind: "fail" } // addCallback: returns new Failure(tagged Error)
  | { kind: "fired"; ok: boolean } // addCallback: returns succeed(...) / fail(...)
  // addCallback: returns an unfired Deferred. The test fires it before event `at` (see
  // withPendingFires), or, when `inside` is set, from inside step `inside`'s function when that
  // is called (re-entrantly); if that moment never comes, at the end.
  | { kind: "pending"; ok: boolean; at: number; inside: number | null }
  | { kind: "recover" } // addErrback: returns a value
  | { kind: "rethrow" } // addErrback: throws a different tagged Error
  | { kind: "both" }; // addBoth: returns a value either way

/** A chain's final result: a success value, or the id of the tagged error it failed with. */
export type Outcome = { ok: true; value: string } | { ok: false; id: string };

// ---------------------------------------------------------------------------------------------
// The reference model: a fold over the steps. Deliberately naive: no waiting, no pausing, no
// re-entrancy; a returned Deferred, fired or not, simply *is* its eventual outcome.
// ---------------------------------------------------------------------------------------------
const ok = (value: string): Outcome => ({ ok: true, value });
const err = (id: string): Outcome => ({ ok: false, id });
const show = (r: Outcome): string => (r.ok ? r.value : r.id);

export function model(initial: Outcome, steps: readonly Step[]): { outcome: Outcome; called: boolean[] } {
  let r = initial;
  const called = steps.map((s, i) => {
    const onFailure = s.kind === "recover" || s.kind === "rethrow";
    const runs = s.kind === "both" || onFailure !== r.ok;
    if (!runs) return false;
    if (s.kind === "map") r = ok(`${show(r)}>m${i}`);
    else if (s.kind === "throw") r = err(`t${i}`);
    else if (s.kind === "fail") r = err(`f${i}`);
    else if (s.kind === "fired" || s.kind === "pending") r = (s.ok ? ok : err)(`${s.kind}${i}`);
    else if (s.kind === "recover") r = ok(`r${i}(${show(r)})`);
    else if (s.kind === "rethrow") r = err(`e${i}(${show(r)})`);
    else r = ok(r.ok ? `${r.value}>b${i}` : `b${i}(${r.id})`);
    return true;
  });
  return { outcome: r, called };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------
/** Upper bound of a pending step's firing slot; drivers clamp it to the events they have. */
export const MAX_SLOT = 24;
export const MAX_STEPS = 16;

// Steps that return Deferreds are weighted up: they are where the chain waits, re-enters and
// hands results between Deferreds; the rest are one-liners for the model.
export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: "map" }),
  fc.constant<Step>({ kind: "throw" }),
  fc.constant<Step>({ kind: "fail" }),
  { weight: 2, arbitrary: fc.boolean().map((ok): Step => ({ kind: "fired", ok })) },
  {
    weight: 4,
    arbitrary: fc
      .record({
        ok: fc.boolean(),
        at: fc.nat({ max: MAX_SLOT }),
        inside: fc.option(fc.nat({ max: 8 }), { freq: 3 }),
      })
      .map(({ ok, at, inside }): Step => ({ kind: "pending", ok, at, inside })),
  },
  { weight: 2, arbitrary: fc.constant<Step>({ kind: "recover" }) },
  fc.constant<Step>({ kind: "rethrow" }),
  { weight: 2, arbitrary: fc.constant<Step>({ kind: "both" }) },
);

export const stepsArb: fc.Arbitrary<Step[]> = fc.array(stepArb, { maxLength: MAX_STEPS, size: "medium" });

/**
 * Re-entrant adding: the steps from `from` on are added by step `inside` (< from) from inside
 * its function, while the chain runs it; if it is never called, they are added at the end.
 * Values that do not fit the step list mean "no re-entrant adding".
 */
export type Reentry = { from: number; inside: number } | null;

// Small numbers, so that most reentries fit the (short) generated step lists.
export const reentryArb: fc.Arbitrary<Reentry> = fc.option(
  fc.record({ inside: fc.nat({ max: 6 }), gap: fc.nat({ max: 3 }) }).map(({ inside, gap }) => ({
    inside,
    from: inside + 1 + gap,
  })),
  { freq: 4 },
);

/** The initial firing: `callback("init")` or `errback(tagged "init")`. */
export const initialArb: fc.Arbitrary<Outcome> = fc.boolean().map((b) => (b ? ok("init") : err("init")));

// ---------------------------------------------------------------------------------------------
// Tagged errors and event schedules, shared by both drivers
// ---------------------------------------------------------------------------------------------
export class TaggedError extends Error {
  constructor(readonly id: string) {
    super(id);
    this.name = "TaggedError";
  }
}

/** The tag of a failure's value, or a description that cannot equal any model id. */
export function idOf(reason: unknown): string {
  const v = reason instanceof Failure ? reason.value : reason;
  return v instanceof TaggedError ? v.id : `<not a TaggedError: ${safeString(v)}>`;
}

/** String(v), for any value: fc.anything() makes objects whose toString throws or is not callable. */
function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

const show1 = (v: unknown): string => (typeof v === "string" ? v : `<not a string: ${safeString(v)}>`);

/**
 * Interleaves "fire pending step i" events into `base`: before `base[at]`, or after the last
 * one. Pending steps fired from inside another step (`inside` set) get no event.
 */
export function withPendingFires<E>(base: readonly E[], steps: readonly Step[], firePending: (i: number) => E): E[] {
  const slots: E[][] = base.map(() => []);
  const tail: E[] = [];
  steps.forEach((s, i) => {
    if (s.kind === "pending" && s.inside === null) (s.at < base.length ? slots[s.at]! : tail).push(firePending(i));
  });
  return [...base.flatMap((e, k) => [...slots[k]!, e]), ...tail];
}

/**
 * Events of a chain test: add step i, fire the Deferred under test, fire pending step i,
 * "reenter" (see Reentry), and "flush": what was to happen inside a step that was never called
 * happens now.
 */
export type ChainEvent =
  | { e: "add"; i: number }
  | { e: "fire" }
  | { e: "firePending"; i: number }
  | { e: "reenter"; inside: number; from: number }
  | { e: "flush" };

/** "before": fired before the steps are added; "after": fired once they all are. */
export type Fixture = "before" | "after";
export const FIXTURES: Fixture[] = ["before", "after"];
export const FIXTURE_LABEL: Record<Fixture, string> = {
  before: "fired before the steps were added",
  after: "fired after the steps were added",
};

/**
 * The events of one test. With a reentry, a "reenter" event comes first and the steps it adds
 * get no "add" event. When fired before the steps were added, step `inside` runs as soon as it
 * is added, so it adds all the steps after it (`from` = `inside + 1`): the steps stay in order.
 */
export function chainEvents(fixture: Fixture, steps: readonly Step[], reentry: Reentry = null): ChainEvent[] {
  const r =
    reentry === null || reentry.from >= steps.length
      ? null
      : { inside: reentry.inside, from: fixture === "before" ? reentry.inside + 1 : reentry.from };
  const adds = steps.slice(0, r === null ? steps.length : r.from).map((_, i): ChainEvent => ({ e: "add", i }));
  const base: ChainEvent[] = fixture === "before" ? [{ e: "fire" }, ...adds] : [...adds, { e: "fire" }];
  const events = withPendingFires(base, steps, (i): ChainEvent => ({ e: "firePending", i }));
  return [...(r === null ? [] : [{ e: "reenter", ...r } as const]), ...events, { e: "flush" }];
}

// ---------------------------------------------------------------------------------------------
// Driver: the system under test
// ---------------------------------------------------------------------------------------------
/** What a step returns when it "returns a Deferred": a Deferred, or (for interop laws) a Promise. */
export type Returned = "deferred" | "promise";

export class DeferredRun {
  readonly d = new Deferred<string>();
  /** How many times each step's function was called. */
  readonly calls: number[];
  /** Every error this run created, by id (ids are unique within a run). */
  readonly errors = new Map<string, TaggedError>();
  private readonly pendings: { fire(): void; fired: boolean; value: unknown }[];
  /** What to do from inside step i's function, the first time it is called (or at "flush"). */
  private readonly hooks = new Map<number, (() => void)[]>();

  constructor(
    readonly initial: Outcome,
    readonly steps: readonly Step[],
    readonly returned: Returned = "deferred",
  ) {
    this.calls = steps.map(() => 0);
    this.pendings = steps.map((s, i) => this.makePending(s.kind === "pending" && s.ok, i));
    steps.forEach((s, i) => {
      if (s.kind === "pending" && s.inside !== null) this.hook(s.inside, () => this.firePending(i));
    });
  }

  private hook(i: number, action: () => void): void {
    const list = this.hooks.get(i);
    if (list === undefined) this.hooks.set(i, [action]);
    else list.push(action);
  }

  private runHooks(i: number): void {
    const list = this.hooks.get(i);
    if (list === undefined) return;
    this.hooks.delete(i);
    for (const action of list) action();
  }

  tag(id: string): TaggedError {
    const e = new TaggedError(id);
    this.errors.set(id, e);
    return e;
  }

  get totalCalls(): number {
    return this.calls.reduce((a, b) => a + b, 0);
  }

  private makePending(ok: boolean, i: number): { fire(): void; fired: boolean; value: unknown } {
    if (this.returned === "deferred") {
      const p = new Deferred<string>();
      return {
        value: p,
        fired: false,
        fire: () => (ok ? p.callback(`pending${i}`) : p.errback(this.tag(`pending${i}`))),
      };
    }
    let resolve!: (v: string) => void;
    let reject!: (e: unknown) => void;
    const p = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
    p.catch(() => {}); // a pending step that never runs must not leave an unhandled rejection
    return { value: p, fired: false, fire: () => (ok ? resolve(`pending${i}`) : reject(this.tag(`pending${i}`))) };
  }

  fire(): void {
    if (this.initial.ok) this.d.callback(this.initial.value);
    else this.d.errback(this.tag(this.initial.id));
  }

  /** Fires the Deferred (or Promise) that pending step i returns, unless that was done already. */
  firePending(i: number): void {
    if (this.steps[i]?.kind !== "pending") throw new Error(`step ${i} is not a pending step`);
    const pending = this.pendings[i]!;
    if (pending.fired) return;
    pending.fired = true;
    pending.fire();
  }

  /** Does now whatever was to happen inside steps that have not been called, in step order. */
  flush(): void {
    for (const i of [...this.hooks.keys()].sort((a, b) => a - b)) this.runHooks(i);
  }

  add(i: number): void {
    const s = this.steps[i]!;
    const d = this.d;
    const called = (): void => {
      this.calls[i]!++;
      this.runHooks(i);
    };
    switch (s.kind) {
      case "map":
        d.addCallback((v: string) => (called(), `${show1(v)}>m${i}`));
        return;
      case "throw":
        d.addCallback(() => {
          called();
          throw this.tag(`t${i}`);
        });
        return;
      case "fail":
        d.addCallback(() => (called(), new Failure(this.tag(`f${i}`))));
        return;
      case "fired":
        d.addCallback(() => {
          called();
          if (this.returned === "promise") {
            return s.ok ? Promise.resolve(`fired${i}`) : Promise.reject(this.tag(`fired${i}`));
          }
          return s.ok ? succeed(`fired${i}`) : fail<string>(this.tag(`fired${i}`));
        });
        return;
      case "pending":
        d.addCallback(() => (called(), this.pendings[i]!.value as PromiseLike<string>));
        return;
      case "recover":
        d.addErrback((f) => (called(), `r${i}(${idOf(f)})`));
        return;
      case "rethrow":
        d.addErrback((f) => {
          called();
          throw this.tag(`e${i}(${idOf(f)})`);
        });
        return;
      case "both":
        d.addBoth((r) => (called(), r instanceof Failure ? `b${i}(${idOf(r)})` : `${show1(r)}>b${i}`));
        return;
    }
  }

  run(events: readonly ChainEvent[]): void {
    for (const ev of events) {
      if (ev.e === "add") this.add(ev.i);
      else if (ev.e === "fire") this.fire();
      else if (ev.e === "firePending") this.firePending(ev.i);
      else if (ev.e === "reenter") {
        const { inside, from } = ev;
        this.hook(inside, () => this.steps.forEach((_, i) => i >= from && this.add(i)));
      } else this.flush();
    }
  }

  /** The result the Deferred has now, read with the synchronous testing helpers; null if none. */
  outcomeNow(): Outcome | null {
    try {
      return ok(show1(successResultOf(this.d)));
    } catch {
      // a failure, or no result yet
    }
    try {
      return err(idOf(failureResultOf(this.d)));
    } catch {
      return null;
    }
  }
}

/** Awaits any PromiseLike and tells how it settled. */
export async function settled(p: PromiseLike<unknown>): Promise<{ outcome: Outcome; reason?: unknown }> {
  try {
    return { outcome: ok(show1(await p)) };
  } catch (e) {
    return { outcome: err(idOf(e)), reason: e };
  }
}

// ---------------------------------------------------------------------------------------------
// Driver: the same steps on a native Promise chain (returned Deferreds become Promises)
// ---------------------------------------------------------------------------------------------
export class PromiseRun {
  readonly errors = new Map<string, TaggedError>();
  private readonly fireMain: () => void;
  private readonly pendings: { fire(): void; promise: Promise<string> }[];
  private readonly fired = new Set<number>();
  private added = 0;
  private p: Promise<string>;

  constructor(
    readonly initial: Outcome,
    readonly steps: readonly Step[],
  ) {
    const main = this.external(() => (initial.ok ? initial.value : this.tag(initial.id)), initial.ok);
    this.fireMain = main.fire;
    this.p = main.promise;
    this.pendings = steps.map((s, i) => {
      const okPending = s.kind === "pending" && s.ok;
      return this.external(() => (okPending ? `pending${i}` : this.tag(`pending${i}`)), okPending);
    });
  }

  /** The end of the chain built so far. */
  get result(): Promise<string> {
    return this.p;
  }

  tag(id: string): TaggedError {
    const e = new TaggedError(id);
    this.errors.set(id, e);
    return e;
  }

  private external(make: () => unknown, ok: boolean): { fire(): void; promise: Promise<string> } {
    let resolve!: (v: string) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => {}); // never adopted when its step does not run
    return { promise, fire: () => (ok ? resolve(make() as string) : reject(make())) };
  }

  private firePending(i: number): void {
    if (this.fired.has(i)) return;
    this.fired.add(i);
    this.pendings[i]!.fire();
  }

  /** Steps are appended in order; `add(i)` must come after `add(i - 1)`. */
  add(i: number): void {
    if (i !== this.added) throw new Error(`steps must be added in order: ${i} after ${this.added - 1}`);
    this.added++;
    const s = this.steps[i]!;
    const p = this.p;
    switch (s.kind) {
      case "map":
        this.p = p.then((v) => `${v}>m${i}`);
        return;
      case "throw":
        this.p = p.then(() => {
          throw this.tag(`t${i}`);
        });
        return;
      case "fail":
        this.p = p.then(() => Promise.reject(this.tag(`f${i}`)));
        return;
      case "fired":
        this.p = p.then(() => (s.ok ? Promise.resolve(`fired${i}`) : Promise.reject(this.tag(`fired${i}`))));
        return;
      case "pending":
        this.p = p.then(() => this.pendings[i]!.promise);
        return;
      case "recover":
        this.p = p.catch((e: unknown) => `r${i}(${idOf(e)})`);
        return;
      case "rethrow":
        this.p = p.catch((e: unknown) => {
          throw this.tag(`e${i}(${idOf(e)})`);
        });
        return;
      case "both":
        this.p = p.then(
          (v) => `${v}>b${i}`,
          (e: unknown) => `b${i}(${idOf(e)})`,
        );
        return;
    }
  }

  /**
   * Replays the events of a Deferred test. What the Deferred does from inside a step (fire a
   * pending Deferred, add the rest of the steps) happens here at "flush": Promise callbacks run
   * later anyway, and the outcome does not depend on when a pending Promise settles.
   */
  run(events: readonly ChainEvent[]): void {
    for (const ev of events) {
      if (ev.e === "add") this.add(ev.i);
      else if (ev.e === "fire") this.fireMain();
      else if (ev.e === "firePending") this.firePending(ev.i);
      else if (ev.e === "flush") {
        while (this.added < this.steps.length) this.add(this.added);
        this.steps.forEach((s, i) => s.kind === "pending" && this.firePending(i));
      }
    }
  }
}
