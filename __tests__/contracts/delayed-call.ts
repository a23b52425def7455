// The IClock / DelayedCall contract: one suite that every clock must pass (STYLE 11, as
// async-mutex runs one mutexSuite(factory) over each of its mutexes). __tests__/time/clock.test.ts
// runs it over the deterministic Clock, __tests__/time/real-clock.test.ts over realClock; each
// of those files keeps only what is particular to its clock.
//
// What the contract does not say, because the two clocks differ there:
// - where the error of a `fn` that throws goes: out of `Clock#advance()` to its caller, or to
//   the platform's uncaught-error handler from a realClock timer (either way the call counts as
//   run, which the contract does check, from inside `fn`);
// - the order of calls due at the same time, and how reset()/delay() reorder them (Clock's rule
//   is in its own tests; realClock follows the platform's timers);
// - how a clock's time moves: by hand on Clock, by itself on realClock.
import { AlreadyCalledError, AlreadyCancelledError, type DelayedCall, type IClock } from "../../src/index.js";

/** What the contract needs to drive one implementation of `IClock`. */
export interface ClockDriver {
  /** The clock under test (a fresh one for each test, or a stateless one such as realClock). */
  readonly clock: IClock;
  /**
   * Lets at least `ms` of the clock's time pass and runs every call that comes due by then:
   * `Clock#advance(ms)`, or a real wait. The contract awaits it. A real wait may overrun (a
   * busy machine), so the contract never asserts that a call has *not* run yet after it; it
   * checks when a call ran against its getTime() instead.
   */
  elapse(ms: number): void | Promise<void>;
  /**
   * How many calls the clock holds pending now (a Clock's getDelayedCalls(), Node's live
   * timers). Only compared within one synchronous stretch of a test, never across an `await`.
   */
  pending(): number;
}

/** The error `fn()` throws (fails the test if it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

/** The operations that a DelayedCall refuses once it is no longer pending. */
const OPERATIONS = [
  ["cancel", (call: DelayedCall) => call.cancel()],
  ["reset", (call: DelayedCall) => call.reset(5)],
  ["delay", (call: DelayedCall) => call.delay(5)],
] as const;

/** Amounts that are not a time: TypeError for the non-numbers and NaN, RangeError for ±Infinity. */
const NOT_A_NUMBER: unknown[] = [Number.NaN, "5", undefined, null];
const INFINITE = [Infinity, -Infinity];

/** A call that is no longer pending, how it got there, and what it throws from then on. */
interface Gone {
  state: string;
  name: "AlreadyCalledError" | "AlreadyCancelledError";
  /** Tells the expected error from the other one (by brand, not message). */
  is(e: unknown): boolean;
  isOther(e: unknown): boolean;
  word: string;
  make(): Promise<DelayedCall>;
}

/**
 * Defines the contract's tests, in the caller's `describe`. Delays are at most 20 ms, so that
 * a real clock runs the suite in well under a second.
 */
export function delayedCallContract(makeDriver: () => ClockDriver): void {
  let driver: ClockDriver;
  let clock: IClock;
  let made: DelayedCall[];

  beforeEach(() => {
    driver = makeDriver();
    made = [];
    // Every call a test makes is recorded, so that afterEach can check none is left pending.
    const base = driver.clock;
    clock = {
      now: () => base.now(),
      callLater: (ms, fn, ...args) => {
        const call = base.callLater(ms, fn, ...args);
        made.push(call);
        return call;
      },
    };
  });

  afterEach(() => {
    const left = made.filter((call) => call.active());
    for (const call of left) call.cancel();
    // A test must end with each of its calls run or cancelled: nothing is left behind.
    expect(left).toEqual([]);
  });

  const elapse = async (ms: number): Promise<void> => {
    await driver.elapse(ms);
  };

  describe("callLater()", () => {
    it("returns an active call due `ms` after now(), and the clock holds one more pending call", async () => {
      // Twisted: ClockTests.testCallLater. Time has moved first: the delay counts from now().
      await elapse(3);
      const baseline = driver.pending();
      const before = clock.now();
      const call = clock.callLater(10, (_a: number, _b: number) => {}, 1, 2);
      const after = clock.now();
      expect(call.active()).toBe(true);
      expect(call.getTime()).toBeGreaterThanOrEqual(before + 10);
      expect(call.getTime()).toBeLessThanOrEqual(after + 10);
      expect(driver.pending()).toBe(baseline + 1);
      call.cancel();
    });

    it("returns a distinct call each time", () => {
      // Twisted: ClockTests.test_callLaterOrdering
      const a = clock.callLater(10, () => {});
      const b = clock.callLater(1, () => {});
      expect(a).not.toBe(b);
      a.cancel();
      expect([a.active(), b.active()]).toEqual([false, true]);
      b.cancel();
    });

    it("runs fn once, never synchronously, with exactly the extra arguments (none when none are given)", async () => {
      const withArgs: unknown[][] = [];
      const without: unknown[][] = [];
      const a = clock.callLater(0, (...args: unknown[]) => void withArgs.push(args), "a", 2, null);
      const b = clock.callLater(0, (...args: unknown[]) => void without.push(args));
      expect([withArgs, without]).toEqual([[], []]);
      await elapse(0);
      expect([withArgs, without]).toEqual([[["a", 2, null]], [[]]]);
      expect([a.active(), b.active()]).toEqual([false, false]);
      await elapse(5);
      expect([withArgs.length, without.length]).toEqual([1, 1]);
    });

    it("runs calls in order of their times, whatever order they were scheduled in", async () => {
      const log: string[] = [];
      clock.callLater(15, () => log.push("c"));
      clock.callLater(1, () => log.push("a"));
      clock.callLater(8, () => log.push("b"));
      await elapse(20);
      expect(log).toEqual(["a", "b", "c"]);
    });

    it("runs fn no earlier than the call's time: now() inside fn is at least getTime()", async () => {
      const seen: Array<[number, number]> = [];
      const call: DelayedCall = clock.callLater(5, () => void seen.push([clock.now(), call.getTime()]));
      await elapse(10);
      expect(seen).toHaveLength(1);
      const [now, due] = seen[0]!;
      expect(now).toBeGreaterThanOrEqual(due);
    });

    it("refuses a negative delay with RangeError, scheduling nothing (Twisted asserts delay >= 0)", () => {
      const baseline = driver.pending();
      expect(() => clock.callLater(-3, () => {})).toThrow(
        new RangeError("Expected `ms` to be a finite number >= 0, got `-3` (number)"),
      );
      expect(driver.pending()).toBe(baseline);
    });

    it("marks the call as run before fn runs: inside fn it is inactive and cancel() throws AlreadyCalledError", async () => {
      // Twisted: ClockTests.testAdvanceCancel
      const seen: Array<[boolean, unknown]> = [];
      const call: DelayedCall = clock.callLater(1, () => void seen.push([call.active(), thrown(() => call.cancel())]));
      await elapse(5);
      expect(seen).toHaveLength(1);
      const [active, error] = seen[0]!;
      expect(active).toBe(false);
      expect(AlreadyCalledError.is(error)).toBe(true);
    });

    it("throws TypeError naming `ms` for a non-number delay and RangeError for NaN or an infinite one, scheduling nothing", () => {
      const baseline = driver.pending();
      for (const bad of NOT_A_NUMBER) {
        const e = thrown(() => clock.callLater(bad as number, () => {}));
        expect(e).toBeInstanceOf(typeof bad === "number" ? RangeError : TypeError);
        expect((e as Error).message).toMatch(/^Expected `ms` to be a finite number >= 0, got `/);
      }
      expect(() => clock.callLater(Infinity, () => {})).toThrow(
        new RangeError("Expected `ms` to be a finite number >= 0, got `Infinity` (number)"),
      );
      expect(() => clock.callLater(-Infinity, () => {})).toThrow(RangeError);
      expect(driver.pending()).toBe(baseline);
      expect(made).toEqual([]);
    });

    it("throws TypeError naming `fn` when it is not a function, scheduling nothing", () => {
      const baseline = driver.pending();
      expect(() => clock.callLater(1, 5 as unknown as () => void)).toThrow(
        new TypeError("Expected `fn` to be a function, got `5` (number)"),
      );
      expect(driver.pending()).toBe(baseline);
    });
  });

  describe("cancel()", () => {
    it("makes the call inactive at once, drops it from the clock, and fn never runs", async () => {
      // Twisted: ClockTests.testCallLaterCancelled
      const baseline = driver.pending();
      let runs = 0;
      const call = clock.callLater(5, () => runs++);
      expect(driver.pending()).toBe(baseline + 1);
      call.cancel();
      expect(call.active()).toBe(false);
      expect(driver.pending()).toBe(baseline);
      await elapse(15);
      expect(runs).toBe(0);
    });
  });

  describe("reset()", () => {
    it("moves the call to `ms` after now(), sooner than it was due, keeping one pending call", async () => {
      // Twisted: ClockTests.testCallLaterResetSooner
      const baseline = driver.pending();
      let runs = 0;
      const call = clock.callLater(15, () => runs++);
      const before = clock.now();
      call.reset(1);
      const after = clock.now();
      expect(call.getTime()).toBeGreaterThanOrEqual(before + 1);
      expect(call.getTime()).toBeLessThanOrEqual(after + 1);
      expect(driver.pending()).toBe(baseline + 1);
      await elapse(5);
      expect(runs).toBe(1);
    });

    it("moves the call to `ms` after now(), later than it was due: it runs at the new time, not the old one", async () => {
      // Twisted: ClockTests.testCallLaterResetLater
      const ranAt: number[] = [];
      const call = clock.callLater(1, () => void ranAt.push(clock.now()));
      const before = clock.now();
      call.reset(15);
      expect(call.getTime()).toBeGreaterThanOrEqual(before + 15);
      await elapse(20);
      expect(ranAt).toHaveLength(1);
      expect(ranAt[0]).toBeGreaterThanOrEqual(call.getTime());
    });
  });

  describe("delay()", () => {
    it("pushes the call exactly `ms` later than it was due, keeping one pending call: it runs at the new time", async () => {
      // Twisted: ClockTests.testCallLaterDelayed
      const baseline = driver.pending();
      const ranAt: number[] = [];
      const call = clock.callLater(1, () => void ranAt.push(clock.now()));
      const due = call.getTime();
      call.delay(15);
      expect(call.getTime()).toBe(due + 15);
      expect(driver.pending()).toBe(baseline + 1);
      await elapse(20);
      expect(ranAt).toHaveLength(1);
      expect(ranAt[0]).toBeGreaterThanOrEqual(due + 15);
    });

    it("refuses a negative amount with RangeError, leaving the call as it was (reset() brings a call forward)", () => {
      const call = clock.callLater(15, () => {});
      const due = call.getTime();
      expect(() => call.delay(-14)).toThrow(RangeError);
      expect(call.getTime()).toBe(due);
      call.cancel();
    });
  });

  describe("reset() and delay() with an amount that is not a time", () => {
    it("throw TypeError naming `ms` for a non-number and RangeError for NaN, ±Infinity or < 0, leaving the call as it was", () => {
      const baseline = driver.pending();
      const call = clock.callLater(7, () => {});
      const due = call.getTime();
      for (const move of [(ms: number) => call.reset(ms), (ms: number) => call.delay(ms)]) {
        for (const bad of NOT_A_NUMBER) {
          const e = thrown(() => move(bad as number));
          expect(e).toBeInstanceOf(typeof bad === "number" ? RangeError : TypeError);
          expect((e as Error).message).toMatch(/^Expected `ms` to be a finite number >= 0, got `/);
        }
        for (const bad of [...INFINITE, -1]) expect(() => move(bad)).toThrow(RangeError);
      }
      expect([call.active(), call.getTime(), driver.pending()]).toEqual([true, due, baseline + 1]);
      call.cancel();
    });
  });

  describe.each<Gone>([
    {
      state: "ran",
      name: "AlreadyCalledError",
      is: (e) => AlreadyCalledError.is(e),
      isOther: (e) => AlreadyCancelledError.is(e),
      word: "called",
      async make() {
        const call = clock.callLater(1, () => {});
        await elapse(5);
        return call;
      },
    },
    {
      state: "was cancelled",
      name: "AlreadyCancelledError",
      is: (e) => AlreadyCancelledError.is(e),
      isOther: (e) => AlreadyCalledError.is(e),
      word: "cancelled",
      make() {
        const call = clock.callLater(1, () => {});
        call.cancel();
        return Promise.resolve(call);
      },
    },
  ])("a call that $state", ({ name, is, isOther, word, make }) => {
    it(`refuses cancel(), reset() and delay() with ${name}, naming the operation`, async () => {
      const call = await make();
      const baseline = driver.pending();
      for (const [what, act] of OPERATIONS) {
        const e = thrown(() => act(call));
        expect([is(e), isOther(e)]).toEqual([true, false]);
        expect((e as Error).message).toBe(`Cannot ${what} a DelayedCall that has already been ${word}`);
      }
      expect(call.active()).toBe(false);
      expect(driver.pending()).toBe(baseline);
    });

    it(`checks its state before the amount: reset()/delay() of a bad amount throw ${name}, not TypeError or RangeError`, async () => {
      const call = await make();
      for (const bad of [Number.NaN, Infinity, "5" as unknown as number]) {
        expect(is(thrown(() => call.reset(bad)))).toBe(true);
        expect(is(thrown(() => call.delay(bad)))).toBe(true);
      }
    });
  });
}
