// trackPendingWork() / assertNoPendingWork(): the Deferreds a test left pending, and why.
import { Clock, Deferred, DeferredLock, deferLater, gatherResults, getDebugging, succeed } from "../src/index.js";
import { assertNoPendingWork, trackPendingWork } from "../src/testing.js";
import { collectGarbage, secondCopy, waitingOnEachOther } from "./helpers.js";

afterEach(() => {
  // A failing test may leave tracking on; the next test starts clean.
  try {
    assertNoPendingWork();
  } catch {
    // reported by the test that left it
  }
});

describe("assertNoPendingWork()", () => {
  it("passes when every Deferred made since trackPendingWork() has its result", () => {
    trackPendingWork();
    const d = new Deferred<number>();
    d.addCallback((n) => n + 1);
    d.callback(1);
    gatherResults([succeed(1), d]);
    expect(() => assertNoPendingWork()).not.toThrow();
  });

  it("lists what is still pending, with why, one chain per entry", () => {
    trackPendingWork();
    const lock = new DeferredLock();
    lock.acquire();
    const job = succeed("job").addCallback(() => lock.acquire());
    const clock = new Clock();
    deferLater(clock, 250);
    let message = "";
    try {
      assertNoPendingWork();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      [
        "2 Deferreds still pending at the end of the test:",
        "",
        "Deferred<waiting on another Deferred>: waits on the Deferred a step returned",
        "└─ DeferredLock#acquire(): the lock is held, 0 waiters ahead",
        "",
        "deferLater: due in 250 ms on its clock",
      ].join("\n"),
    );
    void job;
  });

  it("ignores Deferreds made before tracking began and after it ended", () => {
    const before = new Deferred<number>();
    trackPendingWork();
    expect(() => assertNoPendingWork()).not.toThrow();
    const after = new Deferred<number>();
    expect(() => assertNoPendingWork()).not.toThrow(); // tracking ended with the last call
    expect([before.called, after.called]).toEqual([false, false]);
  });

  it("stops tracking when it throws, too", () => {
    trackPendingWork();
    new Deferred<number>();
    expect(() => assertNoPendingWork()).toThrow("1 Deferred still pending");
    new Deferred<number>();
    expect(() => assertNoPendingWork()).not.toThrow();
  });

  it("reports a cycle, whose members all wait on each other", () => {
    trackPendingWork();
    waitingOnEachOther();
    expect(() => assertNoPendingWork()).toThrow(/1 Deferred still pending[\s\S]*a cycle/);
  });

  it("starts off, debugging too, in a copy of deferkit loaded while the program runs", () => {
    // Another bundle's copy, loaded late, makes its flags as it loads.
    const late = secondCopy();
    expect(late.getDebugging()).toBe(false);
    expect(String(new late.Deferred().addCallback(() => 1))).toBe("Deferred<pending, 1 step waiting>"); // no "created at"
  });

  it("does not turn debugging on", () => {
    trackPendingWork();
    expect(getDebugging()).toBe(false);
    expect(String(new Deferred().addCallback(() => 1))).toBe("Deferred<pending, 1 step waiting>"); // no "created at"
    expect(() => assertNoPendingWork()).toThrow("1 Deferred still pending");
  });

  it("does not keep a Deferred the code dropped alive, nor report it", async () => {
    trackPendingWork();
    (() => {
      new Deferred<number>().addCallback((n) => n);
    })();
    await collectGarbage();
    expect(() => assertNoPendingWork()).not.toThrow();
  });
});
