import { CancelledError, Clock, Deferred, Failure, type IClock, succeed, TimeoutError } from "../../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../../src/testing.js";

class ValueError extends Error {}

describe("Deferred#addTimeout()", () => {
  let clock: Clock;
  let overrides: Array<[unknown, number]>;
  /** Twisted's `_overrideFunc`: whatever the result, it becomes "OVERRIDDEN". */
  let overrideFunc: (result: unknown, ms: number) => string;

  beforeEach(() => {
    clock = new Clock();
    overrides = [];
    overrideFunc = (result, ms) => {
      overrides.push([result, ms]);
      return "OVERRIDDEN";
    };
  });
  // Every test leaves its clock with no pending call.
  afterEach(() => {
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("returns the same Deferred, so steps can be chained after it", () => {
    // Twisted: DeferredAddTimeoutTests.test_timeoutChainable
    const d = new Deferred<undefined>();
    expect(d.addTimeout(5, clock)).toBe(d);
    const chained = d.addTimeout(5, clock).addCallback(() => "done");
    d.callback(undefined);
    expect(successResultOf(chained)).toBe("done");
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  describe.each([
    ["default conversion", false],
    ["custom onTimeoutCancel", true],
  ])("with a result before the timeout (%s)", (_name, custom) => {
    const addTimeout = (d: Deferred<string>): Deferred<string> =>
      custom ? d.addTimeout(10, clock, overrideFunc) : d.addTimeout(10, clock);

    it("passes a success on and disarms the timer, so nothing is cancelled later", () => {
      // Twisted: DeferredAddTimeoutTests.test_successResultBeforeTimeout
      // Twisted: DeferredAddTimeoutTests.test_successResultBeforeTimeoutCustom
      const d = addTimeout(new Deferred<string>());
      const inner = new Deferred<undefined>();
      let seen: unknown;
      d.addCallback((r) => {
        seen = r;
        return inner;
      });
      d.callback("results");
      expect(seen).toBe("results");
      expect(clock.getDelayedCalls()).toEqual([]);
      clock.advance(15);
      assertNoResult(inner);
      expect(overrides).toEqual([]);
    });

    it("passes a failure on and disarms the timer, so nothing is cancelled later", () => {
      // Twisted: DeferredAddTimeoutTests.test_failureBeforeTimeout
      // Twisted: DeferredAddTimeoutTests.test_failureBeforeTimeoutCustom
      const d = addTimeout(new Deferred<string>());
      const inner = new Deferred<undefined>();
      let seen: unknown;
      d.addErrback((f) => {
        seen = f.value;
        return inner;
      });
      const error = new ValueError("fail");
      d.errback(error);
      expect(seen).toBe(error);
      expect(clock.getDelayedCalls()).toEqual([]);
      clock.advance(15);
      assertNoResult(inner);
      expect(overrides).toEqual([]);
    });

    it("on a manual cancel() gives a plain CancelledError and never times out afterwards", () => {
      // Twisted: DeferredAddTimeoutTests.test_cancelBeforeTimeout
      // Twisted: DeferredAddTimeoutTests.test_cancelBeforeTimeoutCustom
      const d = addTimeout(new Deferred<string>());
      const inner = new Deferred<undefined>();
      let seen: unknown;
      d.addErrback((f) => {
        seen = f.value;
        return inner;
      });
      d.cancel();
      expect(seen).toBeInstanceOf(CancelledError);
      expect(clock.getDelayedCalls()).toEqual([]);
      clock.advance(15);
      assertNoResult(inner);
      expect(overrides).toEqual([]);
    });
  });

  it("fails with TimeoutError once the time is up", () => {
    // Twisted: DeferredAddTimeoutTests.test_timedOut
    const d = new Deferred<string>().addTimeout(10, clock);
    assertNoResult(d);
    clock.advance(9);
    assertNoResult(d);
    clock.advance(6);
    const f = failureResultOf(d, TimeoutError);
    expect(f.getErrorMessage()).toBe("Deferred timed out after 10 ms");
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("gives the result of a custom onTimeoutCancel, called with the failure and the timeout", () => {
    // Twisted: DeferredAddTimeoutTests.test_timedOutCustom
    const d = new Deferred<string>().addTimeout(10, clock, overrideFunc);
    assertNoResult(d);
    clock.advance(15);
    expect(successResultOf(d)).toBe("OVERRIDDEN");
    expect(overrides).toHaveLength(1);
    const [result, ms] = overrides[0]!;
    expect(result).toBeInstanceOf(Failure);
    expect((result as Failure).check(CancelledError)).toBe(CancelledError);
    expect(ms).toBe(10);
  });

  it("keeps the success that the Deferred's own canceller gave", () => {
    // Twisted: DeferredAddTimeoutTests.test_timedOutProvidedCancelSuccess
    const d = new Deferred<string>((self) => self.callback("I was cancelled!")).addTimeout(10, clock);
    clock.advance(15);
    expect(successResultOf(d)).toBe("I was cancelled!");
  });

  it("keeps a failure other than CancelledError that the Deferred's own canceller gave", () => {
    // Twisted: DeferredAddTimeoutTests.test_timedOutProvidedCancelFailure
    const error = new ValueError("what!");
    const d = new Deferred<string>((self) => self.errback(error)).addTimeout(10, clock);
    clock.advance(15);
    expect(failureResultOf(d, ValueError).value).toBe(error);
  });

  it("calls a custom onTimeoutCancel with the canceller's failure", () => {
    // Twisted: DeferredAddTimeoutTests.test_providedCancelCalledBeforeTimeoutCustom
    const error = new ValueError("what!");
    const d = new Deferred<string>((self) => self.errback(error)).addTimeout(10, clock, overrideFunc);
    clock.advance(15);
    expect(successResultOf(d)).toBe("OVERRIDDEN");
    expect((overrides[0]![0] as Failure).value).toBe(error);
  });

  it("shows the CancelledError to errbacks added before it and the TimeoutError to those after", () => {
    // Twisted: DeferredAddTimeoutTests.test_errbackAddedBeforeTimeout
    const d = new Deferred<string>();
    let before: unknown;
    d.addErrback((f) => {
      before = f.value;
      return f;
    });
    d.addTimeout(10, clock);
    clock.advance(15);
    expect(before).toBeInstanceOf(CancelledError);
    failureResultOf(d, TimeoutError);
  });

  it("does not turn a CancelledError into TimeoutError when an earlier errback handled it", () => {
    // Twisted: DeferredAddTimeoutTests.test_errbackAddedBeforeTimeoutSuppressesCancellation
    const d = new Deferred<string>();
    let before: unknown;
    d.addErrback((f) => {
      before = f.value;
      return undefined;
    });
    d.addTimeout(10, clock);
    clock.advance(15);
    expect(before).toBeInstanceOf(CancelledError);
    expect(successResultOf(d)).toBeUndefined();
  });

  it("with a custom onTimeoutCancel, replaces the failure an earlier errback passed on", () => {
    // Twisted: DeferredAddTimeoutTests.test_errbackAddedBeforeTimeoutCustom
    const d = new Deferred<string>();
    let before: unknown;
    d.addErrback((f) => {
      before = f.value;
      return f;
    });
    d.addTimeout(10, clock, overrideFunc);
    clock.advance(15);
    expect(before).toBeInstanceOf(CancelledError);
    expect(successResultOf(d)).toBe("OVERRIDDEN");
  });

  it("with a custom onTimeoutCancel, calls it even when an earlier errback recovered", () => {
    // Twisted: DeferredAddTimeoutTests.test_errbackAddedBeforeTimeoutSuppressesCancellationCustom
    const d = new Deferred<string>();
    let before: unknown;
    d.addErrback((f) => {
      before = f.value;
      return undefined;
    });
    d.addTimeout(10, clock, overrideFunc);
    clock.advance(15);
    expect(before).toBeInstanceOf(CancelledError);
    expect(successResultOf(d)).toBe("OVERRIDDEN");
    expect(overrides).toEqual([[undefined, 10]]);
  });

  it("passes on the success of a canceller, as seen by callbacks added before it", () => {
    // Twisted: DeferredAddTimeoutTests.test_callbackAddedToCancelerBeforeTimeout
    const d = new Deferred<string>((self) => self.callback("success"));
    let before: unknown;
    d.addCallback((r) => {
      before = r;
      return r;
    });
    d.addTimeout(10, clock);
    clock.advance(15);
    expect(before).toBe("success");
    expect(successResultOf(d)).toBe("success");
  });

  it("with a custom onTimeoutCancel, calls it with the canceller's success", () => {
    // Twisted: DeferredAddTimeoutTests.test_callbackAddedToCancelerBeforeTimeoutCustom
    const d = new Deferred<string>((self) => self.callback("success"));
    let before: unknown;
    d.addCallback((r) => {
      before = r;
      return r;
    });
    d.addTimeout(10, clock, overrideFunc);
    clock.advance(15);
    expect(before).toBe("success");
    expect(successResultOf(d)).toBe("OVERRIDDEN");
    expect(overrides).toEqual([["success", 10]]);
  });

  it("leaves a CancelledError when a custom onTimeoutCancel returns the failure unchanged", () => {
    const d = new Deferred<string>().addTimeout(10, clock, (r) => r);
    clock.advance(10);
    failureResultOf(d, CancelledError);
  });

  it("fails with what a custom onTimeoutCancel throws", () => {
    const error = new ValueError("from onTimeoutCancel");
    const d = new Deferred<string>().addTimeout(10, clock, () => {
      throw error;
    });
    clock.advance(10);
    expect(failureResultOf(d, ValueError).value).toBe(error);
  });

  it("schedules and at once disarms the timer on a Deferred that already has a result", () => {
    const d = succeed("already").addTimeout(10, clock);
    expect(clock.getDelayedCalls()).toEqual([]);
    expect(successResultOf(d)).toBe("already");
  });

  it("cancels the Deferred that the chain is waiting on", () => {
    const inner = new Deferred<string>();
    const d = succeed(1).addCallback(() => inner);
    d.addTimeout(10, clock);
    clock.advance(10);
    failureResultOf(d, TimeoutError);
    expect(inner.called).toBe(true);
  });

  it("swallows the operation's late callback() once after timing out a Deferred without canceller", () => {
    const d = new Deferred<string>().addTimeout(10, clock);
    clock.advance(10);
    expect(() => d.callback("late")).not.toThrow();
    failureResultOf(d, TimeoutError);
  });

  it("refuses a negative timeout with RangeError, as every time API does (issue 9)", () => {
    const d = new Deferred<string>();
    expect(() => d.addTimeout(-5, clock)).toThrow(
      new RangeError("Expected `ms` to be a finite number >= 0, got `-5` (number)"),
    );
    expect(clock.getDelayedCalls()).toEqual([]);
    assertNoResult(d);
  });

  it("throws TypeError for a bad timeout, clock or onTimeoutCancel, scheduling nothing", () => {
    const d = new Deferred<string>();
    expect(() => d.addTimeout("1" as unknown as number, clock)).toThrow(
      new TypeError('Expected `ms` to be a finite number >= 0, got `"1"` (string)'),
    );
    expect(() => d.addTimeout(10, {} as IClock)).toThrow(TypeError);
    expect(() => d.addTimeout(10, clock, "x" as unknown as () => void)).toThrow(
      new TypeError('Expected `onTimeoutCancel` to be a function, got `"x"` (string)'),
    );
    expect(clock.getDelayedCalls()).toEqual([]);
    d.callback("fine");
    expect(successResultOf(d)).toBe("fine");
  });

  it("takes as its clock what deferLater and LoopingCall take: anything with callLater and now", () => {
    // A function with both methods is an IClock to TypeScript, so it is one here too.
    const asFunction = Object.assign(() => {}, { callLater: clock.callLater.bind(clock), now: clock.now.bind(clock) });
    const d = new Deferred<string>().addTimeout(10, asFunction);
    clock.advance(10);
    failureResultOf(d, TimeoutError);
    const withoutNow = { callLater: clock.callLater.bind(clock) } as unknown as IClock;
    expect(() => new Deferred<string>().addTimeout(10, withoutNow)).toThrow(
      new TypeError("Expected `clock` to be an IClock, got `[object Object]` (object)"),
    );
  });
});
