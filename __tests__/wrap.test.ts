// Wrapping abortable work (issue 9): Deferred.fromPromise with `{ abort }` or a function given a
// signal, and fromCallback for Node-style callbacks. The case that crashed Node: after
// cancel(), the abort rejects the promise, and nothing may throw AlreadyCalledError into a
// promise reaction or report that rejection.
import { CancelledError, Deferred, fromCallback, onUnhandledFailure, type NodeCallback } from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { collectGarbage } from "./helpers.js";

/** A promise that rejects with an AbortError when `signal` aborts, as fetch does. */
function abortable(signal: AbortSignal, log: string[]): Promise<string> {
  return new Promise((_, reject) => {
    signal.addEventListener("abort", () => {
      log.push("aborted");
      reject(Object.assign(new Error("This operation was aborted"), { name: "AbortError" }));
    });
  });
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe("Deferred.fromPromise(fn): the function is given a signal that cancel() aborts", () => {
  let rejections: unknown[];
  const onRejection = (reason: unknown): void => void rejections.push(reason);
  beforeEach(() => {
    rejections = [];
    process.on("unhandledRejection", onRejection);
  });
  afterEach(() => void process.off("unhandledRejection", onRejection));

  it("aborts the work, fails with CancelledError at once, and drops the rejection the abort causes", async () => {
    const log: string[] = [];
    const d = Deferred.fromPromise((signal) => abortable(signal as AbortSignal, log));
    assertNoResult(d);
    d.cancel();
    expect(log).toEqual(["aborted"]);
    failureResultOf(d, CancelledError);
    await flush();
    expect(rejections).toEqual([]);
  });

  it("never reports the dropped rejection as an unhandled failure", async () => {
    const reports: string[] = [];
    const restore = onUnhandledFailure((f) => reports.push(f.getErrorMessage()));
    try {
      (() => {
        const d = Deferred.fromPromise((signal) => abortable(signal as AbortSignal, []));
        d.cancel();
        failureResultOf(d, CancelledError);
      })();
      await flush();
      await collectGarbage();
      expect(reports).toEqual([]);
    } finally {
      onUnhandledFailure(restore);
    }
  });

  it("fires with the promise's value or failure when not cancelled", async () => {
    expect(await Deferred.fromPromise(() => Promise.resolve(7))).toBe(7);
    const failed = Deferred.fromPromise(() => Promise.reject(new RangeError("r")));
    await flush();
    expect(failureResultOf(failed, RangeError).getErrorMessage()).toBe("r");
  });

  it("fails (does not throw) when the function throws, and throws TypeError when it returns no PromiseLike", () => {
    const thrown = Deferred.fromPromise(() => {
      throw new SyntaxError("s");
    });
    failureResultOf(thrown, SyntaxError);
    expect(() => Deferred.fromPromise((() => 5) as never)).toThrow(
      "Expected what `fn` returned to be a PromiseLike, got `5` (number)",
    );
  });
});

describe("Deferred.fromPromise(promise, { abort })", () => {
  it("calls abort() of an AbortController on cancel(), and ignores the promise's later rejection", async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const d = Deferred.fromPromise(abortable(controller.signal, log), { abort: controller });
    d.cancel();
    expect(controller.signal.aborted).toBe(true);
    await flush();
    expect(log).toEqual(["aborted"]);
    failureResultOf(d, CancelledError);
  });

  it("calls an abort function on cancel(), once", () => {
    let aborts = 0;
    const d = Deferred.fromPromise(new Promise<number>(() => {}), { abort: () => void aborts++ });
    d.cancel();
    d.cancel();
    expect(aborts).toBe(1);
    failureResultOf(d, CancelledError);
  });

  it("throws a TypeError naming a bad `options.abort` or `options`", () => {
    const p = Promise.resolve(1);
    expect(() => Deferred.fromPromise(p, { abort: 5 as never })).toThrow(
      "Expected `options.abort` to be an AbortController or a function, got `5` (number)",
    );
    expect(() => Deferred.fromPromise(p, null as never)).toThrow("Expected `options` to be an object or undefined");
  });
});

describe("fromCallback(start): Node-style callback functions", () => {
  it("fires with the value of callback(null, value), synchronously when called at once", () => {
    const d = fromCallback<number>((done) => done(null, 42));
    expect(successResultOf(d)).toBe(42);
  });

  it("fails with the error of callback(error)", () => {
    const d = fromCallback((done) => done(new Error("ENOENT")));
    expect(failureResultOf(d).getErrorMessage()).toBe("ENOENT");
  });

  it("fires later when the callback is called later, and ignores a second call", async () => {
    let later: NodeCallback<string> | undefined;
    const d = fromCallback<string>((done) => {
      later = done;
    });
    assertNoResult(d);
    later!(null, "first");
    later!(null, "second");
    later!(new Error("third"));
    expect(successResultOf(d)).toBe("first");
  });

  it("aborts the signal it gave on cancel(), and ignores the callback's call that follows", () => {
    let signal: AbortSignal | undefined;
    let done: NodeCallback<string> | undefined;
    const d = fromCallback<string>((cb, s) => {
      done = cb;
      signal = s as AbortSignal;
    });
    d.cancel();
    expect(signal!.aborted).toBe(true);
    expect(() => done!(new Error("aborted"))).not.toThrow();
    failureResultOf(d, CancelledError);
  });

  it("fails when start throws, and throws a TypeError for a start that is not a function", () => {
    failureResultOf(
      fromCallback(() => {
        throw new TypeError("bad path");
      }),
      TypeError,
    );
    expect(() => fromCallback("x" as never)).toThrow('Expected `start` to be a function, got `"x"` (string)');
  });
});
