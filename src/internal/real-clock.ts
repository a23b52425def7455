import { AlreadyCalledError } from "../errors.js";
import { assertFunction } from "./describe.js";
import type { DelayedCall, IClock } from "./clock-types.js";

class RealDelayedCall implements DelayedCall {
  private handle: unknown;
  private time: number;
  private state: 0 | 1 | 2 = 0; // 0 pending, 1 called, 2 cancelled
  private readonly run: () => void;

  constructor(ms: number, fn: () => unknown) {
    this.time = Date.now() + ms;
    this.run = () => {
      this.state = 1;
      fn();
    };
    this.handle = setTimeout(this.run, ms);
  }

  private check(what: string): void {
    if (this.state !== 0) {
      throw new AlreadyCalledError(`Cannot ${what} a DelayedCall that has already been ${this.state === 1 ? "called" : "cancelled"}`);
    }
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
    clearTimeout(this.handle);
    this.time = Date.now() + ms;
    this.handle = setTimeout(this.run, ms);
  }

  delay(ms: number): void {
    this.check("delay");
    clearTimeout(this.handle);
    this.time += ms;
    this.handle = setTimeout(this.run, Math.max(0, this.time - Date.now()));
  }

  getTime(): number {
    return this.time;
  }
}

/**
 * The platform's clock: `setTimeout` timers and `Date.now()`, in browsers and Node alike.
 * The default clock of `addTimeout`, `deferLater` and `LoopingCall`.
 *
 * Twisted: the reactor's `IReactorTime`.
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
    assertFunction(fn, "fn");
    return new RealDelayedCall(ms, args.length === 0 ? (fn as () => unknown) : () => fn(...args));
  },
  now(): number {
    return Date.now();
  },
};
