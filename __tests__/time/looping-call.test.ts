import { CancelledError, Clock, Deferred, fail, type IClock, LoopingCall, realClock } from "../../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../../src/testing.js";

class TestError extends Error {}

/** A LoopingCall on `clock`. */
function loopOn<A extends unknown[]>(clock: IClock, fn: (...args: A) => unknown, ...args: A): LoopingCall<A> {
  const loop = new LoopingCall(fn, ...args);
  loop.clock = clock;
  return loop;
}

describe("LoopingCall", () => {
  let clock: Clock;
  beforeEach(() => {
    clock = new Clock();
  });
  // Every test leaves its clock with no pending call.
  afterEach(() => {
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  describe("clock", () => {
    it("defaults to realClock", () => {
      // Twisted: LoopTests.test_defaultClock
      expect(new LoopingCall(() => {}).clock).toBe(realClock);
    });

    it("throws TypeError when set to something that is not an IClock", () => {
      const loop = new LoopingCall(() => {});
      expect(() => {
        loop.clock = { now: () => 0 } as unknown as IClock;
      }).toThrow(new TypeError("Expected `clock` to be an IClock, got `[object Object]` (object)"));
      expect(loop.clock).toBe(realClock);
    });
  });

  describe("constructor", () => {
    it("throws TypeError naming `fn` when it is not a function", () => {
      expect(() => new LoopingCall(null as unknown as () => void)).toThrow(
        new TypeError("Expected `fn` to be a function, got `null` (null)"),
      );
    });
  });

  describe("start()", () => {
    it("calls the function now and then every interval with its arguments, and fires with the loop on stop()", () => {
      // Twisted: LoopTests.testBasicFunction
      const calls: unknown[][] = [];
      const loop = loopOn(clock, (...args: [string, string, undefined, string]) => void calls.push(args), "a", "b", undefined, "d");
      const done = loop.start(100);
      clock.pump([50, 100, 100]);
      expect(calls).toEqual([
        ["a", "b", undefined, "d"],
        ["a", "b", undefined, "d"],
        ["a", "b", undefined, "d"],
      ]);
      assertNoResult(done);
      loop.stop();
      expect(successResultOf(done)).toBe(loop);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("with now = false, waits one interval for the first call", () => {
      // Twisted: LoopTests.testDelayedStart
      let runs = 0;
      const loop = loopOn(clock, () => runs++);
      const done = loop.start(100, false);
      expect(runs).toBe(0);
      clock.pump([50, 100, 100]);
      expect(runs).toBe(2);
      loop.stop();
      expect(successResultOf(done)).toBe(loop);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("throws RangeError for a negative interval, and the loop stays stopped", () => {
      // Twisted: LoopTests.testBadDelay
      const loop = loopOn(clock, () => {});
      expect(() => loop.start(-1)).toThrow(
        new RangeError("Expected `intervalMs` to be a finite number >= 0, got `-1` (number)"),
      );
      expect(loop.running).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("throws TypeError for a non-number interval and RangeError for NaN or an infinite one", () => {
      const loop = loopOn(clock, () => {});
      expect(() => loop.start(NaN)).toThrow(
        new RangeError("Expected `intervalMs` to be a finite number >= 0, got `NaN` (number)"),
      );
      expect(() => loop.start("10" as unknown as number)).toThrow(TypeError);
      expect(() => loop.start(Infinity)).toThrow(RangeError);
      expect(loop.running).toBe(false);
    });

    it("throws Error when the loop is already running", () => {
      const loop = loopOn(clock, () => {});
      const done = loop.start(100);
      expect(() => loop.start(100)).toThrow(new Error("Tried to start a LoopingCall that is already running"));
      expect(loop.interval).toBe(100);
      loop.stop();
      expect(successResultOf(done)).toBe(loop);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("fails its Deferred with what the function threw, and stops", () => {
      // Twisted: ReactorLoopTests.testFailure
      const loop = loopOn(
        clock,
        (message: string) => {
          throw new TestError(message);
        },
        "bar",
      );
      const done = loop.start(100);
      expect(failureResultOf(done, TestError).getErrorMessage()).toBe("bar");
      expect(loop.running).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("fails with the function's error even when the function stopped the loop first", () => {
      // Twisted: ReactorLoopTests.testFailAndStop
      const loop: LoopingCall<[]> = loopOn(clock, () => {
        loop.stop();
        throw new TestError("after stop");
      });
      const done = loop.start(100);
      failureResultOf(done, TestError);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("fails when a later call fails, with no call left pending", () => {
      let runs = 0;
      const loop = loopOn(clock, () => {
        if (++runs === 3) throw new TestError("third");
      });
      const done = loop.start(10);
      clock.advance(10);
      assertNoResult(done);
      clock.advance(10);
      expect(failureResultOf(done, TestError).getErrorMessage()).toBe("third");
      expect(loop.running).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("with interval 0, runs again at once until the function stops the loop", () => {
      // Twisted: ReactorLoopTests.testEveryIteration
      let runs = 0;
      const loop: LoopingCall<[]> = loopOn(clock, () => {
        if (++runs > 5) loop.stop();
      });
      const done = loop.start(0);
      expect(runs).toBe(1);
      clock.advance(0);
      expect(runs).toBe(6);
      expect(successResultOf(done)).toBe(loop);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("can be started again after stop(), with a new Deferred", () => {
      let runs = 0;
      const loop = loopOn(clock, () => runs++);
      const first = loop.start(10);
      loop.stop();
      const second = loop.start(20, false);
      expect(second).not.toBe(first);
      clock.advance(20);
      expect(runs).toBe(2);
      expect(loop.interval).toBe(20);
      loop.stop();
      expect(successResultOf(second)).toBe(loop);
      expect(clock.getDelayedCalls()).toEqual([]);
    });
  });

  describe("scheduling", () => {
    it("skips the intervals that a call used up itself", () => {
      // Twisted: LoopTests.test_callbackTimeSkips
      const times: number[] = [];
      let callDuration = 2000;
      const loop = loopOn(clock, () => {
        times.push(clock.now());
        clock.advance(callDuration);
      });
      loop.start(500);
      expect(times).toEqual([0]);
      expect(clock.now()).toBe(2000);
      // The run due at 2000 is the present, not the future: skipped.
      clock.advance(0);
      expect(times).toEqual([0]);
      callDuration = 1000;
      clock.advance(500);
      expect(times).toEqual([0, 2500]);
      expect(clock.now()).toBe(3500);
      clock.advance(0);
      expect(times).toEqual([0, 2500]);
      callDuration = 0;
      clock.advance(500);
      expect(times).toEqual([0, 2500, 4000]);
      expect(clock.now()).toBe(4000);
      loop.stop();
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("skips the intervals missed while the clock jumped, without replaying them", () => {
      // Twisted: LoopTests.test_reactorTimeSkips
      const times: number[] = [];
      const loop = loopOn(clock, () => void times.push(clock.now()));
      loop.start(500);
      expect(times).toEqual([0]);
      clock.advance(2000);
      expect(times).toEqual([0, 2000]);
      clock.advance(1000);
      expect(times).toEqual([0, 2000, 3000]);
      clock.advance(0);
      expect(times).toEqual([0, 2000, 3000]);
      loop.stop();
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("after a late call, schedules the next grid point rather than a full interval later", () => {
      const times: number[] = [];
      const loop = loopOn(clock, () => void times.push(clock.now()));
      loop.start(1000);
      clock.advance(3500);
      expect(times).toEqual([0, 3500]);
      expect(clock.getDelayedCalls().map((c) => c.getTime())).toEqual([4000]);
      loop.stop();
    });

    it("does not call the function again while its returned Deferred is pending", () => {
      // Twisted: ReactorLoopTests.testWaitDeferred
      let runs = 0;
      const loop: LoopingCall<[]> = loopOn(clock, () => {
        runs++;
        const d = new Deferred<undefined>();
        d.addCallback(() => loop.stop());
        clock.callLater(1000, () => d.callback(undefined));
        return d;
      });
      const done = loop.start(200);
      clock.pump([200, 800]);
      expect(runs).toBe(1);
      expect(successResultOf(done)).toBe(loop);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("fails when the function's returned Deferred fails", () => {
      // Twisted: ReactorLoopTests.testFailurePropagation
      const loop = loopOn(clock, () => {
        const d = new Deferred<undefined>();
        clock.callLater(300, () => d.errback(new TestError("later")));
        return d;
      });
      const done = loop.start(1000);
      assertNoResult(done);
      clock.pump([300]);
      failureResultOf(done, TestError);
      expect(loop.running).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("after a slow returned Deferred, resumes on the next grid point", () => {
      const times: number[] = [];
      const slow = new Deferred<undefined>();
      const loop = loopOn(clock, () => {
        times.push(clock.now());
        return times.length === 1 ? slow : undefined;
      });
      loop.start(1000);
      clock.advance(2500);
      expect(times).toEqual([0]);
      slow.callback(undefined);
      expect(clock.getDelayedCalls().map((c) => c.getTime())).toEqual([3000]);
      clock.advance(500);
      expect(times).toEqual([0, 3000]);
      loop.stop();
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("waits for a PromiseLike that the function returns", () => {
      let settle: ((v: unknown) => void) | undefined;
      const thenable: PromiseLike<unknown> = {
        then(onFulfilled) {
          settle = onFulfilled as (v: unknown) => void;
          return undefined as never;
        },
      };
      let runs = 0;
      const loop = loopOn(clock, () => {
        runs++;
        return runs === 1 ? thenable : undefined;
      });
      loop.start(10);
      clock.advance(100);
      expect(runs).toBe(1);
      expect(clock.getDelayedCalls()).toEqual([]);
      settle!(undefined);
      clock.advance(10);
      expect(runs).toBe(2);
      loop.stop();
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("uses a changed interval from the next scheduling on", () => {
      const times: number[] = [];
      const loop = loopOn(clock, () => void times.push(clock.now()));
      loop.start(100);
      loop.interval = 300; // the run at 100 is already scheduled
      clock.pump([100, 100, 100, 100]);
      expect(times).toEqual([0, 100, 300]);
      loop.stop();
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("interval throws TypeError or RangeError when set to a bad value", () => {
      const loop = loopOn(clock, () => {});
      expect(loop.interval).toBeUndefined();
      expect(() => {
        loop.interval = -5;
      }).toThrow(new RangeError("Expected `interval` to be a finite number >= 0, got `-5` (number)"));
      expect(() => {
        loop.interval = NaN;
      }).toThrow(RangeError);
      expect(() => {
        loop.interval = "5" as unknown as number;
      }).toThrow(TypeError);
      expect(loop.interval).toBeUndefined();
    });

    it("schedules a full interval on when the gap to the grid point is lost to float rounding", () => {
      // At 2^60 ms doubles are 256 apart: the grid point 65 ms on (2^60 + 65 is a multiple of
      // 290443) rounds back to now, and a call there would run at the same instant again.
      let runs = 0;
      const loop = loopOn(clock, () => void runs++);
      loop.start(290443); // the grid: multiples of 290443 from 0
      clock.advance(2 ** 60); // the call due at 290443 runs at 2^60, 65 ms before a grid point
      expect(runs).toBe(2);
      const [next] = clock.getDelayedCalls();
      expect(next!.getTime()).toBe(2 ** 60 + 290443);
      expect(next!.getTime()).toBeGreaterThan(clock.now());
      loop.stop();
    });

    it("after the clock went backwards, schedules the next grid point, not more than an interval away", () => {
      // A wall clock can be set back; `%` keeps the sign of a negative offset from the start.
      let offset = 1000;
      const wall: IClock = { now: () => clock.now() + offset, callLater: (ms, fn, ...args) => clock.callLater(ms, fn, ...args) };
      const times: number[] = [];
      const loop = loopOn(wall, () => void times.push(wall.now()));
      loop.start(100); // runs at 1000 on the wall; the grid is 1000, 1100, ...
      offset = 850; // set back by 150: the call due at wall 1100 comes at wall 950
      clock.advance(100);
      expect(times).toEqual([1000, 950]);
      expect(clock.getDelayedCalls().map((c) => c.getTime() + offset)).toEqual([1000]); // 50 ms on
      loop.stop();
    });
  });

  describe("stop()", () => {
    it("before a delayed start with interval 0, prevents every call", () => {
      // Twisted: LoopTests.testStopAtOnce
      let ran = false;
      const loop = loopOn(clock, () => {
        ran = true;
      });
      loop.start(0, false);
      loop.stop();
      clock.advance(0);
      expect(ran).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("before a delayed start, prevents every call", () => {
      // Twisted: LoopTests.testStoppingBeforeDelayedStart
      let ran = false;
      const loop = loopOn(clock, () => {
        ran = true;
      });
      loop.start(10000, false);
      loop.stop();
      clock.advance(10000);
      expect(ran).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("from a call scheduled on the clock, prevents the delayed first call", () => {
      // Twisted: ReactorLoopTests.testStopAtOnceLater
      let ran = false;
      const loop = loopOn(clock, () => {
        ran = true;
      });
      const done = loop.start(1000, false);
      clock.callLater(0, () => loop.stop());
      clock.advance(0);
      expect(successResultOf(done)).toBe(loop);
      clock.advance(2000);
      expect(ran).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("throws Error when the loop is not running", () => {
      const loop = loopOn(clock, () => {});
      expect(() => loop.stop()).toThrow(new Error("Tried to stop a LoopingCall that is not running"));
    });

    it("makes running false before the Deferred fires", () => {
      const loop = loopOn(clock, () => {});
      const seen: boolean[] = [];
      loop.start(10).addCallback((l) => void seen.push(l.running));
      expect(loop.running).toBe(true);
      loop.stop();
      expect(seen).toEqual([false]);
    });

    it("while the function's Deferred is pending: fires the start Deferred when that one succeeds", () => {
      const pending = new Deferred<undefined>();
      const loop = loopOn(clock, () => pending);
      const done = loop.start(10);
      loop.stop();
      expect(loop.running).toBe(false);
      assertNoResult(done);
      pending.callback(undefined);
      expect(successResultOf(done)).toBe(loop);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("while the function's Deferred is pending: fails the start Deferred when that one fails", () => {
      const pending = new Deferred<undefined>();
      const loop = loopOn(clock, () => pending);
      const done = loop.start(10);
      loop.stop();
      pending.errback(new TestError("late failure"));
      failureResultOf(done, TestError);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("from inside the function, fires the start Deferred once the function returns", () => {
      let runs = 0;
      const loop: LoopingCall<[]> = loopOn(clock, () => {
        if (++runs === 2) loop.stop();
      });
      const done = loop.start(10);
      clock.advance(10);
      expect(successResultOf(done)).toBe(loop);
      clock.advance(100);
      expect(runs).toBe(2);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it.each([
      [
        "succeeds",
        (d: Deferred<undefined>) => d.callback(undefined),
        (first: Deferred<LoopingCall<[]>>, loop: LoopingCall<[]>) => expect(successResultOf(first)).toBe(loop),
      ],
      [
        "fails",
        (d: Deferred<undefined>) => d.errback(new TestError("old run")),
        (first: Deferred<LoopingCall<[]>>) => void failureResultOf(first, TestError),
      ],
    ])("then start() while the old run is pending: an old run that %s settles the old Deferred only", (_how, settle, outcome) => {
      // Conformance case W, a deliberate difference: Twisted schedules a second, overlapping
      // loop when the old run settles, and the first start()'s Deferred never fires.
      const slow = new Deferred<undefined>();
      let runs = 0;
      const loop = loopOn(clock, () => (++runs === 1 ? slow : undefined));
      const first = loop.start(100);
      loop.stop();
      const second = loop.start(100, false);
      expect(clock.getDelayedCalls()).toHaveLength(1);
      settle(slow);
      outcome(first, loop);
      assertNoResult(second);
      expect(loop.running).toBe(true);
      expect(clock.getDelayedCalls()).toHaveLength(1);
      clock.advance(100);
      expect(runs).toBe(2);
      loop.stop();
      expect(successResultOf(second)).toBe(loop);
      expect(clock.getDelayedCalls()).toEqual([]);
    });
  });

  describe("reset()", () => {
    it("restarts the interval from now", () => {
      // Twisted: LoopTests.test_reset
      let ran = false;
      const loop = loopOn(clock, () => {
        ran = true;
      });
      loop.start(2000, false);
      clock.advance(1000);
      loop.reset();
      clock.advance(1000);
      expect(ran).toBe(false);
      clock.advance(1000);
      expect(ran).toBe(true);
      loop.stop();
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("rebases the grid on the time of the reset", () => {
      const times: number[] = [];
      const loop = loopOn(clock, () => void times.push(clock.now()));
      loop.start(100);
      clock.advance(30);
      loop.reset();
      clock.pump([100, 100]);
      expect(times).toEqual([0, 130, 230]);
      loop.stop();
    });

    it("does nothing while the function's Deferred is pending", () => {
      const pending = new Deferred<undefined>();
      const loop = loopOn(clock, () => pending);
      loop.start(100);
      clock.advance(50);
      loop.reset();
      expect(clock.getDelayedCalls()).toEqual([]);
      pending.callback(undefined);
      expect(clock.getDelayedCalls().map((c) => c.getTime())).toEqual([100]);
      loop.stop();
    });

    it("throws Error when the loop is not running", () => {
      const loop = loopOn(clock, () => {});
      expect(() => loop.reset()).toThrow(new Error("Tried to reset a LoopingCall that is not running"));
    });
  });

  describe("the Deferred from start()", () => {
    it("does not stop the loop when cancelled (call stop())", () => {
      let runs = 0;
      const loop = loopOn(clock, () => runs++);
      const done = loop.start(10);
      done.cancel();
      failureResultOf(done, CancelledError);
      clock.advance(10);
      expect(runs).toBe(2);
      expect(loop.running).toBe(true);
      loop.stop(); // the late callback of the cancelled Deferred is swallowed
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("fails at once, inside start(), when the first call returns a failed Deferred", () => {
      const loop = loopOn(clock, () => fail(new TestError("sync")));
      const done = loop.start(10);
      failureResultOf(done, TestError);
      expect(loop.running).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([]);
    });
  });
});

describe("LoopingCall.withCount()", () => {
  let clock: Clock;
  beforeEach(() => {
    clock = new Clock();
  });
  // Every test leaves its clock with no pending call.
  afterEach(() => {
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  function counting(record: (count: number) => unknown = () => {}): {
    loop: LoopingCall<[]>;
    log: Array<[number, number]>;
  } {
    const log: Array<[number, number]> = [];
    const loop = LoopingCall.withCount((count) => {
      log.push([clock.now(), count]);
      return record(count);
    });
    loop.clock = clock;
    return { loop, log };
  }

  it("keeps its grid on the time start() was called, not on the clock's zero", () => {
    clock.advance(100);
    const { loop, log } = counting();
    loop.start(500);
    expect(clock.getDelayedCalls().map((c) => c.getTime())).toEqual([600]);
    clock.advance(500);
    clock.advance(850); // the call due at 1100 runs at 1450: one grid point (1100) crossed
    expect(log).toEqual([
      [100, 1],
      [600, 1],
      [1450, 1],
    ]);
    expect(clock.getDelayedCalls().map((c) => c.getTime())).toEqual([1600]);
    loop.stop();
  });

  it("passes the number of intervals that went by, counting skipped ones", () => {
    // Twisted: LoopTests.test_reactorTimeCountSkips
    const { loop, log } = counting();
    loop.start(500);
    expect(log).toEqual([[0, 1]]);
    clock.advance(510);
    expect(log).toEqual([
      [0, 1],
      [510, 1],
    ]);
    clock.advance(1510);
    expect(log).toEqual([
      [0, 1],
      [510, 1],
      [2020, 3],
    ]);
    clock.advance(0);
    expect(log).toHaveLength(3);
    loop.stop();
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("counts grid boundaries crossed, not the time since the last call", () => {
    // Twisted: LoopTests.test_countLengthyIntervalCounts
    const { loop, log } = counting();
    loop.start(500);
    expect(log.pop()).toEqual([0, 1]);
    clock.advance(510);
    expect(log.pop()).toEqual([510, 1]);
    clock.advance(875);
    expect(log.pop()).toEqual([1385, 1]);
    clock.advance(125);
    expect(log.pop()).toEqual([1510, 1]);
    loop.stop();
  });

  it("never passes 0, and the counts add up to the elapsed intervals despite float rounding", () => {
    // Twisted: LoopTests.test_withCountFloatingPointBoundary
    const counts: number[] = [];
    const loop = LoopingCall.withCount((n) => void counts.push(n));
    loop.clock = clock;
    const count = 10;
    const timespan = 1;
    const interval = timespan / count;
    loop.start(interval, false);
    for (let i = 0; i < count; i++) clock.advance(interval);
    let sum = 0;
    for (let i = 0; i < count; i++) sum += interval;
    const epsilon = timespan - sum;
    clock.advance(epsilon);
    expect(Math.abs(epsilon)).toBeGreaterThan(0);
    expect(clock.now()).toBeGreaterThanOrEqual(timespan);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(count);
    expect(counts).not.toContain(0);
    loop.stop();
  });

  it("with interval 0, always passes 1", () => {
    // Twisted: LoopTests.test_withCountIntervalZero
    const counts: number[] = [];
    const loop: LoopingCall<[]> = LoopingCall.withCount((n) => {
      counts.push(n);
      if (counts.length > 4) loop.stop();
    });
    loop.clock = clock;
    const done = loop.start(0, false);
    clock.advance(0);
    expect(successResultOf(done)).toBe(loop);
    expect(counts).toEqual([1, 1, 1, 1, 1]);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("with interval 0, passes 1 after waiting on a returned Deferred", () => {
    // Twisted: LoopTests.test_withCountIntervalZeroDelay
    const pending = new Deferred<undefined>();
    const counts: number[] = [];
    const loop: LoopingCall<[]> = LoopingCall.withCount((n) => {
      counts.push(n);
      if (counts.length === 2) return pending;
      if (counts.length > 4) loop.stop();
      return undefined;
    });
    loop.clock = clock;
    loop.start(0, false);
    clock.advance(0);
    expect(counts).toEqual([1, 1]);
    clock.advance(2000);
    expect(counts).toEqual([1, 1]);
    pending.callback(undefined);
    clock.advance(0);
    expect(counts).toEqual([1, 1, 1, 1, 1]);
    expect(loop.running).toBe(false);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("keeps the time of the last call across a change from interval 0 to a real interval", () => {
    // Twisted: LoopTests.test_withCountIntervalZeroDelayThenNonZeroInterval
    const pending = new Deferred<undefined>();
    const counts: number[] = [];
    const loop = LoopingCall.withCount((n) => {
      counts.push(n);
      return counts.length === 2 ? pending : undefined;
    });
    loop.clock = clock;
    loop.start(0, false);
    clock.advance(10000);
    expect(counts).toEqual([1, 1]);
    loop.interval = 2000;
    pending.callback(undefined);
    clock.advance(7000);
    expect(counts).toEqual([1, 1, 3]);
    clock.advance(2000);
    expect(counts).toEqual([1, 1, 3, 1]);
    clock.advance(4000);
    expect(counts).toEqual([1, 1, 3, 1, 2]);
    loop.stop();
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("counts the intervals missed while a returned Deferred was pending", () => {
    // Twisted: ReactorLoopTests.test_deferredWithCount
    const pending = new Deferred<undefined>();
    const counts: number[] = [];
    const loop = LoopingCall.withCount((n) => {
      counts.push(n);
      return counts.length === 1 ? pending : undefined;
    });
    loop.clock = clock;
    loop.start(200, false);
    expect(counts).toEqual([]);
    clock.pump([200, 400]);
    expect(counts).toEqual([1]);
    pending.callback(undefined);
    clock.pump([200]);
    expect(counts).toEqual([1, 3]);
    loop.stop();
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("with now = false, counts the first call as one interval and then the skipped ones", () => {
    const { loop, log } = counting();
    loop.start(1000, false);
    clock.advance(1000);
    clock.advance(2500);
    expect(log.map(([, n]) => n)).toEqual([1, 2]);
    loop.stop();
  });

  it("does not call the count function when no grid boundary was crossed", () => {
    const { loop, log } = counting();
    loop.start(1000, false);
    clock.advance(1000);
    loop.interval = 3000; // the run at 2000 is in the same 3000-wide interval as the one at 1000
    clock.advance(1000);
    expect(log).toEqual([[1000, 1]]);
    clock.advance(1000);
    expect(log).toEqual([
      [1000, 1],
      [3000, 1],
    ]);
    loop.stop();
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("starts counting afresh when started again", () => {
    // Conformance case W, a deliberate difference: Twisted counts from the last call of the
    // previous run, so the time the loop was stopped counts as skipped intervals.
    const { loop, log } = counting();
    loop.start(100, false);
    clock.advance(100);
    loop.stop();
    clock.advance(1000);
    loop.start(100, false);
    clock.advance(100);
    expect(log).toEqual([
      [100, 1],
      [1200, 1],
    ]);
    loop.stop();
  });

  it("counts from the new start after a loop that stopped itself (Twisted's own program: 3 there)", () => {
    const { loop, log } = counting(() => {
      if (log.length === 2) loop.stop();
    });
    loop.start(1);
    clock.advance(2);
    clock.advance(1);
    expect(log).toEqual([
      [0, 1],
      [2, 2],
    ]);
    expect(loop.running).toBe(false);
    loop.start(1, false); // at time 3
    clock.advance(2);
    expect(log[2]).toEqual([5, 2]); // intervals 3..4 and 4..5 of the new run
    loop.stop();
  });

  it("passes through what the count function returns, so the loop waits for its Deferred", () => {
    const pending = new Deferred<undefined>();
    const { loop, log } = counting(() => (log.length === 1 ? pending : undefined));
    loop.start(100);
    clock.advance(500);
    expect(log).toEqual([[0, 1]]);
    pending.callback(undefined);
    clock.advance(100);
    expect(log).toEqual([
      [0, 1],
      [600, 6],
    ]);
    loop.stop();
  });

  it("throws TypeError naming `countFn` when it is not a function", () => {
    expect(() => LoopingCall.withCount(3 as unknown as () => void)).toThrow(
      new TypeError("Expected `countFn` to be a function, got `3` (number)"),
    );
  });
});
