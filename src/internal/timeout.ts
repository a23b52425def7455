import { CancelledError, TimeoutError } from "../errors.js";
import { Failure } from "../failure.js";
import type { Deferred } from "../deferred.js";
import type { IClock } from "../clock.js";

/**
 * What `addTimeout` does with the result when the timeout cancelled the Deferred.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const onTimeoutCancel: OnTimeoutCancel<string> = (_result, ms) => `gave up after ${ms} ms`;
 * const d = new Deferred<string>().addTimeout(100, clock, onTimeoutCancel);
 * clock.advance(100);
 * successResultOf(d); // => "gave up after 100 ms"
 * ```
 */
export type OnTimeoutCancel<T> = (result: T | Failure, ms: number) => unknown;

/** The default `onTimeoutCancel`: a CancelledError caused by the timeout becomes a TimeoutError. */
function cancelledToTimedOut(result: unknown, ms: number): unknown {
  if (result instanceof Failure) {
    result.trap(CancelledError);
    throw new TimeoutError(`Deferred timed out after ${ms} ms`);
  }
  return result;
}

/** Deferred#addTimeout, kept here so that deferred.ts holds only the chain. @internal */
export function addTimeout<T>(
  d: Deferred<T>,
  ms: number,
  clock: IClock,
  onTimeoutCancel: OnTimeoutCancel<T> | undefined,
): void {
  let timedOut = false;
  const call = clock.callLater(ms, () => {
    timedOut = true;
    d.cancel();
  });
  d.addBoth((result) => (timedOut ? (onTimeoutCancel ?? cancelledToTimedOut)(result, ms) : result));
  d.addBoth((result) => {
    // The Deferred fired first: the timer has nothing left to do.
    if (call.active()) call.cancel();
    return result;
  });
}
