// The only tests with real timers: they check that realClock drives the platform's timers and
// leaves none behind. Delays are at most 20 ms, and every test counts Node's live timers.
import {
  AlreadyCalledError,
  AlreadyCancelledError,
  CancelledError,
  deferLater,
  Deferred,
  LoopingCall,
  realClock,
  TimeoutError,
} from "../../src/index.js";
import { failureResultOf } from "../../src/testing.js";

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

describe("realClock", () => {
  it("now() is Date.now()", () => {
    const before = Date.now();
    const now = realClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it("callLater() runs the function with its arguments after the delay, then leaves no timer", async () => {
    const baseline = liveTimers();
    const ran = new Deferred<[string, number]>();
    const start = Date.now();
    const call = realClock.callLater(5, (a: string, b: number) => ran.callback([a, b]), "x", 2);
    expect(call.active()).toBe(true);
    expect(call.getTime()).toBeGreaterThanOrEqual(start + 5);
    expect(liveTimers()).toBe(baseline + 1);
    expect(await ran).toEqual(["x", 2]);
    expect(call.active()).toBe(false);
  });

  it("cancel() stops the call and clears its timer at once", async () => {
    const baseline = liveTimers();
    let runs = 0;
    const call = realClock.callLater(5, () => runs++);
    call.cancel();
    expect(call.active()).toBe(false);
    expect(liveTimers()).toBe(baseline);
    await sleep(15);
    expect(runs).toBe(0);
  });

  it("reset() moves the call to `ms` from now, keeping one timer", async () => {
    const baseline = liveTimers();
    const log: string[] = [];
    const call = realClock.callLater(20, () => log.push("call"));
    call.reset(1);
    expect(liveTimers()).toBe(baseline + 1);
    await sleep(10);
    log.push("slept 10");
    expect(log).toEqual(["call", "slept 10"]);
    expect(call.active()).toBe(false);
  });

  it("delay() pushes the call later, keeping one timer", async () => {
    const baseline = liveTimers();
    const ran = new Deferred<number>();
    const call = realClock.callLater(1, () => ran.callback(Date.now()));
    const scheduled = call.getTime();
    call.delay(15);
    expect(call.getTime()).toBe(scheduled + 15);
    expect(liveTimers()).toBe(baseline + 1);
    const ranAt = await ran;
    // Not at the first time but at the delayed one (Node may fire a timer a ms early by Date.now()).
    expect(ranAt).toBeGreaterThanOrEqual(scheduled + 15 - 2);
    expect(call.active()).toBe(false);
  });

  it("does not run a call due in more than 2^31 - 1 ms (about 24.8 days) early", async () => {
    // setTimeout clamps such delays to 1 ms; realClock must not pass that on (so that
    // `addTimeout(30 days)` does not time out at once). Known bug: fails until real-clock.ts
    // re-arms long delays in chunks (or refuses them).
    let runs = 0;
    const call = realClock.callLater(2 ** 31, () => runs++);
    await sleep(20);
    const ranEarly = runs;
    if (call.active()) call.cancel();
    expect(ranEarly).toBe(0);
  });

  it("cancel(), reset() and delay() throw AlreadyCalledError once the call ran, AlreadyCancelledError once cancelled", async () => {
    const ran = new Deferred<undefined>();
    const called = realClock.callLater(1, () => ran.callback(undefined));
    await ran;
    const baseline = liveTimers();
    expect(() => called.cancel()).toThrow(new AlreadyCalledError("Cannot cancel a DelayedCall that has already been called"));
    expect(() => called.reset(1)).toThrow(AlreadyCalledError);
    const cancelled = realClock.callLater(1, () => {});
    cancelled.cancel();
    expect(() => cancelled.delay(1)).toThrow(
      new AlreadyCancelledError("Cannot delay a DelayedCall that has already been cancelled"),
    );
    expect(() => cancelled.cancel()).toThrow(AlreadyCancelledError);
    // The state is checked before the argument, as on Clock.
    expect(() => cancelled.reset(Number.NaN)).toThrow(AlreadyCancelledError);
    expect(() => called.delay(Number.NaN)).toThrow(AlreadyCalledError);
    expect(liveTimers()).toBe(baseline);
  });
});

describe("realClock's argument checks", () => {
  it("refuses a non-number or NaN delay with TypeError and an infinite one with RangeError, as Clock", () => {
    const baseline = liveTimers();
    expect(() => realClock.callLater(Number.NaN, () => {})).toThrow(TypeError);
    expect(() => realClock.callLater(Infinity, () => {})).toThrow(RangeError);
    expect(() => realClock.callLater(-Infinity, () => {})).toThrow(RangeError);
    const call = realClock.callLater(1000, () => {});
    expect(() => call.reset(Infinity)).toThrow(RangeError);
    expect(() => call.delay(-Infinity)).toThrow(RangeError);
    call.cancel();
    expect(liveTimers()).toBe(baseline);
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
