/**
 * Chain programs: a list of steps added to one handle, a schedule of events (add the steps,
 * fire the handle, fire what steps returned, cancel, pause, unpause), the reference model that
 * says what each step must see, and the interpreter that runs a program on any adapter.
 */
import * as fc from "fast-check";
import { assertBoolean, assertCount, assertOptions, formatValue } from "../internal/checks.js";
import { assertArray, assertAdapter, assertMember, assertObject, snapshot, LawError, observe, settle, showError, showValue, type DeferredAdapter, type PendingHandle } from "./adapter.js";

/**
 * What a step of a chain program does, by kind (`i` is the step's index):
 * - "map": on a value, returns `<value>>m<i>`
 * - "throw": on a value, throws `LawError("t<i>")`
 * - "fail": on a value, returns the adapter's failure value (deferkit: a Failure) of `f<i>`
 * - "fired": on a value, returns a handle already fired with `fired<i>` (value or error, by `ok`)
 * - "pending": on a value, returns a pending handle, fired with `pending<i>` when the schedule says
 * - "recover": on an error, returns `r<i>(<error>)`
 * - "rethrow": on an error, throws `LawError("e<i>(<error>)")`
 * - "both": either way, returns `<value>>b<i>` or `b<i>(<error>)`
 */
export type ChainStepKind = "map" | "throw" | "fail" | "fired" | "pending" | "recover" | "rethrow" | "both";

/** One step of a chain program. */
export interface ChainStep {
  /** What the step does (see `ChainStepKind`). */
  readonly kind: ChainStepKind;
  /** For "fired" and "pending": whether the handle it returns succeeds (`true`) or fails. */
  readonly ok?: boolean;
}

/**
 * One event of a chain program's schedule: "add" the steps, "fire" the first handle,
 * "firePending" (the handle pending step `step` returns), "cancel", "pause" or "unpause" the
 * chain.
 */
export interface ChainEvent {
  /** Which event. */
  readonly event: "add" | "fire" | "firePending" | "cancel" | "pause" | "unpause";
  /** For "firePending": the index of the pending step whose handle fires. */
  readonly step?: number;
}

/**
 * A chain program: the first handle fires with the value `init` (or `LawError("init")`), the
 * steps are added in order at the "add" event, and the events happen in the order given.
 */
export interface ChainProgram {
  /** Whether the first handle fires with the value `init` (`true`) or `LawError("init")`. */
  readonly initialOk: boolean;
  /** The steps, added in this order. */
  readonly steps: readonly ChainStep[];
  /** The schedule. */
  readonly events: readonly ChainEvent[];
}

/** How a modelled chain ends: a value, or the tag of the error it fails with. */
export interface ChainEnd {
  /** Whether it ends with a value. */
  readonly ok: boolean;
  /** The value, or the error's tag (`cancelled` for a cancellation). */
  readonly tag: string;
}

/** What `modelChain` says of a program. */
export interface ChainModel {
  /** The trace an implementation must produce, line for line. */
  readonly trace: string[];
  /** How the chain ends. */
  readonly end: ChainEnd;
}

/** Which kinds of step and event a chain arbitrary may generate. */
export interface ChainProgramOptions {
  /** Step kinds to draw from (default: all but "fail"). */
  readonly kinds?: readonly ChainStepKind[];
  /** Whether the first handle may fail (default true). */
  readonly initialFailure?: boolean;
  /** Adds one "cancel" event somewhere in the schedule. */
  readonly cancel?: boolean;
  /** Adds a "pause" and, later, an "unpause". */
  readonly pause?: boolean;
  /** At most this many steps (default 12; fast-check's default `size` draws at most 10). */
  readonly maxSteps?: number;
}

const ALL_KINDS: readonly ChainStepKind[] = ["map", "throw", "fired", "pending", "recover", "rethrow", "both"];
const KINDS: readonly ChainStepKind[] = [...ALL_KINDS, "fail"];

/** Throws a TypeError naming `program` unless it has the shape of a ChainProgram. */
function assertProgram(p: unknown): asserts p is ChainProgram {
  assertObject(p, "program");
  const q = p as Partial<ChainProgram>;
  assertBoolean(q.initialOk, "program.initialOk");
  assertArray(q.steps, "program.steps");
  assertArray(q.events, "program.events");
}

function stepArb(kind: ChainStepKind): fc.Arbitrary<ChainStep> {
  if (kind === "fired" || kind === "pending") return fc.boolean().map((ok): ChainStep => ({ kind, ok }));
  return fc.constant<ChainStep>({ kind });
}

/**
 * Generates chain programs. The schedule orders "add", "fire", the optional "cancel", "pause"
 * and "unpause" (the pause first) and one "firePending" per pending step by a sort key each:
 * programs shrink towards equal keys, which keep that order (add the steps, fire, cancel, pause,
 * fire the returned handles, unpause), and towards fewer and simpler steps.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(chainProgram({ kinds: ["map", "throw", "recover"] }), (program) => {
 *   const { trace } = modelChain(program);
 *   return trace[trace.length - 1]!.startsWith("end ");
 * }));
 * ```
 */
export function chainProgram(options: ChainProgramOptions = {}): fc.Arbitrary<ChainProgram> {
  assertOptions(options);
  const kinds = options.kinds === undefined ? ALL_KINDS : options.kinds;
  assertArray(kinds, "options.kinds");
  if (kinds.length === 0) throw new RangeError(`Expected \`options.kinds\` to name at least one step kind, got ${formatValue(kinds)}, empty`);
  for (const k of kinds) {
    if (!KINDS.includes(k)) throw new RangeError(`Expected \`options.kinds\` to hold step kinds (${KINDS.join(", ")}), got ${formatValue(k)}`);
  }
  for (const flag of ["initialFailure", "cancel", "pause"] as const) {
    if (options[flag] !== undefined) assertBoolean(options[flag], `options.${flag}`);
  }
  const maxSteps = options.maxSteps === undefined ? 12 : options.maxSteps;
  assertCount(maxSteps, "options.maxSteps", 0);
  // Steps that return handles are weighted up: they are where a chain waits and hands results on.
  const step = fc.oneof(
    ...kinds.map((k) => ({ weight: k === "pending" || k === "fired" ? 3 : 1, arbitrary: stepArb(k) })),
  );
  return fc
    .record({
      // Shrinks towards a chain that succeeds (fc.boolean() shrinks to false).
      initialOk: options.initialFailure === false ? fc.constant(true) : fc.boolean().map((fails) => !fails),
      steps: fc.array(step, { maxLength: maxSteps }),
      // Small keys: ties are common, and a tie keeps the base order. One program in four has
      // the base order itself (add, fire, cancel, pause, the handles, unpause): the order in
      // which a cancel or a pause meets a chain waiting on a step's handle, rare at random.
      keys: fc.oneof(
        { weight: 3, arbitrary: fc.array(fc.nat({ max: 12 }), { minLength: maxSteps + 5, maxLength: maxSteps + 5 }) },
        { weight: 1, arbitrary: fc.constant<number[]>(new Array<number>(maxSteps + 5).fill(0)) },
      ),
    })
    .map(({ initialOk, steps, keys }) => {
      const keyed: [number, ChainEvent][] = [
        [keys[0]!, { event: "add" }],
        [keys[1]!, { event: "fire" }],
      ];
      if (options.cancel === true) keyed.push([keys[2]!, { event: "cancel" }]);
      if (options.pause === true) keyed.push([keys[3]!, { event: "pause" }]);
      steps.forEach((s, i) => s.kind === "pending" && keyed.push([keys[5 + i]!, { event: "firePending", step: i }]));
      if (options.pause === true) keyed.push([keys[4]!, { event: "unpause" }]);
      // Array#sort is stable: equal keys keep the order above.
      const events = pauseFirst(keyed.sort((a, b) => a[0] - b[0]).map(([, e]) => e));
      return withToString({ initialOk, steps, events });
    });
}

function pauseFirst(events: ChainEvent[]): ChainEvent[] {
  const p = events.findIndex((e) => e.event === "pause");
  const u = events.findIndex((e) => e.event === "unpause");
  if (p > u) [events[p], events[u]] = [events[u]!, events[p]!];
  return events;
}

/** How an event reads in a trace and a counterexample. */
export function showEvent(e: ChainEvent): string {
  if (e.event === "add") return "add the steps";
  if (e.event === "firePending") return `fire step ${e.step ?? "?"}'s handle`;
  return e.event;
}

function showStep(s: ChainStep, i: number): string {
  return `${i}:${s.kind}${s.ok === undefined ? "" : s.ok ? "(ok)" : "(fails)"}`;
}

function withToString(p: ChainProgram): ChainProgram {
  const text = `chain fired with ${p.initialOk ? "init" : "error init"}; steps [${p.steps.map(showStep).join(", ")}]; events [${p.events.map(showEvent).join(", ")}]`;
  return Object.assign(p, { [fc.toStringMethod]: () => text, toString: () => text });
}

/** The pending step a "firePending" event names; a RangeError for a program that names none. */
function pendingStep(p: ChainProgram, e: ChainEvent): number {
  const i = e.step;
  if (i === undefined || p.steps[i]?.kind !== "pending") {
    throw new RangeError(`Expected a "firePending" event to name a pending step, got step ${String(i)}`);
  }
  return i;
}

type Result = { ok: true; value: string } | { ok: false; error: string };
const show = (r: Result): string => (r.ok ? `value ${r.value}` : `error ${r.error}`);
const tagOf = (r: Result): string => (r.ok ? r.value : r.error);

/**
 * The reference model: what a trace must read. Deliberately naive: one loop that runs steps
 * while the chain has a result, is not paused and is not waiting on a step's handle.
 *
 * @example
 * ```ts
 * const program: ChainProgram = {
 *   initialOk: true,
 *   steps: [{ kind: "throw" }, { kind: "recover" }],
 *   events: [{ event: "add" }, { event: "fire" }],
 * };
 * modelChain(program).trace; // => ["@ add the steps", "@ fire", "step 0 got value init", "step 1 got error t0", "@ end", "end value r1(t0)"]
 * ```
 */
export function modelChain(p: ChainProgram): ChainModel {
  assertProgram(p);
  const trace: string[] = [];
  let added = false;
  let result: Result | null = null; // null: not fired yet
  let pos = 0;
  let waitingOn = -1;
  let paused = false;
  let cancelledFirst = false;
  const settled = new Map<number, Result>(); // pending steps' handles fired so far
  const cancelled = new Set<number>();

  const run = (): void => {
    while (added && result !== null && !paused && waitingOn === -1 && pos < p.steps.length) {
      const i = pos++;
      const s = p.steps[i]!;
      const r: Result = result;
      const onError = s.kind === "recover" || s.kind === "rethrow";
      if (s.kind !== "both" && onError === r.ok) continue;
      trace.push(`step ${i} got ${show(r)}`);
      if (s.kind === "map") result = { ok: true, value: `${tagOf(r)}>m${i}` };
      else if (s.kind === "throw") result = { ok: false, error: `t${i}` };
      else if (s.kind === "fail") result = { ok: false, error: `f${i}` };
      else if (s.kind === "fired") result = s.ok ? { ok: true, value: `fired${i}` } : { ok: false, error: `fired${i}` };
      else if (s.kind === "pending") {
        const done = settled.get(i);
        if (done === undefined) waitingOn = i;
        else result = done;
      } else if (s.kind === "recover") result = { ok: true, value: `r${i}(${tagOf(r)})` };
      else if (s.kind === "rethrow") result = { ok: false, error: `e${i}(${tagOf(r)})` };
      else result = { ok: true, value: r.ok ? `${r.value}>b${i}` : `b${i}(${r.error})` };
    }
  };

  const settlePending = (i: number, r: Result): void => {
    settled.set(i, r);
    if (waitingOn === i) {
      waitingOn = -1;
      result = r;
    }
  };

  for (const e of p.events) {
    trace.push(`@ ${showEvent(e)}`);
    if (e.event === "add") added = true;
    else if (e.event === "fire") {
      if (!cancelledFirst) result = p.initialOk ? { ok: true, value: "init" } : { ok: false, error: "init" };
    } else if (e.event === "firePending") {
      const i = pendingStep(p, e);
      const s = p.steps[i]!;
      if (!cancelled.has(i)) settlePending(i, s.ok ? { ok: true, value: `pending${i}` } : { ok: false, error: `pending${i}` });
    } else if (e.event === "cancel") {
      // Twisted's rule: an unfired Deferred calls its canceller and fails with CancelledError;
      // one waiting on a step's Deferred cancels that one instead; anything else is left alone.
      if (result === null) {
        trace.push("cancel reached the chain");
        cancelledFirst = true;
        result = { ok: false, error: "cancelled" };
      } else if (waitingOn !== -1) {
        trace.push(`cancel reached step ${waitingOn}'s handle`);
        cancelled.add(waitingOn);
        settlePending(waitingOn, { ok: false, error: "cancelled" });
      }
    } else if (e.event === "pause") paused = true;
    else paused = false;
    run();
  }
  trace.push("@ end");
  const end: Result = result ?? { ok: false, error: "<never fired>" };
  trace.push(`end ${show(end)}`);
  return { trace, end: { ok: end.ok, tag: tagOf(end) } };
}

/**
 * Runs a chain program on an adapter and returns its trace, to compare with `modelChain`'s.
 * A synchronous adapter gets no time between events; an asynchronous one a macrotask turn.
 *
 * @example
 * ```ts
 * const program: ChainProgram = {
 *   initialOk: true,
 *   steps: [{ kind: "pending", ok: true }, { kind: "map" }],
 *   events: [{ event: "add" }, { event: "fire" }, { event: "firePending", step: 0 }],
 * };
 * await runChain(deferkitAdapter, program); // => modelChain(program).trace
 * await runChain(promiseAdapter, program); // => modelChain(program).trace
 * ```
 */
export function runChain<H>(adapter: DeferredAdapter<H>, p: ChainProgram): Promise<string[]> {
  assertAdapter(adapter);
  assertProgram(p);
  for (const e of p.events) {
    if (e.event === "cancel") assertMember(adapter, "cancel");
    if (e.event === "pause" || e.event === "unpause") assertMember(adapter, e.event);
  }
  if (p.steps.some((s) => s.kind === "fail")) assertMember(adapter, "failWith");
  return interpretChain(adapter, p);
}

async function interpretChain<H>(adapter: DeferredAdapter<H>, p: ChainProgram): Promise<string[]> {
  const trace: string[] = [];
  let firstCancelled = false;
  const first = adapter.create(() => {
    firstCancelled = true;
    trace.push("cancel reached the chain");
  });
  const cancelled = new Set<number>();
  const pendings = new Map<number, PendingHandle<H>>();
  p.steps.forEach((s, i) => {
    if (s.kind !== "pending") return;
    pendings.set(
      i,
      adapter.create(() => {
        cancelled.add(i);
        trace.push(`cancel reached step ${i}'s handle`);
      }),
    );
  });
  const called = new Set<number>();
  let head = first.handle;

  const add = (s: ChainStep, i: number): void => {
    const saw = (r: string): void => {
      called.add(i);
      trace.push(`step ${i} got ${r}`);
    };
    const onValue = (v: unknown): unknown => {
      saw(`value ${showValue(v)}`);
      switch (s.kind) {
        case "map":
          return `${showValue(v)}>m${i}`;
        case "throw":
          throw new LawError(`t${i}`);
        case "fail":
          return adapter.failWith!(new LawError(`f${i}`));
        case "fired": {
          const h = adapter.create();
          if (s.ok) h.resolve(`fired${i}`);
          else h.reject(new LawError(`fired${i}`));
          return h.handle;
        }
        case "pending":
          return pendings.get(i)!.handle;
        default:
          return `${showValue(v)}>b${i}`;
      }
    };
    const onError = (e: unknown): unknown => {
      const tag = showError(adapter, e);
      saw(`error ${tag}`);
      if (s.kind === "rethrow") throw new LawError(`e${i}(${tag})`);
      return s.kind === "recover" ? `r${i}(${tag})` : `b${i}(${tag})`;
    };
    if (s.kind === "recover" || s.kind === "rethrow") head = adapter.then(head, undefined, onError);
    else if (s.kind === "both") head = adapter.then(head, onValue, onError);
    else head = adapter.then(head, onValue);
  };

  for (const e of p.events) {
    trace.push(`@ ${showEvent(e)}`);
    if (e.event === "add") p.steps.forEach(add);
    else if (e.event === "fire") {
      if (!firstCancelled) {
        if (p.initialOk) first.resolve("init");
        else first.reject(new LawError("init"));
      }
    } else if (e.event === "firePending") {
      const i = pendingStep(p, e);
      const s = p.steps[i]!;
      if (!cancelled.has(i)) {
        if (s.ok) pendings.get(i)!.resolve(`pending${i}`);
        else pendings.get(i)!.reject(new LawError(`pending${i}`));
      }
    } else if (e.event === "cancel") adapter.cancel!(head);
    else if (e.event === "pause") adapter.pause!(head);
    else adapter.unpause!(head);
    if (!adapter.synchronous) await settle();
  }
  trace.push("@ end");
  observe(adapter, head, trace, "end");
  // A handle no step returned, failed by the schedule, is nobody's failure: consume it.
  for (const [i, h] of pendings) if (!called.has(i)) adapter.then(h.handle, () => undefined, () => undefined);
  if (!adapter.synchronous) await settle();
  return snapshot(adapter, trace);
}
