// Deferred#then() and Deferred#asPromise(): their own rules. (Promises/A+ conformance is the
// promises-aplus stage of npm test; Deferred.fromPromise and ensureDeferred are tested in
// maybe-deferred.test.ts.)
import { CancelledError, Deferred, fail, onUnhandledFailure, succeed } from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { collectGarbage, countingThenable, twoTimings } from "./helpers.js";

const timings = twoTimings("fired before then() was called", "fired after then() was called");

describe.each(timings)("then() and asPromise() ($label)", ({ run }) => {
  it("then() observes the chain's end without changing it: later steps get the same result", async () => {
    const d = new Deferred<number>();
    let p!: Promise<number>;
    run(
      () => d.callback(1),
      () => {
        p = d.then((n) => n + 100);
      },
    );
    const later = d.addCallback((n) => n * 2);
    expect(successResultOf(later)).toBe(2);
    expect(await p).toBe(101);
  });

  it("asPromise() resolves with the current end's value and leaves the chain as it was", async () => {
    const value = { id: 1 };
    const d = new Deferred<{ id: number }>();
    let p!: Promise<{ id: number }>;
    run(
      () => d.callback(value),
      () => {
        p = d.asPromise();
      },
    );
    expect(successResultOf(d)).toBe(value);
    expect(await p).toBe(value);
  });

  it("asPromise() rejects with the failure's value, and the failure stays in the chain", async () => {
    const error = new RangeError("r");
    const d = new Deferred<number>();
    let p!: Promise<number>;
    run(
      () => d.errback(error),
      () => {
        p = d.asPromise();
      },
    );
    await expect(p).rejects.toBe(error);
    // Still there for the chain's own errbacks.
    const recovered = d.addErrback((f) => (f.value === error ? "handled" : "other"));
    expect(successResultOf(recovered)).toBe("handled");
  });
});

describe("then() and asPromise() observe the end as it is when they are called", () => {
  it("a step added after then() does not change what then() gets", async () => {
    const d = new Deferred<number>();
    const p = d.then((n) => n);
    d.addCallback(() => 99);
    d.callback(1);
    expect(await p).toBe(1);
    expect(successResultOf(d)).toBe(99);
  });

  it("asPromise() of a pending Deferred waits on through a refused thenable callback()", async () => {
    const q = countingThenable();
    const d = new Deferred<unknown>();
    const p = d.asPromise();
    expect(() => d.callback(q)).toThrow(TypeError);
    expect(q.calls).toBe(0);
    d.callback("value");
    expect(await p).toBe("value");
  });

  it("a paused Deferred's then() waits for unpause()", async () => {
    const d = succeed(1);
    d.pause();
    let settled = false;
    const p = d.then((n) => {
      settled = true;
      return n;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    assertNoResult(d);
    d.unpause();
    expect(await p).toBe(1);
  });
});

describe("a failure observed through then() or asPromise() counts as handled", () => {
  let reported: string[];
  let restore: () => void;
  beforeEach(() => {
    reported = [];
    restore = onUnhandledFailure((f) => {
      const message = f.getErrorMessage();
      if (message.startsWith("interop:")) reported.push(message);
    });
  });
  afterEach(() => restore());

  it("is not reported when the Deferred is collected, while an unobserved one is", async () => {
    const caught: unknown[] = [];
    await (async () => {
      const observedByThen = fail(new Error("interop: then"));
      const observedLater = new Deferred<number>();
      const viaPromise = observedLater.asPromise().catch((e: unknown) => caught.push(e));
      observedLater.errback(new Error("interop: asPromise"));
      const viaThen = observedByThen.then(undefined, (e: unknown) => caught.push(e));
      fail(new Error("interop: control, never observed"));
      await Promise.all([viaPromise, viaThen]);
    })();
    await collectGarbage();
    expect(caught).toHaveLength(2);
    expect(reported).toEqual(["interop: control, never observed"]);
  });

  it("await of a failed Deferred throws its value and handles it", async () => {
    const error = new Error("interop: await");
    let thrown: unknown;
    await (async () => {
      try {
        await fail(error);
      } catch (e) {
        thrown = e;
      }
    })();
    await collectGarbage();
    expect(thrown).toBe(error);
    expect(reported).toEqual([]);
  });
});

describe("Deferred#catch and #finally observe like then (issue 9)", () => {
  it("catch() gives a Promise of the recovery and leaves the chain failed", async () => {
    const d = fail<number>(new RangeError("r"));
    const p = d.catch((e) => (e as Error).message);
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toBe("r");
    expect(failureResultOf(d, RangeError).getErrorMessage()).toBe("r");
  });

  it("catch() passes a success through unchanged", async () => {
    expect(await succeed(5).catch(() => 0)).toBe(5);
  });

  it("finally() runs its function on a success and a failure, and settles as the chain's end did", async () => {
    const log: string[] = [];
    expect(await succeed("v").finally(() => void log.push("ok"))).toBe("v");
    await expect(fail(new TypeError("t")).finally(() => void log.push("failed"))).rejects.toThrow(TypeError);
    expect(log).toEqual(["ok", "failed"]);
  });

  it("finally() waits for a pending Deferred, and leaves its chain as it was", async () => {
    const d = new Deferred<number>();
    const p = d.finally(() => undefined);
    d.callback(1);
    d.addCallback((n) => n + 1);
    expect(await p).toBe(1);
    expect(successResultOf(d)).toBe(2);
  });
});

describe("Deferred.fromPromise(promise): cancel()", () => {
  // Twisted: a Deferred without a canceller, cancelled, ignores its later callback().
  it("fails it with CancelledError, and the Promise settling later changes nothing", async () => {
    let resolve!: (n: number) => void;
    const d = Deferred.fromPromise(new Promise<number>((r) => (resolve = r)));
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      d.cancel();
      expect(failureResultOf(d, CancelledError).value).toBeInstanceOf(CancelledError);
      resolve(1);
      await new Promise((r) => setTimeout(r, 10));
      expect(failureResultOf(d, CancelledError).value).toBeInstanceOf(CancelledError);
      expect(rejections).toEqual([]);
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  });
});
