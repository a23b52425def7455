// Clock's own rules: how advance() and pump() move time, what getDelayedCalls() shows, and the
// order of calls due at the same time. What every IClock shares (callLater, cancel, reset,
// delay, their errors) is the contract in __tests__/contracts/delayed-call.ts, run here too.
import { Clock } from "../../src/index.js";
import { delayedCallContract } from "../contracts/delayed-call.js";

describe("Clock", () => {
  describe("now()", () => {
    it("starts at 0", () => {
      // Twisted: ClockTests.testSeconds
      expect(new Clock().now()).toBe(0);
    });

    it("is the sum of every advance", () => {
      const clock = new Clock();
      clock.advance(1.5);
      clock.advance(3);
      clock.pump([10, 0, 2]);
      expect(clock.now()).toBe(16.5);
    });
  });

  describe("advance()", () => {
    it("runs a call once its time is reached, and only once", () => {
      // Twisted: ClockTests.testAdvance
      const clock = new Clock();
      let runs = 0;
      const call = clock.callLater(2, () => runs++);
      clock.advance(1);
      expect(runs).toBe(0);
      clock.advance(1);
      expect(runs).toBe(1);
      expect(call.active()).toBe(false);
      clock.advance(10);
      expect(runs).toBe(1);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("runs calls due at the same time in the order they were scheduled", () => {
      const clock = new Clock();
      const log: number[] = [];
      for (let i = 0; i < 5; i++) clock.callLater(10, () => log.push(i));
      clock.advance(10);
      expect(log).toEqual([0, 1, 2, 3, 4]);
    });

    it("moves the time to its end first: every call it runs sees the final time", () => {
      const clock = new Clock();
      const seen: number[] = [];
      clock.callLater(1, () => seen.push(clock.now()));
      clock.callLater(2, () => seen.push(clock.now()));
      clock.advance(5);
      expect(seen).toEqual([5, 5]);
    });

    it("runs a call scheduled during the advance that is already due, after the calls due before it", () => {
      const clock = new Clock();
      const log: string[] = [];
      clock.callLater(1, () => {
        log.push("first");
        clock.callLater(0, () => log.push("nested0"));
        clock.callLater(10, () => log.push("nested10"));
      });
      clock.callLater(2, () => log.push("second"));
      clock.advance(2);
      expect(log).toEqual(["first", "second", "nested0"]);
      expect(clock.getDelayedCalls().map((c) => c.getTime())).toEqual([12]);
      clock.advance(10);
      expect(log).toEqual(["first", "second", "nested0", "nested10"]);
    });

    it("does not run a due call that an earlier call cancelled", () => {
      const clock = new Clock();
      const log: string[] = [];
      clock.callLater(1, () => {
        log.push("canceller");
        later.cancel();
      });
      const later = clock.callLater(2, () => log.push("cancelled"));
      clock.advance(5);
      expect(log).toEqual(["canceller"]);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("lets a call advance the clock again from inside itself", () => {
      const clock = new Clock();
      const log: Array<[string, number]> = [];
      clock.callLater(1, () => {
        log.push(["outer", clock.now()]);
        clock.advance(4);
        log.push(["outer end", clock.now()]);
      });
      clock.callLater(3, () => log.push(["inner", clock.now()]));
      clock.callLater(6, () => log.push(["after", clock.now()]));
      clock.advance(1);
      expect(log).toEqual([
        ["outer", 1],
        ["inner", 5],
        ["outer end", 5],
      ]);
      expect(clock.getDelayedCalls().map((c) => c.getTime())).toEqual([6]);
      clock.advance(1);
      expect(log[3]).toEqual(["after", 6]);
    });

    it("lets an error thrown by a call propagate, keeping the remaining due calls for the next advance", () => {
      const clock = new Clock();
      const log: string[] = [];
      const boom = new Error("boom");
      clock.callLater(1, () => log.push("before"));
      const failing = clock.callLater(2, () => {
        throw boom;
      });
      const after = clock.callLater(3, () => log.push("after"));
      let error: unknown;
      try {
        clock.advance(5);
      } catch (e) {
        error = e;
      }
      expect(error).toBe(boom);
      expect(log).toEqual(["before"]);
      expect(failing.active()).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([after]);
      expect(clock.now()).toBe(5);
      clock.advance(0);
      expect(log).toEqual(["before", "after"]);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("throws RangeError for a negative, NaN or infinite amount and TypeError for a non-number, without moving time", () => {
      const clock = new Clock();
      expect(() => clock.advance(-1)).toThrow(
        new RangeError("Expected `ms` to be a finite number >= 0, got `-1` (number)"),
      );
      expect(() => clock.advance(Infinity)).toThrow(RangeError);
      expect(() => clock.advance(NaN)).toThrow(RangeError);
      expect(() => clock.advance("1" as unknown as number)).toThrow(TypeError);
      expect(clock.now()).toBe(0);
    });
  });

  describe("pump()", () => {
    it("advances by each amount in turn, running calls between the steps", () => {
      const clock = new Clock();
      const seen: number[] = [];
      const tick = (): void => {
        seen.push(clock.now());
        clock.callLater(10, tick);
      };
      clock.callLater(10, tick);
      clock.pump([5, 5, 10, 3]);
      expect(seen).toEqual([10, 20]);
      expect(clock.now()).toBe(23);
      clock.getDelayedCalls()[0]!.cancel();
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("takes any iterable", () => {
      const clock = new Clock();
      clock.pump(new Set([1, 2, 3]));
      expect(clock.now()).toBe(6);
    });

    it("throws TypeError naming `msList` for a non-iterable", () => {
      const clock = new Clock();
      expect(() => clock.pump(5 as unknown as number[])).toThrow(
        new TypeError("Expected `msList` to be an iterable of numbers, got `5` (number)"),
      );
    });
  });

  describe("getDelayedCalls()", () => {
    it("is empty for a new Clock", () => {
      // Twisted: ClockTests.test_getDelayedCallsEmpty
      expect(new Clock().getDelayedCalls()).toEqual([]);
    });

    it("holds exactly the pending calls", () => {
      // Twisted: ClockTests.test_getDelayedCalls
      const clock = new Clock();
      const a = clock.callLater(1, () => {});
      const b = clock.callLater(2, () => {});
      const calls = clock.getDelayedCalls();
      expect(calls).toHaveLength(2);
      expect(calls).toContain(a);
      expect(calls).toContain(b);
      clock.advance(2);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("lists the calls earliest first, in running order", () => {
      const clock = new Clock();
      const c = clock.callLater(30, () => {});
      const a1 = clock.callLater(10, () => {});
      const b = clock.callLater(20, () => {});
      const a2 = clock.callLater(10, () => {});
      expect(clock.getDelayedCalls()).toEqual([a1, a2, b, c]);
      clock.advance(30);
    });

    it("returns a copy: changing it does not change the schedule", () => {
      const clock = new Clock();
      let runs = 0;
      clock.callLater(1, () => runs++);
      clock.getDelayedCalls().length = 0;
      expect(clock.getDelayedCalls()).toHaveLength(1);
      clock.advance(1);
      expect(runs).toBe(1);
    });
  });
});

describe("Clock as an IClock: the DelayedCall contract", () => {
  // Twisted: ClockTests.test_providesIReactorTime, and the tests named in the contract.
  delayedCallContract(() => {
    const clock = new Clock();
    return {
      clock,
      elapse: (ms) => clock.advance(ms),
      pending: () => clock.getDelayedCalls().length,
    };
  });
});

describe("Clock DelayedCall ordering", () => {
  it("orders a call scheduled after a reset against the reset time", () => {
    // Twisted: ClockTests.test_callLaterKeepsCallsOrdered
    const clock = new Clock();
    const log: Array<[string, number]> = [];
    const a = clock.callLater(1000, () => log.push(["a", clock.now()]));
    a.reset(3000);
    clock.callLater(2000, () => log.push(["b", clock.now()]));
    clock.pump([1000, 1000, 1000]);
    expect(log).toEqual([
      ["b", 2000],
      ["a", 3000],
    ]);
  });

  it("orders a reset call against the calls already scheduled", () => {
    // Twisted: ClockTests.test_callLaterResetKeepsCallsOrdered
    const clock = new Clock();
    const log: Array<[string, number]> = [];
    const a = clock.callLater(1000, () => log.push(["a", clock.now()]));
    clock.callLater(2000, () => log.push(["b", clock.now()]));
    a.reset(3000);
    clock.pump([1000, 1000, 1000]);
    expect(log).toEqual([
      ["b", 2000],
      ["a", 3000],
    ]);
  });

  it("keeps calls ordered when a running call resets another", () => {
    // Twisted: ClockTests.test_callLaterResetInsideCallKeepsCallsOrdered
    const clock = new Clock();
    const log: Array<[string, number]> = [];
    const b = clock.callLater(2000, () => log.push(["b", clock.now()]));
    clock.callLater(1000, () => b.reset(3000));
    clock.callLater(3000, () => log.push(["c", clock.now()]));
    clock.pump(Array.from({ length: 10 }, () => 500));
    expect(log).toEqual([
      ["c", 3000],
      ["b", 4000],
    ]);
  });

  it("reset() and delay() count as scheduling anew: the call goes after others due at the same time", () => {
    const clock = new Clock();
    const log: string[] = [];
    const a = clock.callLater(10, () => log.push("a"));
    const b = clock.callLater(5, () => log.push("b"));
    clock.callLater(10, () => log.push("c"));
    const d = clock.callLater(10, () => log.push("d"));
    a.reset(10); // still due at 10, now after c and d
    b.delay(5); // now due at 10, after a
    d.delay(0); // same time, now last
    expect(clock.getDelayedCalls().map((call) => call.getTime())).toEqual([10, 10, 10, 10]);
    clock.advance(10);
    expect(log).toEqual(["c", "a", "b", "d"]);
  });
});
