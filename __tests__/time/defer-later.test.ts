import {
  AlreadyCalledError,
  CancelledError,
  Clock,
  deferLater,
  Deferred,
  type DelayedCall,
  type IClock,
  succeed,
} from "../../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../../src/testing.js";

class TestError extends Error {}

describe("deferLater()", () => {
  let clock: Clock;
  beforeEach(() => {
    clock = new Clock();
  });
  // Every test leaves its clock with no pending call.
  afterEach(() => {
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("fires after the delay with what the function returned, called with the extra arguments", () => {
    // Twisted: DeferLaterTests.test_callback
    const calls: unknown[][] = [];
    const flag = { flag: true };
    const d = deferLater(
      clock,
      3000,
      (foo: string, bar: string) => {
        calls.push([foo, bar]);
        return flag;
      },
      "foo",
      "bar",
    );
    clock.advance(2000);
    expect(calls).toEqual([]);
    assertNoResult(d);
    clock.advance(1000);
    expect(calls).toEqual([["foo", "bar"]]);
    expect(successResultOf(d)).toBe(flag);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("fails with what the function threw", () => {
    // Twisted: DeferLaterTests.test_errback
    const error = new TestError("bad");
    const d = deferLater(clock, 1000, () => {
      throw error;
    });
    clock.advance(1000);
    expect(failureResultOf(d, TestError).value).toBe(error);
  });

  it("does not let the function's error escape from the clock", () => {
    const d = deferLater(clock, 1, () => {
      throw new TestError("contained");
    });
    expect(() => clock.advance(1)).not.toThrow();
    failureResultOf(d, TestError);
  });

  it("on cancel() fails with CancelledError, leaves no pending call and never calls the function", () => {
    // Twisted: DeferLaterTests.test_cancel
    const called: unknown[] = [];
    const d = deferLater(clock, 1000, (x: null) => void called.push(x), null);
    d.cancel();
    failureResultOf(d, CancelledError);
    expect(clock.getDelayedCalls()).toEqual([]);
    clock.advance(1000);
    expect(called).toEqual([]);
  });

  it("fires with undefined when there is no function", () => {
    // Twisted: DeferLaterTests.test_noCallback
    const d = deferLater(clock, 2000);
    assertNoResult(d);
    clock.advance(2000);
    expect(successResultOf(d)).toBeUndefined();
  });

  it("treats a null function as no function", () => {
    const d = deferLater(clock, 1, null);
    clock.advance(1);
    expect(successResultOf(d)).toBeUndefined();
  });

  it("does not fire synchronously for 0 ms, only on the clock's next advance", () => {
    let runs = 0;
    const d = deferLater(clock, 0, () => ++runs);
    assertNoResult(d);
    expect(runs).toBe(0);
    clock.advance(0);
    expect(successResultOf(d)).toBe(1);
  });

  it("waits for a Deferred that the function returns", () => {
    const inner = new Deferred<string>();
    const d = deferLater(clock, 10, () => inner);
    clock.advance(10);
    assertNoResult(d);
    inner.callback("inner result");
    expect(successResultOf(d)).toBe("inner result");
  });

  it("waits for a PromiseLike that the function returns", () => {
    let resolve: ((v: number) => void) | undefined;
    const thenable: PromiseLike<number> = {
      then(onFulfilled) {
        resolve = onFulfilled as (v: number) => void;
        return undefined as never;
      },
    };
    const d = deferLater(clock, 10, () => thenable);
    clock.advance(10);
    assertNoResult(d);
    resolve!(42);
    expect(successResultOf(d)).toBe(42);
  });

  it("after the function ran, cancel() reaches the Deferred it returned", () => {
    const inner = new Deferred<string>();
    const d = deferLater(clock, 10, () => inner);
    clock.advance(10);
    d.cancel();
    // inner's own chain handed its CancelledError on to d.
    expect(inner.called).toBe(true);
    failureResultOf(d, CancelledError);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("does nothing on cancel() once it has fired", () => {
    const d = deferLater(clock, 10, () => "done");
    clock.advance(10);
    d.cancel();
    expect(successResultOf(d)).toBe("done");
  });

  it("passes a function's already-fired Deferred result through", () => {
    const d = deferLater(clock, 5, () => succeed(7));
    clock.advance(5);
    expect(successResultOf(d)).toBe(7);
  });

  it("without a function, ends in undefined even when fired by hand with a value", () => {
    // Conformance case L: Twisted's deferLater always adds a step that calls the function
    // (a no-op when there is none), so a hand-fired value never becomes the result.
    const d = deferLater(clock, 1);
    (d as Deferred<unknown>).callback(5);
    expect(successResultOf(d)).toBeUndefined();
    // The timer is still set, and fires into a called Deferred, as Twisted's does.
    expect(() => clock.advance(1)).toThrow(AlreadyCalledError);
  });

  it("with a function, gives the function's result even when fired by hand with a value", () => {
    const d = deferLater(clock, 1, () => "from fn");
    (d as Deferred<unknown>).callback(5);
    expect(successResultOf(d)).toBe("from fn");
    expect(() => clock.advance(1)).toThrow(AlreadyCalledError);
  });

  it("schedules on whatever IClock it is given", () => {
    const scheduled: number[] = [];
    const wrapper: IClock = {
      now: () => clock.now(),
      callLater<A extends unknown[]>(ms: number, fn: (...args: A) => unknown, ...args: A): DelayedCall {
        scheduled.push(ms);
        return clock.callLater(ms, fn, ...args);
      },
    };
    const d = deferLater(wrapper, 25, () => "via wrapper");
    expect(scheduled).toEqual([25]);
    clock.advance(25);
    expect(successResultOf(d)).toBe("via wrapper");
  });

  it("throws TypeError for a bad clock, delay or function, scheduling nothing", () => {
    expect(() => deferLater({} as IClock, 1)).toThrow(new TypeError("Expected `clock` to be an IClock, got `[object Object]` (object)"));
    expect(() => deferLater(clock, NaN)).toThrow(new RangeError("Expected `ms` to be a finite number >= 0, got `NaN` (number)"));
    expect(() => deferLater(clock, -1)).toThrow(RangeError);
    expect(() => deferLater(clock, 1, "f" as unknown as () => void)).toThrow(
      new TypeError('Expected `fn` to be a function, got `"f"` (string)'),
    );
    expect(clock.getDelayedCalls()).toEqual([]);
  });
});
