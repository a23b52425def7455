import { AlreadyCalledError, AlreadyCancelledError, Clock, type DelayedCall, type IClock } from "../../src/index.js";

/** The error `fn()` throws (fails the test if it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

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

  it("can stand wherever an IClock is taken", () => {
    // Twisted: ClockTests.test_providesIReactorTime
    const clock: IClock = new Clock();
    expect(typeof clock.callLater).toBe("function");
    expect(typeof clock.now).toBe("function");
    expect(typeof new Clock().getDelayedCalls).toBe("function");
  });

  describe("callLater()", () => {
    it("returns an active DelayedCall due `ms` from now", () => {
      // Twisted: ClockTests.testCallLater
      const clock = new Clock();
      const call = clock.callLater(1000, (_a: number, _b: number) => {}, 1, 2);
      expect(call.getTime()).toBe(1000);
      expect(call.active()).toBe(true);
      expect(clock.getDelayedCalls()).toEqual([call]);
      call.cancel();
    });

    it("returns a distinct DelayedCall for each call", () => {
      // Twisted: ClockTests.test_callLaterOrdering
      const clock = new Clock();
      const a = clock.callLater(10, () => {});
      const b = clock.callLater(1, () => {});
      expect(a).not.toBe(b);
      a.cancel();
      b.cancel();
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("counts the delay from the current time", () => {
      const clock = new Clock();
      clock.advance(250);
      const call = clock.callLater(100, () => {});
      expect(call.getTime()).toBe(350);
      call.cancel();
    });

    it("passes the extra arguments to the function", () => {
      const clock = new Clock();
      const seen: unknown[][] = [];
      clock.callLater(5, (...args: unknown[]) => void seen.push(args), "a", 2, null);
      clock.advance(5);
      expect(seen).toEqual([["a", 2, null]]);
    });

    it("never runs the function synchronously, even for 0 ms", () => {
      const clock = new Clock();
      let runs = 0;
      clock.callLater(0, () => runs++);
      expect(runs).toBe(0);
      clock.advance(0);
      expect(runs).toBe(1);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("accepts a negative delay: the call is due at once and runs on the next advance", () => {
      const clock = new Clock();
      clock.advance(5);
      let runs = 0;
      const call = clock.callLater(-3, () => runs++);
      expect(call.getTime()).toBe(2);
      expect(runs).toBe(0);
      clock.advance(0);
      expect(runs).toBe(1);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("throws TypeError naming `ms` for a non-number or NaN delay", () => {
      const clock = new Clock();
      for (const bad of [NaN, "5", undefined, null]) {
        const e = thrown(() => clock.callLater(bad as number, () => {}));
        expect(e).toBeInstanceOf(TypeError);
        expect((e as Error).message).toMatch(/^Expected `ms` to be a number, got `/);
      }
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("throws RangeError for an infinite delay", () => {
      const clock = new Clock();
      expect(() => clock.callLater(Infinity, () => {})).toThrow(RangeError);
      expect(() => clock.callLater(-Infinity, () => {})).toThrow(RangeError);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("throws TypeError naming `fn` when it is not a function", () => {
      const clock = new Clock();
      expect(() => clock.callLater(1, 5 as unknown as () => void)).toThrow(
        new TypeError("Expected `fn` to be a function, got `5` (number)"),
      );
      expect(clock.getDelayedCalls()).toEqual([]);
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

    it("marks a call as called before running it, so cancelling itself throws AlreadyCalledError", () => {
      // Twisted: ClockTests.testAdvanceCancel
      const clock = new Clock();
      let error: unknown;
      const call: DelayedCall = clock.callLater(1, () => {
        error = thrown(() => call.cancel());
      });
      clock.advance(1);
      expect(AlreadyCalledError.is(error)).toBe(true);
      expect((error as Error).message).toBe("Cannot cancel a DelayedCall that has already been called");
    });

    it("runs calls in order of time, whatever the order they were scheduled in", () => {
      const clock = new Clock();
      const log: string[] = [];
      clock.callLater(30, () => log.push("c"));
      clock.callLater(10, () => log.push("a"));
      clock.callLater(20, () => log.push("b"));
      clock.advance(100);
      expect(log).toEqual(["a", "b", "c"]);
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
      expect(thrown(() => clock.advance(5))).toBe(boom);
      expect(log).toEqual(["before"]);
      expect(failing.active()).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([after]);
      expect(clock.now()).toBe(5);
      clock.advance(0);
      expect(log).toEqual(["before", "after"]);
      expect(clock.getDelayedCalls()).toEqual([]);
    });

    it("throws RangeError for a negative or infinite amount and TypeError for NaN, without moving time", () => {
      const clock = new Clock();
      expect(() => clock.advance(-1)).toThrow(
        new RangeError("Expected `ms` to be a finite number >= 0, got `-1` (number)"),
      );
      expect(() => clock.advance(Infinity)).toThrow(RangeError);
      expect(() => clock.advance(NaN)).toThrow(TypeError);
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

    it("drops a cancelled call", () => {
      // Twisted: ClockTests.testCallLaterCancelled
      const clock = new Clock();
      let runs = 0;
      const call = clock.callLater(10, () => runs++);
      call.cancel();
      expect(call.active()).toBe(false);
      expect(clock.getDelayedCalls()).toEqual([]);
      clock.advance(10);
      expect(runs).toBe(0);
    });
  });
});

describe("Clock DelayedCall", () => {
  it("delay() pushes the call later", () => {
    // Twisted: ClockTests.testCallLaterDelayed
    const clock = new Clock();
    const seen: unknown[][] = [];
    const call = clock.callLater(1000, (a: number, b: number) => void seen.push([a, b]), 1, 2);
    call.delay(1000);
    expect(call.getTime()).toBe(2000);
    clock.advance(1500);
    expect(seen).toEqual([]);
    clock.advance(1000);
    expect(seen).toEqual([[1, 2]]);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("delay() with a negative amount brings the call forward", () => {
    const clock = new Clock();
    let runs = 0;
    const call = clock.callLater(10, () => runs++);
    call.delay(-6);
    expect(call.getTime()).toBe(4);
    clock.advance(4);
    expect(runs).toBe(1);
  });

  it("reset() to a later time moves the call to `ms` from now", () => {
    // Twisted: ClockTests.testCallLaterResetLater
    const clock = new Clock();
    let runs = 0;
    const call = clock.callLater(2000, () => runs++);
    clock.advance(1000);
    call.reset(3000);
    expect(call.getTime()).toBe(4000);
    clock.advance(2000);
    expect(runs).toBe(0);
    clock.advance(1000);
    expect(runs).toBe(1);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("reset() to a sooner time brings the call forward", () => {
    // Twisted: ClockTests.testCallLaterResetSooner
    const clock = new Clock();
    let runs = 0;
    const call = clock.callLater(4000, () => runs++);
    call.reset(3000);
    expect(call.getTime()).toBe(3000);
    clock.advance(3000);
    expect(runs).toBe(1);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

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

  it("cancel(), reset() and delay() throw AlreadyCalledError saying 'called' once the call ran", () => {
    const clock = new Clock();
    const call = clock.callLater(1, () => {});
    clock.advance(1);
    for (const [what, act] of [
      ["cancel", () => call.cancel()],
      ["reset", () => call.reset(5)],
      ["delay", () => call.delay(5)],
    ] as const) {
      const e = thrown(act);
      expect(AlreadyCalledError.is(e)).toBe(true);
      expect(AlreadyCancelledError.is(e)).toBe(false);
      expect((e as Error).message).toBe(`Cannot ${what} a DelayedCall that has already been called`);
    }
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("cancel(), reset() and delay() throw AlreadyCancelledError once the call was cancelled", () => {
    // Twisted: task.Clock's DelayedCall raises AlreadyCancelled here, AlreadyCalled once it ran
    // (conformance case T: the two must be told apart).
    const clock = new Clock();
    const call = clock.callLater(1, () => {});
    call.cancel();
    for (const [what, act] of [
      ["cancel", () => call.cancel()],
      ["reset", () => call.reset(5)],
      ["delay", () => call.delay(5)],
    ] as const) {
      const e = thrown(act);
      expect(AlreadyCancelledError.is(e)).toBe(true);
      expect(AlreadyCalledError.is(e)).toBe(false);
      expect((e as Error).message).toBe(`Cannot ${what} a DelayedCall that has already been cancelled`);
    }
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("checks the call's state before the argument, as realClock does", () => {
    const clock = new Clock();
    const cancelled = clock.callLater(1, () => {});
    cancelled.cancel();
    expect(AlreadyCancelledError.is(thrown(() => cancelled.reset(NaN)))).toBe(true);
    const ran = clock.callLater(1, () => {});
    clock.advance(1);
    expect(AlreadyCalledError.is(thrown(() => ran.delay(NaN)))).toBe(true);
  });

  it("reset() and delay() throw TypeError for a NaN amount and leave the call as it was", () => {
    const clock = new Clock();
    const call = clock.callLater(7, () => {});
    expect(() => call.reset(NaN)).toThrow(TypeError);
    expect(() => call.delay(NaN)).toThrow(TypeError);
    expect(() => call.delay(Infinity)).toThrow(RangeError);
    expect(call.getTime()).toBe(7);
    expect(clock.getDelayedCalls()).toEqual([call]);
    call.cancel();
  });
});
