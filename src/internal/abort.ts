// The machinery behind src/abort.ts.
import type { AbortSignalLike, PlatformAbortSignal, SignalOptions } from "../abort.js";
import { Deferred, fail } from "../deferred.js";
import { CancelledError } from "../errors.js";
import { Failure } from "../failure.js";
import { assertFunction, assertOptions, formatValue } from "./checks.js";
import { fromThen, thenOf } from "./thenable.js";

// The reason of the signal whose abort is cancelling Deferreds right now. cancel() runs to the
// bottom of every wait synchronously, so each CancelledError it makes in the meantime (also
// those of a combinator's inputs) was caused by that abort, and carries its reason as `cause`.
const NO_CAUSE: unique symbol = Symbol("no cause") as never;
let abortReason: unknown = NO_CAUSE;

/** The CancelledError that `cancel()` fails a Deferred with. @internal */
export function cancelledError(): CancelledError {
  const error = new CancelledError("Deferred was cancelled");
  if (abortReason !== NO_CAUSE) {
    // Set by hand: `new Error(message, { cause })` is ES2022, and deferkit targets ES2020.
    Object.defineProperty(error, "cause", { value: abortReason, writable: true, configurable: true });
  }
  return error;
}

/** `d.cancel()`, with `reason` as the cause of the CancelledErrors it makes. */
function cancelForAbort(d: Deferred<unknown>, reason: unknown): void {
  const outer = abortReason;
  abortReason = reason;
  try {
    d.cancel();
  } finally {
    abortReason = outer;
  }
}

/** Throws a TypeError naming `name` unless `value` looks like an AbortSignal. @internal */
export function assertSignal(value: unknown, name: string): asserts value is AbortSignalLike {
  const s = value as Partial<AbortSignalLike> | null;
  if (
    typeof s !== "object" ||
    s === null ||
    typeof s.aborted !== "boolean" ||
    typeof s.addEventListener !== "function" ||
    typeof s.removeEventListener !== "function"
  ) {
    throw new TypeError(`Expected \`${name}\` to be an AbortSignal, got ${formatValue(value)}`);
  }
}

/** `options.signal` of a call that takes `{ signal }`, checked; undefined when not given. @internal */
export function signalOption(options: SignalOptions | undefined): AbortSignalLike | undefined {
  assertOptions(options);
  const signal = options?.signal;
  if (signal !== undefined) assertSignal(signal, "options.signal");
  return signal;
}

// One "abort" listener per signal, not one per Deferred: Node warns of a leak past ten
// listeners on an AbortSignal ("MaxListenersExceededWarning"), and a long-lived signal tied to
// every request of a server is the common case. The Deferreds tied to a signal are a Set
// (insertion order, O(1) delete, and no extra code in every bundle that has Deferred); one
// leaves it when it fires, and the last one to leave removes the listener.
interface Tied {
  readonly all: Set<Deferred<unknown>>;
  readonly onAbort: () => void;
}
const tiedTo: WeakMap<AbortSignalLike, Tied> = /* @__PURE__ */ new WeakMap();

/**
 * Cancels `d` when `signal` aborts (now, if it has). `d` is forgotten once its chain gets past
 * the step added here, so a long-lived signal does not collect Deferreds or listeners.
 * Deferreds tied to one signal are cancelled in the order they were tied to it. @internal
 */
export function cancelOnAbort(d: Deferred<unknown>, signal: AbortSignalLike): void {
  if (signal.aborted) {
    cancelForAbort(d, signal.reason);
    return;
  }
  let tied = tiedTo.get(signal);
  if (tied === undefined) {
    const all = new Set<Deferred<unknown>>();
    const onAbort = (): void => {
      tiedTo.delete(signal);
      signal.removeEventListener("abort", onAbort); // `once` is a hint a signal-like may ignore
      // Set iteration skips what is deleted meanwhile: a Deferred that an earlier one's
      // cancellation fired has untied itself, and is not cancelled.
      for (const next of all) cancelForAbort(next, signal.reason);
    };
    tied = { all, onAbort };
    tiedTo.set(signal, tied);
    signal.addEventListener("abort", onAbort, { once: true });
  }
  const { all, onAbort } = tied;
  all.add(d);
  d.addBoth((result) => {
    if (all.delete(d) && all.size === 0) {
      signal.removeEventListener("abort", onAbort);
      tiedTo.delete(signal); // a no-op when an abort already did it
    }
    return result;
  });
}

/**
 * What deferkit needs of an AbortController: the platform's has all of it.
 *
 * @example
 * ```ts
 * const controller: AbortControllerLike = new AbortController();
 * const d = Deferred.fromPromise(new Promise<never>(() => {}), { abort: controller });
 * d.cancel();
 * (controller.signal as AbortSignalLike).aborted; // => true
 * ```
 */
export interface AbortControllerLike {
  /** The signal it aborts. */
  readonly signal: unknown;
  /** Aborts the signal. */
  abort(reason?: unknown): void;
}

/** The platform's AbortController, or a TypeError saying that `what` needs one. @internal */
export function newController(what: string): AbortControllerLike {
  const Controller = (globalThis as { AbortController?: new () => AbortControllerLike }).AbortController;
  if (typeof Controller !== "function") {
    throw new TypeError(`${what} needs the platform's AbortController (Node 16+, current browsers)`);
  }
  return new Controller();
}

/** A signal that aborts, with the failure's value as reason, if `d`'s chain fails here. @internal */
export function signalOnFailure(d: Deferred<unknown>): PlatformAbortSignal {
  const controller = newController("Deferred#asSignal()");
  d.addBoth((result) => {
    if (result instanceof Failure) controller.abort(result.value);
    return result;
  });
  return controller.signal as PlatformAbortSignal;
}

/**
 * The options of `Deferred.fromPromise(promise, options)`.
 *
 * @example
 * ```ts
 * let stopped = false;
 * const options: FromPromiseOptions = { abort: () => { stopped = true; } };
 * Deferred.fromPromise(new Promise<never>(() => {}), options).cancel();
 * stopped; // => true
 * ```
 */
export interface FromPromiseOptions {
  /**
   * What `cancel()` aborts: the `AbortController` whose signal the work was given, or a
   * function that stops the work. The settlement the abort causes is ignored. Required: options
   * are given to say what stops the work, so options without it are a mistake (a `TypeError`).
   */
  abort: AbortControllerLike | (() => void);
}

/**
 * `Deferred.fromPromise` with a way to stop the work: `source` is the promise (stopped by
 * `options.abort`) or a function given a fresh signal that returns it. `cancel()` aborts, fails
 * the Deferred with `CancelledError` at once, and drops whatever the promise does after (its
 * rejection by the abort above all: a late `errback()` would throw AlreadyCalledError inside a
 * promise reaction, an unhandled rejection). @internal
 */
export function fromAbortable<T>(source: unknown, options: FromPromiseOptions | undefined): Deferred<T> {
  let abort: () => void;
  let promise: unknown;
  if (typeof source === "function") {
    if (options !== undefined) {
      throw new TypeError("Expected no `options` with a function: it is given the signal that cancel() aborts");
    }
    const controller = newController("Deferred.fromPromise(fn)");
    abort = () => controller.abort();
    try {
      promise = (source as (signal: unknown) => unknown)(controller.signal);
    } catch (e) {
      return fail(e);
    }
  } else {
    abort = abortOption(options);
    promise = source;
  }
  const then = thenOf(promise);
  if (then === undefined) {
    const name = typeof source === "function" ? "what `fn` returned" : "`promise`";
    throw new TypeError(`Expected ${name} to be a PromiseLike, got ${formatValue(promise)}`);
  }
  const settled = fromThen<T>(promise, then);
  const d = new Deferred<T>(() => abort());
  settled.addBoth((result) => {
    if (!d.called) d._fire(result);
    return undefined; // handed on, or (after cancel) dropped on purpose
  });
  return d;
}

function abortOption(options: FromPromiseOptions | undefined): () => void {
  assertOptions(options);
  const abort = options?.abort;
  if (typeof abort === "function") return () => abort();
  if (typeof abort === "object" && abort !== null && typeof abort.abort === "function") return () => abort.abort();
  throw new TypeError(`Expected \`options.abort\` to be an AbortController or a function, got ${formatValue(abort)}`);
}

/**
 * What `fromCallback()`'s function is given to call when the work ends, Node's way.
 *
 * @example
 * ```ts
 * const sum = (a: number, b: number, done: NodeCallback<number>) => done(null, a + b);
 * successResultOf(fromCallback<number>((done) => sum(1, 2, done))); // => 3
 * ```
 */
export type NodeCallback<T> = (error: unknown, value?: T) => void;

/**
 * A Deferred of work started the Node way: `start(callback, signal)` calls `callback(error)`
 * or `callback(null, value)` once. `cancel()` aborts `signal`, fails the Deferred with
 * `CancelledError` at once, and ignores the callback's later call; a second call is ignored
 * too, as `util.promisify` does. A throw from `start` fails the Deferred.
 *
 * Twisted has no counterpart (its APIs take Deferreds); this is the way in for Node's.
 *
 * @example
 * ```ts
 * let finish: NodeCallback<string> | undefined;
 * const d = fromCallback<string>((done) => { finish = done; }); // as fs.readFile(path, done)
 * finish!(null, "{}");
 * successResultOf(d); // => "{}"
 * const failed = fromCallback((done) => done(new Error("ENOENT")));
 * failureResultOf(failed).getErrorMessage(); // => "ENOENT"
 * ```
 */
export function fromCallback<T>(start: (callback: NodeCallback<T>, signal: PlatformAbortSignal) => void): Deferred<T> {
  assertFunction(start, "start");
  const controller = newController("fromCallback()");
  const d = new Deferred<T>(() => controller.abort());
  const callback: NodeCallback<T> = (error, value) => {
    if (d.called) return;
    if (error) d.errback(error);
    else d.callback(value as T);
  };
  try {
    start(callback, controller.signal as PlatformAbortSignal);
  } catch (e) {
    if (!d.called) d.errback(e);
  }
  return d;
}
