/**
 * A call scheduled on an `IClock`.
 *
 * Twisted: `IDelayedCall`.
 */
export interface DelayedCall {
  /**
   * Stops the call from happening. Throws `AlreadyCalledError` once it has run, and
   * `AlreadyCancelledError` once it has been cancelled.
   */
  cancel(): void;
  /** `true` until the call has run or been cancelled. */
  active(): boolean;
  /** Reschedules the call to `ms` from now. Throws like `cancel()` when no longer active. */
  reset(ms: number): void;
  /** Pushes the call `ms` later than it is now scheduled. Throws like `cancel()` when no longer active. */
  delay(ms: number): void;
  /** When the call is scheduled to run, on its clock's `now()` scale (ms). */
  getTime(): number;
}

/**
 * A source of time and timers: `realClock` for the platform's, `Clock` for tests.
 *
 * Twisted: `IReactorTime`. Times are in milliseconds. Take an `IClock` parameter (defaulting to
 * `realClock`) in code that waits, and its tests can pass a `Clock`.
 *
 * @example
 * ```ts
 * function remindLater(clock: IClock = realClock): Deferred<string> {
 *   return deferLater(clock, 60_000, () => "time's up");
 * }
 * const clock = new Clock();
 * const d = remindLater(clock);
 * clock.advance(60_000);
 * successResultOf(d); // => "time's up"
 * ```
 */
export interface IClock {
  /** Runs `fn(...args)` `ms` milliseconds from now. */
  callLater<A extends unknown[]>(ms: number, fn: (...args: A) => unknown, ...args: A): DelayedCall;
  /** The current time in milliseconds. */
  now(): number;
}
