// The only tests with real timers: they check that realClock drives the platform's timers and
// leaves none behind. Delays are at most 20 ms, and every test counts Node's live timers.
// What realClock shares with Clock is the contract in __tests__/contracts/delayed-call.ts, run
// here on real time; the tests below are realClock's own.
import { delayedCallContract } from "../contracts/delayed-call.js";
import {
  CancelledError,
  deferLater,
  Deferred,
  LoopingCall,
  realClock,
  TimeoutError,
} from "../../src/index.js";
import { failureResultOf } from "../../src/testing.js";
import { secondCopy } from "../helpers.js";

/**
 * How many `setTimeout`/`setInterval` timers are alive in this process. Jest's reporter runs in
 * this process and starts and ends timers of its own while a test awaits, so the count is only
 * compared within one synchronous stretch of a test, never across an `await`.
 */
function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until `ms` have passed by Date.now() (realClock's time), then 2 ms more: a timer may
 * fire a ms early by Date.now(), and realClock then re-arms it for the rest, so a call due
 * within the `ms` has run by the time this resolves.
 */
async function elapse(ms: number): Promise<void> {
  const until = Date.now() + ms;
  await sleep(ms);
  while (Date.now() < until) await sleep(1);
  await sleep(2);
}

describe("realClock as an IClock: the DelayedCall contract", () => {
  delayedCallContract(() => ({ clock: realClock, elapse, pending: liveTimers }));
});

describe("realClock", () => {
  it("now() is Date.now()", () => {
    const before = Date.now();
    const now = realClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it("does not run a call due in more than 2^31 - 1 ms (about 24.8 days) early", async () => {
    // setTimeout clamps such delays to 1 ms; realClock must not pass that on (so that
    // `addTimeout(30 days)` does not time out at once): it waits long delays out in steps.
    let runs = 0;
    const timers = jest.spyOn(globalThis, "setTimeout");
    const call = realClock.callLater(2 ** 31, () => runs++);
    const armed = timers.mock.calls.map((c) => c[1]);
    timers.mockRestore();
    try {
      await sleep(20);
      expect([runs, call.active()]).toEqual([0, true]);
      // One timer of the longest delay setTimeout takes (more would be clamped to 1 ms).
      expect(armed).toEqual([2 ** 31 - 1]);
    } finally {
      call.cancel();
    }
  });

  it("is the same in a copy of deferkit loaded while the program runs: one timer of 2^31 - 1 ms", () => {
    // A second copy (another bundle's, loaded late) makes its clock's constants when it loads.
    const late = secondCopy();
    const timers = jest.spyOn(globalThis, "setTimeout");
    const call = late.realClock.callLater(2 ** 31, () => undefined);
    const armed = timers.mock.calls.map((c) => c[1]);
    timers.mockRestore();
    call.cancel();
    expect(armed).toEqual([2 ** 31 - 1]);
  });

  describe("on jest's fake timers (which fake Date.now too)", () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it("waits a delay longer than one setTimeout out in steps, and runs the call when it is due", () => {
      const ran: number[] = [];
      const start = Date.now();
      realClock.callLater(2 ** 31 - 1 + 1000, () => ran.push(Date.now() - start));
      jest.advanceTimersByTime(2 ** 31 - 1); // the first step ends: 1000 ms still to go
      expect(ran).toEqual([]);
      jest.advanceTimersByTime(999);
      expect(ran).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(ran).toEqual([2 ** 31 - 1 + 1000]);
    });

    it("waits again when its timer fires before the call is due (the system clock went back)", () => {
      let runs = 0;
      realClock.callLater(100, () => runs++);
      jest.setSystemTime(Date.now() - 50); // the timer fires at 100 ms, but the call is due at 150
      jest.advanceTimersByTime(100);
      expect(runs).toBe(0);
      jest.advanceTimersByTime(50);
      expect(runs).toBe(1);
    });
  });
});

describe("realClock as the default clock", () => {
  it("deferLater() fires after the delay with the function's result", async () => {
    const baseline = liveTimers();
    const d = deferLater(realClock, 5, (n: number) => n * 2, 21);
    expect(liveTimers()).toBe(baseline + 1);
    expect(await d).toBe(42);
  });

  it("deferLater() cancelled clears its timer", () => {
    const baseline = liveTimers();
    const d = deferLater(realClock, 20, () => "never");
    d.cancel();
    failureResultOf(d, CancelledError);
    expect(liveTimers()).toBe(baseline);
  });

  it("addTimeout() without a clock times out on real time", async () => {
    const baseline = liveTimers();
    const d = new Deferred<string>().addTimeout(5);
    expect(liveTimers()).toBe(baseline + 1);
    await expect(d.asPromise()).rejects.toBeInstanceOf(TimeoutError);
  });

  it("addTimeout() without a clock clears its timer when the Deferred fires first", () => {
    const baseline = liveTimers();
    const d = new Deferred<string>().addTimeout(20);
    expect(liveTimers()).toBe(baseline + 1);
    d.callback("in time");
    expect(liveTimers()).toBe(baseline);
  });

  it("LoopingCall runs on realClock unless told otherwise, and stop() leaves no timer", async () => {
    const baseline = liveTimers();
    let runs = 0;
    let beforeStop = -1;
    let afterStop = -1;
    const loop: LoopingCall<[]> = new LoopingCall(() => {
      if (++runs < 3) return;
      beforeStop = liveTimers();
      loop.stop();
    });
    expect(loop.clock).toBe(realClock);
    const done = loop.start(2);
    expect(runs).toBe(1);
    expect(liveTimers()).toBe(baseline + 1);
    // Runs inside the last timer's callback, in the same synchronous stretch as `beforeStop`.
    done.addCallback((l) => {
      afterStop = liveTimers();
      return l;
    });
    expect(await done).toBe(loop);
    expect(runs).toBe(3);
    expect(afterStop).toBe(beforeStop);
  });

  it("LoopingCall stopped from outside clears its pending timer", () => {
    const baseline = liveTimers();
    const loop = new LoopingCall(() => {});
    loop.start(20, false);
    expect(liveTimers()).toBe(baseline + 1);
    loop.stop();
    expect(liveTimers()).toBe(baseline);
  });
});
