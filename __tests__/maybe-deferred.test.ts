import { CancelledError, Deferred, Failure, ensureDeferred, execute, fail, maybeDeferred, succeed } from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";

class SomeError extends Error {}

/** A PromiseLike that reports its value inside then(), as a coroutine that awaits nothing would. */
function syncThenable<T>(value: T): PromiseLike<T> {
  return { then: (onFulfilled: (v: T) => unknown) => onFulfilled(value) } as unknown as PromiseLike<T>;
}

describe("maybeDeferred()", () => {
  it("gives a fired Deferred with the very value the function returns", () => {
    // Twisted: DeferredTests.test_maybeDeferredSync
    const value = { x: 1 };
    const onFailure = jest.fn();
    const d = maybeDeferred(() => value);
    d.addErrback(onFailure);
    expect(successResultOf(d)).toBe(value);
    expect(onFailure).not.toHaveBeenCalled();
  });

  it("passes its extra arguments on to the function", () => {
    // Twisted: DeferredTests.test_maybeDeferredSyncWithArgs
    const plusFive = (n: number) => n + 5;
    expect(successResultOf(maybeDeferred(plusFive, 10))).toBe(15);
  });

  it("gives a failed Deferred when the function throws", () => {
    // Twisted: DeferredTests.test_maybeDeferredSyncException
    const thrown = new SomeError("that value is unacceptable");
    const onResult = jest.fn();
    const d = maybeDeferred(() => {
      throw thrown;
    });
    d.addCallback(onResult);
    expect(onResult).not.toHaveBeenCalled();
    const f = failureResultOf(d, SomeError);
    expect(f.value).toBe(thrown);
    expect(f.getErrorMessage()).toBe("that value is unacceptable");
  });

  it("fails with the very Failure the function returns, without wrapping it again", () => {
    // Twisted: DeferredTests.test_maybeDeferredSyncFailure
    const f = Failure.from(new SomeError("returned"));
    expect(failureResultOf(maybeDeferred(() => f))).toBe(f);
  });

  it("passes a returned Deferred through as the same object", () => {
    // Twisted: DeferredTests.test_maybeDeferredAsync
    const d1 = new Deferred<string>();
    const d = maybeDeferred(() => d1);
    expect(d).toBe(d1);
    assertNoResult(d);
    d1.callback("Success");
    expect(successResultOf(d)).toBe("Success");
  });

  it("fails at once when a returned Deferred fails", () => {
    // Twisted: DeferredTests.test_maybeDeferredAsyncError
    const d1 = new Deferred<string>();
    const d = maybeDeferred(() => d1);
    assertNoResult(d);
    d1.errback(new RangeError("async"));
    failureResultOf(d, RangeError);
  });

  it("adopts a PromiseLike that settles inside then() synchronously", () => {
    // Twisted: DeferredTests.test_maybeDeferredCoroutineSuccess, test_maybeDeferredCoroutineSuccessIndirect
    const d = maybeDeferred(() => syncThenable(7));
    expect(successResultOf(d)).toBe(7);
    expect(successResultOf(d.addCallback((n) => n + 1))).toBe(8);
  });

  it("adopts the Promise an async function returns", async () => {
    // Twisted: DeferredTests.test_maybeDeferredCoroutineSuccess
    const d = maybeDeferred(async (n: number) => n * 7, 1);
    expect(d).toBeInstanceOf(Deferred);
    await expect(d).resolves.toBe(7);
    expect(successResultOf(d)).toBe(7);
  });

  it("fails with the rejection of the Promise an async function returns", async () => {
    // Twisted: DeferredTests.test_maybeDeferredCoroutineFailure
    const thrown = new SomeError("async throw");
    const d = maybeDeferred(async () => {
      throw thrown;
    });
    await expect(d).rejects.toBe(thrown);
    expect(failureResultOf(d, SomeError).value).toBe(thrown);
  });

  it("gives a succeeded Deferred for a returned Error, which is a value", () => {
    const err = new SomeError("data");
    expect(successResultOf(maybeDeferred(() => err))).toBe(err);
  });

  it("throws a TypeError naming `fn` when given no function", () => {
    expect(() => maybeDeferred(5 as never)).toThrow("Expected `fn` to be a function, got `5` (number)");
  });
});

describe("execute()", () => {
  it("gives a fired Deferred with the function's return value, passing the extra arguments", () => {
    expect(successResultOf(execute(Math.max, 3, 9, 4))).toBe(9);
  });

  it("gives a failed Deferred with what the function throws", () => {
    const thrown = new SomeError("thrown");
    expect(
      failureResultOf(
        execute(() => {
          throw thrown;
        }),
        SomeError,
      ).value,
    ).toBe(thrown);
  });

  it("fails with a TypeError pointing to maybeDeferred when the function returns a PromiseLike", () => {
    const thenable = syncThenable(1);
    const f = failureResultOf(execute(() => thenable), TypeError);
    expect(f.getErrorMessage()).toContain("use maybeDeferred()");
  });

  it("fails with a TypeError pointing to maybeDeferred, without throwing, when the function returns a Deferred", () => {
    // API: "call now; result or thrown error as a fired Deferred"; a Deferred cannot be a result.
    const inner = new Deferred<number>();
    let d: Deferred<unknown> | undefined;
    expect(() => {
      d = execute(() => inner);
    }).not.toThrow();
    expect(failureResultOf(d!, TypeError).getErrorMessage()).toMatch(/maybeDeferred/);
    assertNoResult(inner);
  });

  it("throws a TypeError naming `fn` when given no function", () => {
    expect(() => execute("f" as never)).toThrow('Expected `fn` to be a function, got `"f"` (string)');
  });
});

describe("succeed() and fail()", () => {
  it("succeed() gives a fired Deferred with the very value", () => {
    const value = [1, 2];
    const d = succeed(value);
    expect(d.called).toBe(true);
    expect(successResultOf(d)).toBe(value);
  });

  it("succeed() throws a TypeError naming `result` for a Deferred", () => {
    expect(() => succeed(new Deferred<number>())).toThrow(TypeError);
    expect(() => succeed(new Deferred<number>())).toThrow(/`result`/);
  });

  it("fail() wraps its reason in a Failure, and keeps a given Failure as it is", () => {
    const reason = new SomeError("r");
    const given = Failure.from(new SomeError("given"));
    expect(failureResultOf(fail(reason), SomeError).value).toBe(reason);
    expect(failureResultOf(fail(given))).toBe(given);
  });

  it("fail() keeps a non-Error reason as the Failure's value", () => {
    expect(failureResultOf(fail("plain string")).value).toBe("plain string");
    expect(failureResultOf(fail()).value).toBeUndefined();
  });
});

describe("ensureDeferred()", () => {
  it("returns the very Deferred it is given", () => {
    // Twisted: EnsureDeferredTests.test_passesThroughDeferreds
    const d = new Deferred<number>();
    expect(ensureDeferred(d)).toBe(d);
  });

  it("throws a TypeError naming `value` for something that is neither a Deferred, a PromiseLike nor a generator", () => {
    // Twisted: EnsureDeferredTests.test_willNotAllowNonDeferredOrCoroutine (deferkit: TypeError)
    expect(() => ensureDeferred("something" as never)).toThrow(TypeError);
    expect(() => ensureDeferred("something" as never)).toThrow(
      'Expected `value` to be a Deferred, a PromiseLike or a generator, got `"something"` (string)',
    );
  });

  it("gives a Deferred that already succeeded for a PromiseLike that settles synchronously", () => {
    // Twisted: EnsureDeferredTests.test_ensureDeferredCoroutine (awaiting a fired Deferred does not suspend there)
    expect(successResultOf(ensureDeferred(syncThenable("foo")))).toBe("foo");
  });

  it("adopts the Promise of an async function that awaits a fired Deferred", async () => {
    // Twisted: EnsureDeferredTests.test_ensureDeferredCoroutine
    const d = ensureDeferred(
      (async () => {
        const value = await succeed("foo");
        return value;
      })(),
    );
    expect(d).toBeInstanceOf(Deferred);
    await expect(d).resolves.toBe("foo");
    expect(successResultOf(d)).toBe("foo");
  });

  it("fails with the rejection reason of a rejected Promise", async () => {
    const reason = new SomeError("rejected");
    const d = ensureDeferred(Promise.reject(reason));
    await expect(d).rejects.toBe(reason);
    expect(failureResultOf(d).value).toBe(reason);
  });
});

describe("Deferred.fromPromise()", () => {
  it("returns a Deferred as it is", () => {
    const d = new Deferred<number>();
    expect(Deferred.fromPromise(d)).toBe(d);
  });

  it("has no result until the Promise settles, then its value", async () => {
    let resolve: (v: number) => void = () => {};
    const p = new Promise<number>((r) => (resolve = r));
    const d = Deferred.fromPromise(p);
    assertNoResult(d);
    resolve(5);
    await p;
    expect(successResultOf(d)).toBe(5);
  });

  it("fails with the very rejection reason, even a non-Error one", async () => {
    const p = Promise.reject("nope");
    const d = Deferred.fromPromise(p);
    await p.catch(() => {});
    expect(failureResultOf(d).value).toBe("nope");
  });

  it("waits for a Deferred that a PromiseLike resolves with", () => {
    let resolve: (v: unknown) => void = () => {};
    const thenable = { then: (onFulfilled: (v: unknown) => void) => (resolve = onFulfilled) };
    const inner = new Deferred<number>();
    const d = Deferred.fromPromise(thenable as unknown as PromiseLike<number>);
    resolve(inner);
    assertNoResult(d);
    inner.callback(3);
    expect(successResultOf(d)).toBe(3);
  });

  it("fails with CancelledError on cancel() and ignores the Promise's later outcome", async () => {
    let resolve: (v: number) => void = () => {};
    const p = new Promise<number>((r) => (resolve = r));
    const d = Deferred.fromPromise(p);
    d.cancel();
    failureResultOf(d, CancelledError);
    resolve(1);
    await p;
    failureResultOf(d, CancelledError);
  });

  it("fails with what a thenable's then() throws", () => {
    const err = new SomeError("then threw");
    const d = Deferred.fromPromise({
      then() {
        throw err;
      },
    } as unknown as PromiseLike<number>);
    expect(failureResultOf(d).value).toBe(err);
  });

  it("throws a TypeError naming `promise` for something that is not a PromiseLike", () => {
    expect(() => Deferred.fromPromise(42 as never)).toThrow("Expected `promise` to be a PromiseLike, got `42` (number)");
  });
});

describe("reading a thenable's then", () => {
  it("maybeDeferred fails, instead of throwing, when the result's then getter throws", () => {
    const boom = new Error("getter");
    const hostile = {
      get then(): never {
        throw boom;
      },
    };
    let d: Deferred<unknown> | undefined;
    expect(() => {
      d = maybeDeferred(() => hostile);
    }).not.toThrow();
    expect(failureResultOf(d!).value).toBe(boom);
  });

  it("reads then once when adopting a returned PromiseLike (Promises/A+ 2.3.3.1)", () => {
    let reads = 0;
    const once = {
      get then() {
        reads++;
        return (onFulfilled: (v: string) => void) => onFulfilled("ok");
      },
    };
    expect(successResultOf(maybeDeferred(() => once))).toBe("ok");
    expect(successResultOf(succeed(1).addCallback(() => once))).toBe("ok");
    expect(reads).toBe(2);
  });
});
