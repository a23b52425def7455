import { AlreadyCalledError, AlreadyCancelledError } from "../errors.js";
import { assertFunction, assertNumber } from "./describe.js";
import type { DelayedCall, IClock } from "./clock-types.js";

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
    assertNumber(ms, "ms");
    clearTimeout(this.handle);
    this.time = Date.now() + ms;
    this.arm();
  }

  delay(ms: number): void {
    this.check("delay");
    assertNumber(ms, "ms");
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
 * are waited out in steps instead of firing at once.
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
    assertNumber(ms, "ms");
    assertFunction(fn, "fn");
    return new RealDelayedCall(ms, args.length === 0 ? (fn as () => unknown) : () => fn(...args));
  },
  now(): number {
    return Date.now();
  },
};
