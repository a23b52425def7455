/**
 * What the law kit needs from an implementation: the adapter a user writes once for their own
 * Deferred-like type (or Promise wrapper, or lock, or fake clock), and the few helpers that
 * turn what it delivers into a comparable trace.
 *
 * Only `name`, `synchronous`, `create` and `then` are required: those are the chain laws. Each
 * optional member switches on the laws that need it, so the Promise subset is the adapter with
 * nothing optional but `all` and `any`.
 */

import { assertBoolean, assertFunction, formatValue } from "../internal/checks.js";

/** A pending handle and what settles it, as the adapter's `create` makes it. */
export interface PendingHandle<H> {
  /** The pending thing: a Deferred, a Promise, whatever the implementation calls it. */
  readonly handle: H;
  /** Fires it with a value. */
  resolve(value: unknown): void;
  /** Fires it with an error. */
  reject(error: unknown): void;
}

/** A call a `ClockAdapter` scheduled. */
export interface ScheduledCall {
  /** Unschedules the call (the kit only cancels calls that have not run). */
  cancel(): void;
}

/** A fake clock: `callLater` runs `fn` once `advance` has moved time `ms` past now. */
export interface ClockAdapter {
  /** Schedules `fn` in `ms` milliseconds of this clock's time; `cancel()` unschedules it. */
  callLater(ms: number, fn: () => void): ScheduledCall;
  /** Moves time on by `ms`, running every call that falls due, in order. */
  advance(ms: number): void;
}

/**
 * A lock or semaphore: `acquire()` is a handle that fires once the caller holds a token;
 * `release()` gives one token back (the kit only calls it while someone holds one).
 */
export interface LockAdapter<H> {
  /** A handle that fires once the caller holds a token. */
  acquire(): H;
  /** Gives one token back. */
  release(): void;
}

/** A queue: `put` a value; `get()` is a handle that fires with the next value, in order. */
export interface QueueAdapter<H> {
  /** Adds a value (to the first waiting get, if any). */
  put(value: unknown): void;
  /** A handle that fires with the next value. */
  get(): H;
}

/**
 * An implementation under test, seen through the operations the laws use. `H` is its handle
 * type (`Deferred<unknown>`, `Promise<unknown>`, …).
 *
 * @example
 * ```ts
 * // The Promise subset: chains, `all` and `any`; no cancel, no pause, no Failure values.
 * const promises: DeferredAdapter<Promise<unknown>> = {
 *   name: "native Promise",
 *   synchronous: false,
 *   create() {
 *     let resolve!: (v: unknown) => void;
 *     let reject!: (e: unknown) => void;
 *     const handle = new Promise<unknown>((res, rej) => ((resolve = res), (reject = rej)));
 *     handle.catch(() => {}); // the kit fails some handles nobody waits on
 *     return { handle, resolve, reject };
 *   },
 *   then(p, onValue, onError) {
 *     const next = p.then(onValue, onError);
 *     next.catch(() => {}); // the kit observes the end of a chain once its schedule has run
 *     return next;
 *   },
 *   all: (ps) => Promise.all(ps),
 *   any: (ps) => Promise.any(ps),
 * };
 * ```
 */
export interface DeferredAdapter<H> {
  /** Names the implementation in a failure's message. */
  readonly name: string;
  /**
   * `true` when steps run the moment a result exists, as a Deferred's do: the kit then checks
   * every step ran before the call that fired it returned. `false` (Promise-like) gives the
   * implementation a macrotask turn between the program's events instead.
   */
  readonly synchronous: boolean;
  /**
   * A new pending handle. `onCancel` is its canceller: the kit records when a cancel reaches
   * it. Implementations without cancellation ignore it.
   */
  create(onCancel?: () => void): PendingHandle<H>;
  /**
   * Adds a step to the end of `h`'s chain: `onValue` runs on a value, `onError` on an error
   * (either may be missing: the result passes through). Returns the end of the chain: `h`
   * itself for a Deferred, the new Promise for `then`. The kit observes the end of a chain
   * only once the program's events have all happened: an implementation that reports
   * unobserved failures early (a Promise's unhandled rejection) marks the new handle handled.
   */
  then(h: H, onValue?: (value: unknown) => unknown, onError?: (error: unknown) => unknown): H;
  /** What a step returns to fail without throwing (deferkit: a `Failure`). */
  failWith?(error: unknown): unknown;
  /** The error an `onError` received, unwrapped (deferkit: `failure.value`). Default: as is. */
  errorOf?(reason: unknown): unknown;
  /** Cancels `h`: switches on the cancellation laws (with `isCancellation`). */
  cancel?(h: H): void;
  /** Whether an error is the one a cancel fails a handle with. */
  isCancellation?(error: unknown): boolean;
  /** Pauses `h`'s chain: with `unpause`, switches on the pause law. */
  pause?(h: H): void;
  /** Undoes a `pause`. */
  unpause?(h: H): void;
  /** Every value, in input order, or the first error in time (`gatherResults`, `Promise.all`). */
  all?(hs: H[]): H;
  /** The first value in time; an error only once every input failed (`race`, `Promise.any`). */
  any?(hs: H[]): H;
  /** A new fake clock at time 0: switches on the clock law. */
  clock?(): ClockAdapter;
  /** A new lock: switches on the lock law. */
  lock?(): LockAdapter<H>;
  /** A new semaphore of `tokens` tokens: switches on the semaphore law. */
  semaphore?(tokens: number): LockAdapter<H>;
  /** A new unbounded queue: switches on the queue law. */
  queue?(): QueueAdapter<H>;
}

/**
 * The error every program step throws or fails with, tagged so that a trace can follow it by
 * name: `t2` is the error step 2 threw, `e4(t2)` the one step 4 threw on seeing `t2`.
 *
 * @example
 * ```ts
 * new LawError("t2").tag; // => "t2"
 * ```
 */
export class LawError extends Error {
  constructor(
    /** The error's name in a trace. */
    readonly tag: string,
  ) {
    if (typeof tag !== "string") throw new TypeError(`Expected \`tag\` to be a string, got ${formatValue(tag)}`);
    super(tag);
    this.name = "LawError";
  }
}

/** A value as a trace shows it; arrays (`all`'s result) element by element. */
export function showValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(showValue).join(",")}]`;
  if (typeof v === "string") return v;
  try {
    return `<${typeof v}: ${String(v)}>`;
  } catch {
    return `<${typeof v}>`;
  }
}

/** An error as a trace shows it: its tag, `cancelled`, or what it is when it is neither. */
export function showError<H>(adapter: DeferredAdapter<H>, reason: unknown): string {
  const e = adapter.errorOf === undefined ? reason : adapter.errorOf(reason);
  if (e instanceof LawError) return e.tag;
  if (adapter.isCancellation?.(e) === true) return "cancelled";
  return `<not a LawError: ${e instanceof Error ? `${e.name}: ${e.message}` : showValue(e)}>`;
}

/** Adds a last step that writes how `h` ended into `trace` (and consumes a failure). */
export function observe<H>(adapter: DeferredAdapter<H>, h: H, trace: string[], label: string): void {
  adapter.then(
    h,
    (v) => void trace.push(`${label} value ${showValue(v)}`),
    (e) => void trace.push(`${label} error ${showError(adapter, e)}`),
  );
}

// setImmediate where there is one (Node): a turn of the event loop without the 1 ms floor of
// setTimeout, and like it only after every queued microtask has run.
const host = globalThis as { setImmediate?: (fn: () => void) => unknown };
const turn: (fn: () => void) => void =
  typeof host.setImmediate === "function" ? (fn) => void host.setImmediate!(fn) : (fn) => void setTimeout(fn, 0);

/**
 * Lets an asynchronous implementation finish what the last event started: one macrotask turn.
 * The interpreters never call it for a synchronous one, which gets no time at all (not even a
 * microtask) between events: it must have finished already.
 */
export function settle(): Promise<void> {
  return new Promise<void>((resolve) => turn(resolve));
}

/**
 * The trace as it is now. An interpreter of a synchronous implementation returns this from a
 * run with no `await` in it, so that a step run late (in a microtask) cannot slip into the
 * trace while the caller awaits the result.
 */
export function snapshot<H>(adapter: DeferredAdapter<H>, trace: string[]): string[] {
  return adapter.synchronous ? trace.slice() : trace;
}

/** Throws a TypeError naming `name` unless `value` is an adapter (an object with `name`, `synchronous`, `create` and `then`). */
export function assertAdapter(value: unknown, name = "adapter"): asserts value is DeferredAdapter<unknown> {
  assertObject(value, name);
  const a = value as Partial<DeferredAdapter<unknown>>;
  if (typeof a.name !== "string") throw new TypeError(`Expected \`${name}.name\` to be a string, got ${formatValue(a.name)}`);
  assertBoolean(a.synchronous, `${name}.synchronous`);
  assertFunction(a.create, `${name}.create`);
  assertFunction(a.then, `${name}.then`);
}

/** Throws a TypeError unless the adapter has the method `member`, which a runner needs. */
export function assertMember(adapter: DeferredAdapter<unknown>, member: keyof DeferredAdapter<unknown>): void {
  assertFunction(adapter[member], `adapter.${member}`);
}

/** Throws a TypeError naming `name` unless `value` is an array. */
export function assertArray(value: unknown, name: string): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`Expected \`${name}\` to be an array, got ${formatValue(value)}`);
}

/** Throws a TypeError naming `name` unless `value` is a non-null object. */
export function assertObject(value: unknown, name: string): asserts value is object {
  if (typeof value !== "object" || value === null) throw new TypeError(`Expected \`${name}\` to be an object, got ${formatValue(value)}`);
}
