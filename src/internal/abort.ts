// The machinery behind src/abort.ts.
import type { AbortSignalLike, PlatformAbortSignal, SignalOptions } from "../abort.js";
import type { Deferred } from "../deferred.js";
import { CancelledError } from "../errors.js";
import { Failure } from "../failure.js";
import { formatValue } from "./checks.js";

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

interface AbortControllerLike {
  readonly signal: unknown;
  abort(reason?: unknown): void;
}

/** A signal that aborts, with the failure's value as reason, if `d`'s chain fails here. @internal */
export function signalOnFailure(d: Deferred<unknown>): PlatformAbortSignal {
  const Controller = (globalThis as { AbortController?: new () => AbortControllerLike }).AbortController;
  if (typeof Controller !== "function") {
    throw new TypeError("Deferred#asSignal() needs the platform's AbortController (Node 16+, current browsers)");
  }
  const controller = new Controller();
  d.addBoth((result) => {
    if (result instanceof Failure) controller.abort(result.value);
    return result;
  });
  return controller.signal as PlatformAbortSignal;
}
