import { AlreadyCalledError, AlreadyCancelledError } from "./errors.js";
import { assertFunction, assertTime } from "./internal/checks.js";
// What a clock is (IClock, DelayedCall) and the platform's clock (realClock). The
// deterministic Clock, deferLater and LoopingCall build on these in time.ts.

/**
 * A call scheduled on an `IClock`.
 *
 * Twisted: `IDelayedCall`.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const call = clock.callLater(100, () => {});
 * call.getTime(); // => 100
 * call.delay(50); // now due at 150
 * call.reset(10); // now due at 10 from now: 10
 * call.getTime(); // => 10
 * call.active(); // => true
 * call.cancel();
 * call.active(); // => false
 * ```
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
  /**
   * Runs `fn(...args)` `ms` milliseconds from now.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * const seen: string[] = [];
   * clock.callLater(5, (word: string) => { seen.push(word); }, "later");
   * clock.advance(5);
   * seen; // => ["later"]
   * ```
   */
  callLater<A extends unknown[]>(ms: number, fn: (...args: A) => unknown, ...args: A): DelayedCall;
  /**
   * The current time in milliseconds.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * clock.advance(250);
   * clock.now(); // => 250
   * ```
   */
  now(): number;
}

// setTimeout clamps a delay above 2^31 - 1 ms (about 24.8 days) to 1 ms; longer delays are
// waited out in steps of at most this much.
const MAX_TIMER = 2 ** 31 - 1;

/**
 * What `cancel()`/`reset()`/`delay()` of a DelayedCall that is no longer pending throws, on
 * every clock: `AlreadyCalledError` once it ran, `AlreadyCancelledError` once cancelled
 * (Twisted's `AlreadyCalled` and `AlreadyCancelled`).
 */
export function delayedCallGone(what: string, ran: boolean): Error {
  return ran
    ? new AlreadyCalledError(`Cannot ${what} a DelayedCall that has already been called`)
    : new AlreadyCancelledError(`Cannot ${what} a DelayedCall that has already been cancelled`);
}

class RealDelayedCall implements DelayedCall {
  private handle: unknown = undefined;
  private time: number;
  private state: 0 | 1 | 2 = 0; // 0 pending, 1 called, 2 cancelled
  private readonly fn: () => unknown;
  private readonly tick: () => void;

  constructor(ms: number, fn: () => unknown) {
    this.fn = fn;
    this.time = Date.now() + ms;
    this.tick = () => {
      if (this.time - Date.now() > 0) {
        this.arm(); // a long delay: not there yet
        return;
      }
      this.state = 1;
      this.fn();
    };
    this.arm();
  }

  private arm(): void {
    this.handle = setTimeout(this.tick, Math.min(Math.max(0, this.time - Date.now()), MAX_TIMER));
  }

  private check(what: string): void {
    if (this.state !== 0) throw delayedCallGone(what, this.state === 1);
  }

  cancel(): void {
    this.check("cancel");
    this.state = 2;
    clearTimeout(this.handle);
  }

  active(): boolean {
    return this.state === 0;
  }

  reset(ms: number): void {
    this.check("reset");
    assertTime(ms, "ms");
    clearTimeout(this.handle);
    this.time = Date.now() + ms;
    this.arm();
  }

  delay(ms: number): void {
    this.check("delay");
    assertTime(ms, "ms");
    clearTimeout(this.handle);
    this.time += ms;
    this.arm();
  }

  getTime(): number {
    return this.time;
  }
}

/**
 * The platform's clock: `setTimeout` timers and `Date.now()`, in browsers and Node alike.
 * The default clock of `addTimeout`, `deferLater` and `LoopingCall`.
 *
 * Twisted: the reactor's `IReactorTime`. **Gotchas:** a pending call keeps a Node process
 * alive, as any `setTimeout` does; delays longer than `setTimeout` allows (about 24.8 days)
 * are waited out in steps instead of firing at once. A delay is a finite number >= 0, as on
 * `Clock`: a non-number throws `TypeError`, NaN, ±Infinity or a negative number `RangeError`.
 *
 * @example
 * ```ts
 * const call = realClock.callLater(1000, () => {});
 * call.active(); // => true
 * call.cancel();
 * call.active(); // => false
 * ```
 */
export const realClock: IClock = {
  callLater<A extends unknown[]>(ms: number, fn: (...args: A) => unknown, ...args: A): DelayedCall {
    assertTime(ms, "ms"); // as Clock: an infinite delay is a RangeError, not a timer that never fires
    assertFunction(fn, "fn");
    return new RealDelayedCall(ms, args.length === 0 ? (fn as () => unknown) : () => fn(...args));
  },
  now(): number {
    return Date.now();
  },
};
