import { AlreadyCalledError, CancelledError, Deferred, Failure, FirstError, fail, gatherResults, setDebugging, succeed } from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { countingThenable, secondCopy, twoTimings } from "./helpers.js";

/**
 * The two ways a chain can meet its result: the Deferred fires before its steps are added (each
 * step runs inside `addCallback*()`), or the steps are queued first and run inside `callback()`.
 * `run(fire, steps)` builds a Deferred and applies both in that order.
 */
const timings = twoTimings("fired before steps were added", "fired after").map(({ label, run }) => ({
  label,
  run<T>(fire: (d: Deferred<T>) => void, steps: (d: Deferred<T>) => void): Deferred<T> {
    const d = new Deferred<T>();
    run(
      () => fire(d),
      () => steps(d),
    );
    return d;
  },
}));

/** A PromiseLike whose outcome the test sets by hand, synchronously. */
function manualThenable<T>(): { thenable: PromiseLike<T>; resolve(v: T): void; reject(r: unknown): void } {
  const handlers: [((v: T) => unknown) | null | undefined, ((r: unknown) => unknown) | null | undefined][] = [];
  const thenable = {
    then(onFulfilled?: ((v: T) => unknown) | null, onRejected?: ((r: unknown) => unknown) | null) {
      handlers.push([onFulfilled, onRejected]);
      return thenable;
    },
  } as unknown as PromiseLike<T>;
  return {
    thenable,
    resolve: (v) => handlers.forEach(([f]) => f?.(v)),
    reject: (r) => handlers.forEach(([, g]) => g?.(r)),
  };
}

const ok = <T>(value: T) => (d: Deferred<T>) => d.callback(value);
const bad =
  (reason: unknown) =>
  <T>(d: Deferred<T>): void =>
    d.errback(reason);

describe.each(timings)("Deferred chain ($label)", ({ run }) => {
  describe("callbacks and errbacks", () => {
    it("calls a callback once, with the result as its only argument", () => {
      // Twisted: DeferredTests.testCallbackWithoutArgs
      const calls: unknown[][] = [];
      const errbacks: unknown[] = [];
      run(ok("hello"), (d) => {
        d.addCallback((...args: unknown[]) => {
          calls.push(args);
        }).addErrback((f) => errbacks.push(f));
      });
      expect(calls).toEqual([["hello"]]);
      expect(errbacks).toEqual([]);
    });

    it("passes extra addCallback arguments after the result", () => {
      // Twisted: DeferredTests.testCallbackWithArgs, DeferredTests.testCallbackWithKwArgs
      const calls: unknown[][] = [];
      run(ok("hello"), (d) => {
        d.addCallback((r: string, world: string, opts: { n: number }) => {
          calls.push([r, world, opts]);
        }, "world", { n: 1 });
      });
      expect(calls).toEqual([["hello", "world", { n: 1 }]]);
    });

    it("passes extra addErrback and addBoth arguments after the failure", () => {
      const err = new Error("e");
      const calls: unknown[][] = [];
      run(bad(err), (d) => {
        d.addErrback((f: Failure, a: number) => {
          calls.push(["errback", f.value, a]);
          throw f;
        }, 1).addBoth((r: unknown, a: string, b: string) => {
          calls.push(["both", (r as Failure).value, a, b]);
        }, "x", "y");
      });
      expect(calls).toEqual([
        ["errback", err, 1],
        ["both", err, "x", "y"],
      ]);
    });

    it("feeds each step's return value to the next step", () => {
      // Twisted: DeferredTests.testTwoCallbacks
      const seen: unknown[] = [];
      const d = run(ok(3), (d) => {
        d.addCallback((n) => {
          seen.push(n);
          return n * 2;
        }).addCallback((n) => {
          seen.push(n);
          return `${n}!`;
        });
      });
      expect(seen).toEqual([3, 6]);
      expect(successResultOf(d)).toBe("6!");
    });

    it("runs a long mix of plain callbacks, errbacks, addBoth and steps with arguments in order", () => {
      // Queued steps are stored in two shapes (a bare callback, or a full record); the
      // order and the path taken must not depend on which.
      const seen: string[] = [];
      const d = run(ok(1), (d) => {
        d.addCallback((n) => (seen.push(`cb1 ${n}`), n + 1))
          .addCallback((n) => (seen.push(`cb2 ${n}`), n + 1))
          .addErrback(() => (seen.push("eb3"), 0))
          .addCallback((n: number, k: number) => (seen.push(`cb4 ${n}+${k}`), n + k), 10)
          .addCallback((n) => {
            seen.push(`cb5 ${n}`);
            throw new RangeError(String(n));
          })
          .addCallback(() => seen.push("cb6"))
          .addBoth((r, tag: string) => (seen.push(`both7 ${tag} ${(r as Failure).getErrorMessage()}`), r), "t")
          .addCallback(() => seen.push("cb8"))
          .addErrback((f: Failure) => (seen.push(`eb9 ${f.getErrorMessage()}`), 5))
          .addCallback((n: number) => (seen.push(`cb10 ${n}`), n * 2));
      });
      expect(seen).toEqual(["cb1 1", "cb2 2", "cb4 3+10", "cb5 13", "both7 t 13", "eb9 13", "cb10 5"]);
      expect(successResultOf(d)).toBe(10);
    });

    it("skips callbacks on a failure and errbacks on a success", () => {
      const seen: string[] = [];
      const onSuccess = run(ok(1), (d) => {
        d.addErrback(() => seen.push("errback on success"));
      });
      const onFailure = run(bad(new Error("x")), (d) => {
        d.addCallback(() => seen.push("callback on failure"));
      });
      expect(seen).toEqual([]);
      expect(successResultOf(onSuccess)).toBe(1);
      expect(failureResultOf(onFailure, Error).getErrorMessage()).toBe("x");
    });

    it("passes a failure unchanged past addCallbacks without an onFailure", () => {
      // Twisted: DeferredTests.test_addCallbacksNoneErrback
      const err = new Error("boom");
      const onResult = jest.fn();
      const errbackArgs: unknown[][] = [];
      let fired: Failure | undefined;
      run(
        (d) => {
          fired = new Failure(err);
          d.errback(fired);
        },
        (d) => {
          d.addCallbacks(onResult, null).addErrback((...args: unknown[]) => {
            errbackArgs.push(args);
          });
        },
      );
      expect(onResult).not.toHaveBeenCalled();
      expect(errbackArgs).toHaveLength(1);
      expect(errbackArgs[0]).toHaveLength(1);
      expect(errbackArgs[0]![0]).toBe(fired);
      expect((errbackArgs[0]![0] as Failure).value).toBe(err);
    });

    it("calls addCallbacks' onResult with exactly the result and never onFailure on a success", () => {
      // Twisted: DeferredTests.test_addCallbacksNoneCallbackArgs
      const onResult = jest.fn();
      const onFailure = jest.fn();
      run(ok("hello"), (d) => {
        d.addCallbacks(onResult, onFailure);
      });
      expect(onResult.mock.calls).toEqual([["hello"]]);
      expect(onFailure).not.toHaveBeenCalled();
    });

    it("calls addCallbacks' onFailure with exactly one Failure and never onResult on a failure", () => {
      // Twisted: DeferredTests.test_addCallbacksNoneErrbackArgs
      const err = new Error("e");
      const onResult = jest.fn();
      const onFailure = jest.fn();
      run(bad(err), (d) => {
        d.addCallbacks(onResult, onFailure);
      });
      expect(onResult).not.toHaveBeenCalled();
      expect(onFailure).toHaveBeenCalledTimes(1);
      expect(onFailure.mock.calls[0]).toHaveLength(1);
      expect(onFailure.mock.calls[0][0]).toBeInstanceOf(Failure);
      expect((onFailure.mock.calls[0][0] as Failure).value).toBe(err);
    });

    it("gives addBoth the value on a success and the Failure on a failure", () => {
      const seen: unknown[] = [];
      const err = new Error("e");
      run(ok(5), (d) => {
        d.addBoth((r) => seen.push(r));
      });
      run(bad(err), (d) => {
        d.addBoth((r) => seen.push(r));
      });
      expect(seen[0]).toBe(5);
      expect(seen[1]).toBeInstanceOf(Failure);
      expect((seen[1] as Failure).value).toBe(err);
    });

  });

  describe("failures in steps", () => {
    it("turns a throwing callback into a Failure that the next errback gets", () => {
      // Twisted: DeferredTests.testCallbackErrors
      const thrown = new RangeError("divide by zero");
      const seen: unknown[] = [];
      const d = run(ok(1), (d) => {
        d.addCallback(() => {
          throw thrown;
        }).addErrback((f) => {
          seen.push(f.value);
          return "recovered";
        });
      });
      expect(seen).toEqual([thrown]);
      expect(seen[0]).toBe(thrown);
      expect(successResultOf(d)).toBe("recovered");
    });

    it("switches to the errbacks with the very Failure a callback returns, skipping the next callback", () => {
      // Twisted: DeferredTests.test_callbackMaybeReturnsFailure, DeferredTests.testCallbackErrors
      const f = Failure.from(new Error("returned"));
      const skipped = jest.fn();
      const d = run(ok(6), (d) => {
        d.addCallback(() => f).addCallback(skipped);
      });
      expect(skipped).not.toHaveBeenCalled();
      expect(failureResultOf(d)).toBe(f);
    });

    it("switches to the errbacks when a step returns another copy's Failure", () => {
      // Two copies of the package in one process (a second one loaded in isolation here; the
      // built ESM and CJS copies are tested in __tests__/package/two-copies.test.ts).
      const other = secondCopy();
      const err = new RangeError("from the other copy");
      const seen: unknown[] = [];
      succeed(1)
        .addCallback(() => new other.Failure(err))
        .addCallback(() => seen.push("callback"))
        .addErrback((f) => {
          seen.push(f instanceof Failure, f.value);
        });
      expect(seen).toEqual([true, err]);
    });

    it("passes an Error that a step returns on as a value, not as a failure", () => {
      const err = new TypeError("just data");
      const onFailure = jest.fn();
      const seen: unknown[] = [];
      const d = run(ok(1), (d) => {
        d.addCallback(() => err)
          .addErrback(onFailure)
          .addCallback((e) => {
            seen.push(e);
            return e;
          });
      });
      expect(onFailure).not.toHaveBeenCalled();
      expect(seen).toEqual([err]);
      expect(successResultOf(d)).toBe(err);
    });

    it("recovers when an errback returns normally", () => {
      const d = run(bad(new Error("x")), (d) => {
        d.addErrback((f) => `handled ${f.getErrorMessage()}`);
      });
      expect(successResultOf(d)).toBe("handled x");
    });

    it("keeps failing with the new error when an errback throws", () => {
      const second = new Error("second");
      const d = run(bad(new Error("first")), (d) => {
        d.addErrback(() => {
          throw second;
        });
      });
      expect(failureResultOf(d).value).toBe(second);
    });

    it("fails the chain with a TypeError when a step returns its own Deferred", () => {
      // Twisted: DeferredTests.test_circularChainWarning (deferkit: a TypeError failure, not a warning and a hang)
      let self: Deferred<unknown> | undefined;
      const d = run<unknown>(ok<unknown>(1), (d) => {
        self = d;
        d.addCallback(() => self);
      });
      expect(failureResultOf(d, TypeError).getErrorMessage()).toMatch(/returned the Deferred it belongs to/);
    });
  });

  describe("steps that return a Deferred or a PromiseLike", () => {
    it("waits for an unfired returned Deferred and continues with its result", () => {
      const inner = new Deferred<string>();
      const next = jest.fn((r: string) => r.toUpperCase());
      const d = run(ok(1), (d) => {
        d.addCallback(() => inner).addCallback(next);
      });
      expect(next).not.toHaveBeenCalled();
      assertNoResult(d);
      inner.callback("inner");
      expect(next.mock.calls).toEqual([["inner"]]);
      expect(successResultOf(d)).toBe("INNER");
    });

    it("continues at once with the result of an already-fired returned Deferred, which is then left with undefined", () => {
      // Twisted: DeferredTests.test_synchronousImplicitChain
      const value = { x: 1 };
      const first = succeed(value);
      const second = run(ok(null), (d) => {
        d.addCallback(() => first);
      });
      expect(successResultOf(second)).toBe(value);
      expect(successResultOf(first)).toBeUndefined();
    });

    it("fails with the failure of an already-failed returned Deferred, which is then left with undefined", () => {
      // Twisted: DeferredTests.test_synchronousImplicitErrorChain
      const err = new Error("inner failed");
      const first = fail(err);
      const second = run(ok(null), (d) => {
        d.addCallback(() => first);
      });
      expect(failureResultOf(second).value).toBe(err);
      expect(successResultOf(first)).toBeUndefined();
    });

    it("recovers when an errback returns a Deferred that later succeeds", () => {
      // Twisted: DeferredTests.test_errbackReturnsDeferred
      const d2 = new Deferred<string>();
      const next = jest.fn();
      const d = run(bad(new Error("x")), (d) => {
        d.addErrback(() => d2).addCallback(next);
      });
      assertNoResult(d);
      expect(next).not.toHaveBeenCalled();
      d2.callback("result");
      expect(next.mock.calls).toEqual([["result"]]);
    });

    it("waits for a returned PromiseLike and continues with its value", () => {
      const { thenable, resolve } = manualThenable<number>();
      const d = run(ok(1), (d) => {
        d.addCallback(() => thenable).addCallback((n) => n * 10);
      });
      assertNoResult(d);
      resolve(4);
      expect(successResultOf(d)).toBe(40);
    });

    it("fails with the rejection reason of a returned PromiseLike", () => {
      const { thenable, reject } = manualThenable<number>();
      const reason = new Error("rejected");
      const d = run(ok(1), (d) => {
        d.addCallback(() => thenable);
      });
      assertNoResult(d);
      reject(reason);
      expect(failureResultOf(d).value).toBe(reason);
    });

  });

  describe("re-entrant steps", () => {
    it("does not run a step added from inside a running step until that step has returned", () => {
      // Twisted: DeferredTests.test_nonReentrantCallbacks
      const called: number[] = [];
      let insideFirst: number[] = [];
      run(ok(null), (d) => {
        d.addCallback(() => {
          called.push(1);
          d.addCallback(() => called.push(2));
          insideFirst = [...called];
        });
      });
      expect(insideFirst).toEqual([1]);
      expect(called).toEqual([1, 2]);
    });

    it("fails the chain when a step added from inside a running step throws", () => {
      // Twisted: DeferredTests.test_reentrantRunCallbacksWithFailure
      const d = run(ok(null), (d) => {
        d.addCallback(() => {
          d.addCallback(() => {
            throw new Error("callback raised exception");
          });
        });
      });
      expect(failureResultOf(d, Error).getErrorMessage()).toBe("callback raised exception");
    });

  });

  describe("pause() and unpause()", () => {
    it("runs no steps while paused, and runs them all on unpause()", () => {
      // Twisted: DeferredTests.testPausedFailure
      const err = new Error("paused failure");
      const seen: unknown[] = [];
      // Paused before it fires, so steps queue in both orders.
      const p = run(
        (x) => {
          x.pause();
          x.errback(err);
        },
        (x) => {
          x.addErrback((f) => {
            seen.push(f.value);
            return "ok";
          });
        },
      );
      expect(seen).toEqual([]);
      assertNoResult(p);
      p.unpause();
      expect(seen).toEqual([err]);
      expect(successResultOf(p)).toBe("ok");
    });
  });

  describe("chainDeferred()", () => {
    it("fires the other Deferred with the result and continues with undefined", () => {
      const other = new Deferred<number>();
      const d = run(ok(5), (d) => {
        d.chainDeferred(other);
      });
      expect(successResultOf(other)).toBe(5);
      expect(successResultOf(d)).toBeUndefined();
      expect(successResultOf(d.addCallback((r) => [r]))).toEqual([undefined]);
    });

    it("passes a failure to the other Deferred's errbacks and continues with undefined", () => {
      const err = new Error("shared");
      const other = new Deferred<number>();
      const d = run<number>(bad(err), (d) => {
        d.chainDeferred(other);
      });
      expect(failureResultOf(other).value).toBe(err);
      expect(successResultOf(d)).toBeUndefined();
    });

    it("fails with AlreadyCalledError when the other Deferred has already fired", () => {
      const other = succeed(1);
      const d = run(ok(5), (d) => {
        d.chainDeferred(other);
      });
      expect(AlreadyCalledError.is(failureResultOf(d).value)).toBe(true);
      expect(successResultOf(other)).toBe(1);
    });

  });
});

describe("Deferred#callback() / errback()", () => {
  it("runs the queued steps inside callback(), before it returns", () => {
    const d = new Deferred<number>();
    const seen: number[] = [];
    d.addCallback((n) => seen.push(n));
    d.callback(1);
    expect(seen).toEqual([1]);
  });

  it("runs a step added to a fired Deferred inside addCallback() or addErrback()", () => {
    // Twisted: DeferredTests.testImmediateSuccess, DeferredTests.testImmediateFailure
    const seen: string[] = [];
    succeed("success").addCallback((r) => {
      seen.push(r);
    });
    fail(new Error("fail")).addErrback((f) => {
      seen.push(String((f.value as Error).message));
    });
    expect(seen).toEqual(["success", "fail"]);
  });

  it("reports called as false until fired, and true from then on, even while waiting", () => {
    const d = new Deferred<number>();
    expect(d.called).toBe(false);
    d.addCallback(() => new Deferred<number>());
    d.callback(1);
    expect(d.called).toBe(true);
    assertNoResult(d);
  });

  it("throws a TypeError naming `result` when given a Deferred, and stays unfired", () => {
    const d = new Deferred<unknown>();
    expect(() => d.callback(new Deferred<number>())).toThrow(TypeError);
    expect(() => d.callback(new Deferred<number>())).toThrow(/`result`/);
    expect(d.called).toBe(false);
    d.callback(1);
    expect(successResultOf(d)).toBe(1);
  });

  it("wraps a non-Failure errback reason in a Failure, and keeps a Failure as it is", () => {
    const reason = { code: 7 };
    const given = Failure.from(new Error("given"));
    expect(failureResultOf(fail(reason)).value).toBe(reason);
    const d = new Deferred<number>();
    d.errback(given);
    expect(failureResultOf(d)).toBe(given);
    const none = new Deferred<number>();
    none.errback();
    expect(failureResultOf(none).value).toBeUndefined();
  });

  it("takes the errback path when callback() is given a Failure", () => {
    // Twisted semantics: the path is chosen by the type of the current result.
    const f = Failure.from(new RangeError("r"));
    const onResult = jest.fn();
    const d = new Deferred<unknown>();
    d.addCallback(onResult);
    d.callback(f);
    expect(onResult).not.toHaveBeenCalled();
    expect(failureResultOf(d)).toBe(f);
  });

  it("keeps a Failure that a step throws as it is", () => {
    const f = Failure.from(new Error("thrown failure"));
    const d = fail(new Error("first")).addErrback(() => {
      throw f;
    });
    expect(failureResultOf(d)).toBe(f);
  });

  it("gives succeed(x) the same observable state as callback(x) on a new Deferred", () => {
    // Twisted: DeferredTests.test_succeedMatchesManualSuccess
    const manual = new Deferred<string>();
    manual.callback("x");
    const fast = succeed("x");
    expect(fast.called).toBe(manual.called);
    expect(fast.paused).toBe(manual.paused);
    expect(fast.toString()).toBe(manual.toString());
    expect(successResultOf(fast)).toBe(successResultOf(manual));
  });

  it("returns the very same Deferred from every add* method", () => {
    const d = new Deferred<number>();
    expect(d.addCallback((n) => n)).toBe(d);
    expect(d.addErrback(() => 0)).toBe(d);
    expect(d.addBoth((r) => r)).toBe(d);
    expect(d.addCallbacks((r) => r)).toBe(d);
    expect(d.chainDeferred(new Deferred())).toBe(d);
  });
});

describe("Deferred steps that return unusual PromiseLikes", () => {
  it("continues at once when a returned PromiseLike settles inside then()", () => {
    const syncThenable = { then: (onFulfilled: (v: string) => void) => onFulfilled("now") };
    const d = succeed(1).addCallback(() => syncThenable as unknown as PromiseLike<string>);
    expect(successResultOf(d)).toBe("now");
  });

  it("takes only the first outcome of a PromiseLike that reports more than once", () => {
    const twice = {
      then(onFulfilled: (v: string) => void, onRejected: (r: unknown) => void) {
        onFulfilled("first");
        onFulfilled("second");
        onRejected(new Error("late"));
        throw new Error("later still");
      },
    };
    const d = succeed(1).addCallback(() => twice as unknown as PromiseLike<string>);
    expect(successResultOf(d)).toBe("first");
  });

  it("fails with what a returned object's then() throws", () => {
    const err = new Error("then threw");
    const throwing = {
      then() {
        throw err;
      },
    };
    const d = succeed(1).addCallback(() => throwing as unknown as PromiseLike<string>);
    expect(failureResultOf(d).value).toBe(err);
  });

  it("fails with what reading a returned object's then throws", () => {
    const err = new Error("getter threw");
    const hostile = Object.defineProperty({}, "then", {
      get() {
        throw err;
      },
    });
    const d = succeed(1).addCallback(() => hostile);
    expect(failureResultOf(d).value).toBe(err);
  });

  it("passes an object whose then is not a function on as a value", () => {
    const notThenable = { then: 5 };
    const d = succeed(1).addCallback(() => notThenable);
    expect(successResultOf(d)).toBe(notThenable);
  });

  it("waits for a PromiseLike that resolves with an unfired Deferred", () => {
    const { thenable, resolve } = manualThenable<number>();
    const innermost = new Deferred<number>();
    const d = succeed(1).addCallback(() => thenable);
    resolve(innermost as unknown as number);
    assertNoResult(d);
    innermost.callback(9);
    expect(successResultOf(d)).toBe(9);
  });

  it("continues with the final value when a returned PromiseLike resolves with another PromiseLike", () => {
    // Promises/A+ 2.3.3.3.1: `await outerThenable` gives 42 (Twisted has no equivalent).
    const innerThenable = { then: (onFulfilled: (v: number) => void) => onFulfilled(42) };
    const outerThenable = { then: (onFulfilled: (v: unknown) => void) => onFulfilled(innerThenable) };
    const d = succeed(1).addCallback(() => outerThenable as unknown as PromiseLike<number>);
    expect(successResultOf(d)).toBe(42);
  });
});

// A Deferred at rest remembers whether its result is a Failure (addCallback's fast path reads
// that instead of testing the result): every way of coming to rest must keep it right.
describe("a Deferred at rest with a failure skips a later callback, however the failure came", () => {
  const boom = () => new Error("boom");
  const ways: [string, () => Deferred<unknown>][] = [
    ["errback with no steps", () => fail(boom())],
    ["a callback on the fast path throws", () => succeed(1).addCallback(() => { throw boom(); })],
    ["a callback with extra arguments throws", () => succeed(1).addCallback((_: number, x: number) => { throw new Error(`${x}`); }, 2)],
    ["a queued callback throws when fired", () => {
      const d = new Deferred<number>();
      d.addCallback(() => { throw boom(); });
      d.callback(1);
      return d;
    }],
    ["an errback returns a new Failure", () => fail(boom()).addErrback(() => new Failure(boom()))],
    ["a step returns a failed Deferred (its result is taken)", () => succeed(1).addCallback(() => fail(boom()))],
    ["a step waits on a Deferred that then fails", () => {
      const inner = new Deferred<number>();
      const d = succeed(1).addCallback(() => inner);
      inner.errback(boom());
      return d;
    }],
    ["chainDeferred passes a failure on", () => {
      const target = new Deferred<unknown>();
      fail<unknown>(boom()).chainDeferred(target).addErrback(() => undefined);
      return target;
    }],
    ["unpause() after the failure arrived while paused", () => {
      const d = new Deferred<number>();
      d.pause();
      d.errback(boom());
      d.unpause();
      return d;
    }],
    ["cancel() of a Deferred without canceller", () => {
      const d = new Deferred<number>();
      d.cancel();
      return d;
    }],
  ];
  // Twice: at once, and after the unhandled-failure check's microtask has run (its bookkeeping
  // bit, set meanwhile, would otherwise hide a wrong answer).
  it.each(ways)("%s", async (_, make) => {
    const d = make();
    const seen: unknown[] = [];
    d.addCallback((v) => seen.push(v));
    expect(seen).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    d.addCallback((v) => seen.push(v));
    expect(seen).toEqual([]);
    expect(failureResultOf(d)).toBeInstanceOf(Failure);
  });

  it("a Deferred that recovered from a failure runs the next callback at once", () => {
    const d = fail(boom()).addErrback(() => "recovered");
    const seen: unknown[] = [];
    d.addCallback((v) => seen.push(v));
    expect(seen).toEqual(["recovered"]);
  });

  it("a failed Deferred whose result a step took runs a later callback with undefined", () => {
    // Twisted hands the taken result on and leaves `None` behind.
    const inner = fail(boom());
    const outer = succeed(1).addCallback(() => inner);
    const seen: unknown[] = [];
    inner.addCallback((v) => seen.push(v));
    expect(seen).toEqual([undefined]);
    expect(failureResultOf(outer).getErrorMessage()).toBe("boom");
  });
});

describe("Deferred steps with extra arguments, queued behind other steps", () => {
  it("get their arguments whether they are the second step or a later one", () => {
    // The first pending step sits in the Deferred itself, later ones in an array: both must
    // keep a step's extra arguments.
    const d = new Deferred<number>();
    const seen: unknown[] = [];
    d.addCallback((n) => n + 1);
    d.addCallback((n, a: string) => seen.push([n, a]) && n, "second");
    d.addCallback((n, a: string, b: number) => seen.push([n, a, b]) && n, "third", 3);
    d.addErrback((f, a: string) => seen.push(["never", f, a]), "errback");
    d.callback(1);
    expect(seen).toEqual([
      [2, "second"],
      [2, "third", 3],
    ]);
  });
});

describe("Deferred steps added while the chain runs", () => {
  it("runs a step added from inside a running step after the steps already queued", () => {
    // Twisted: DeferredTests.test_reentrantRunCallbacks
    const order: number[] = [];
    const d = new Deferred<null>();
    d.addCallback(() => {
      order.push(1);
      d.addCallback(() => order.push(3));
    });
    d.addCallback(() => order.push(2));
    d.callback(null);
    expect(order).toEqual([1, 2, 3]);
  });
});

describe("Deferred#pause() / unpause()", () => {
  it("neither throws nor runs steps on unpause() of an unfired Deferred", () => {
    // Twisted: DeferredTests.testUnpauseBeforeCallback
    const d = new Deferred<number>();
    const step = jest.fn();
    d.pause();
    d.addCallback(step);
    d.unpause();
    expect(step).not.toHaveBeenCalled();
    d.callback(1);
    expect(step).toHaveBeenCalledWith(1);
  });

  it("counts nested pauses: the steps run only after the last unpause()", () => {
    const d = succeed(1);
    d.pause();
    d.pause();
    expect(d.paused).toBe(2);
    d.addCallback((n) => n + 1);
    d.unpause();
    assertNoResult(d);
    d.unpause();
    expect(d.paused).toBe(0);
    expect(successResultOf(d)).toBe(2);
  });

  it("throws an Error on unpause() without a matching pause()", () => {
    const d = succeed(1);
    expect(() => d.unpause()).toThrow(/without a matching pause/);
    expect(d.paused).toBe(0);
    expect(successResultOf(d)).toBe(1);
  });

  it("does not count the wait on a returned Deferred as the caller's pause", () => {
    const inner = new Deferred<number>();
    const d = succeed(0).addCallback(() => inner);
    expect(d.paused).toBe(1);
    expect(() => d.unpause()).toThrow(Error);
    inner.callback(3);
    expect(successResultOf(d)).toBe(3);
  });

  it("keeps an explicit pause of a waiting Deferred after the awaited one fires, without blocking that one", () => {
    // Twisted: DeferredTests.test_pausedDeferredChained
    const second = new Deferred<null>();
    const first = succeed(0).addCallback(() => second);
    first.pause();
    second.callback(null);
    const onSecond = jest.fn();
    second.addCallback(onSecond);
    expect(onSecond).toHaveBeenCalledWith(undefined);
    assertNoResult(first);
    first.unpause();
    expect(successResultOf(first)).toBeNull();
  });

  it("waits for a returned Deferred that is paused, even after it fires, until it is unpaused", () => {
    // Twisted: DeferredTests.test_callbackReturnsDeferred
    const d2 = new Deferred<number>();
    d2.pause();
    const next = jest.fn();
    const d1 = new Deferred<number>();
    d1.addCallback(() => d2).addCallback(next);
    d1.callback(1);
    expect(next).not.toHaveBeenCalled();
    d2.callback(2);
    expect(next).not.toHaveBeenCalled();
    d2.unpause();
    expect(next.mock.calls).toEqual([[2]]);
  });

  it("waits for a returned Deferred that already has a result but is paused", () => {
    // Twisted: DeferredTests.test_chainedPausedDeferredWithResult
    const expected = { v: "X" };
    const paused = succeed(expected);
    paused.pause();
    const chained = succeed(null).addCallback(() => paused);
    const seen: unknown[] = [];
    chained.addCallback((r) => seen.push(r));
    expect(seen).toEqual([]);
    paused.unpause();
    expect(seen).toEqual([expected]);
  });
});

describe("Deferred chains waiting on Deferreds", () => {
  it("hands the result to the waiting chain first, so steps added to the awaited Deferred get undefined", () => {
    // Twisted: DeferredTests.test_asynchronousImplicitChain
    const first = new Deferred<string>();
    const second = succeed(null).addCallback(() => first);
    const onFirst: unknown[] = [];
    const onSecond: unknown[] = [];
    first.addCallback((r) => onFirst.push(r));
    second.addCallback((r) => onSecond.push(r));
    expect(onFirst).toEqual([]);
    expect(onSecond).toEqual([]);
    first.callback("X");
    expect(onFirst).toEqual([undefined]);
    expect(onSecond).toEqual(["X"]);
  });

  it("hands a failure to the waiting chain, which runs before the awaited Deferred's later steps", () => {
    // Twisted: DeferredTests.test_asynchronousImplicitErrorChain
    const err = new RangeError("late");
    const first = new Deferred<string>();
    const second = succeed(null).addCallback(() => first);
    const seen: unknown[] = [];
    second.addErrback((f) => {
      seen.push(["second errback", f.value]);
    });
    first.addCallback((r) => seen.push(["first callback", r]));
    second.addCallback((r) => seen.push(["second callback", r]));
    first.errback(err);
    expect(seen).toEqual([
      ["second errback", err],
      ["second callback", undefined],
      ["first callback", undefined],
    ]);
  });

  it("passes results through a chain of waits", () => {
    // Twisted: DeferredTests.test_doubleAsynchronousImplicitChaining
    const first = new Deferred<string>();
    const second = succeed(null).addCallback(() => first);
    const third = succeed(null).addCallback(() => second);
    const seen: unknown[] = [];
    third.addCallback((r) => seen.push(r));
    expect(seen).toEqual([]);
    first.callback("X");
    expect(seen).toEqual(["X"]);
  });

  it("runs the returned Deferred's own steps before handing its result on", () => {
    // Twisted: DeferredTests.test_innerCallbacksPreserved
    const order: unknown[] = [];
    const inner = new Deferred<string>();
    const outer = succeed("outer");
    outer.addCallback((r) => {
      order.push(["start", r]);
      return succeed("inner")
        .addCallback(() => {
          order.push("firstCallback");
          return inner;
        })
        .addCallback((r) => {
          order.push(["secondCallback", r]);
          return r + r;
        });
    });
    inner.callback("orange");
    outer.addCallback((r) => order.push(["outer", r]));
    expect(order).toEqual([["start", "outer"], "firstCallback", ["secondCallback", "orange"], ["outer", "orangeorange"]]);
  });

  it("hands the result on only after steps queued on the returned Deferred before the wait began", () => {
    // Twisted: DeferredTests.test_continueCallbackNotFirst (an unfired Deferred stands in for gatherResults)
    const order: unknown[] = [];
    const a = new Deferred<string>();
    const failures: unknown[] = [];
    const d = succeed(null)
      .addCallback(() => {
        order.push("firstCallback");
        return a.addCallback((v) => [v]);
      })
      .addCallback((r) => {
        order.push(["secondCallback", r]);
        return r;
      })
      .addErrback((f) => {
        failures.push(f);
      });
    const outer = succeed(null).addCallback(() => d);
    a.callback("withers");
    expect(order).toEqual(["firstCallback", ["secondCallback", ["withers"]]]);
    expect(failures).toEqual([]);
    expect(successResultOf(outer)).toEqual(["withers"]);
  });

  it("runs a waiting chain's later steps only after the awaited chain's steps", () => {
    // Twisted: DeferredTests.test_callbackOrderPreserved
    const order: unknown[] = [];
    const a = new Deferred<string>();
    const d = succeed(null)
      .addCallback(() => {
        order.push("firstCallback");
        return a.addCallback((v) => [v]);
      })
      .addCallback((r) => {
        order.push(["secondCallback", r]);
        return r;
      });
    const outer = new Deferred<null>();
    outer.addCallback(() => {
      order.push("cb");
      return d;
    });
    outer.addCallback(() => order.push("final"));
    outer.callback(null);
    a.callback("withers");
    expect(order).toEqual(["firstCallback", "cb", ["secondCallback", ["withers"]], "final"]);
  });

  it("continues through a returned Deferred that has fired but is itself waiting", () => {
    // Twisted: DeferredTests.test_nestedAsynchronousChainedDeferreds
    const order: unknown[] = [];
    const errbacks: unknown[] = [];
    const inner = new Deferred<string>();
    const outer = succeed("outer");
    outer.addCallback((r) => {
      order.push(["start", r]);
      const d = succeed("inner")
        .addCallback(() => {
          order.push("firstCallback");
          return inner;
        })
        .addCallback((r) => {
          order.push(["secondCallback", r]);
          return r + r;
        });
      return d;
    });
    outer.addCallback((r) => order.push(["outer", r]));
    outer.addErrback((f) => errbacks.push(f));
    expect(order).toEqual([["start", "outer"], "firstCallback"]);
    inner.callback("orange");
    expect(order).toEqual([["start", "outer"], "firstCallback", ["secondCallback", "orange"], ["outer", "orangeorange"]]);
    expect(errbacks).toEqual([]);
  });

  it("runs steps already on the innermost Deferred before its result travels outwards", () => {
    // Twisted: DeferredTests.test_nestedAsynchronousChainedDeferredsWithExtraCallbacks
    const order: unknown[] = [];
    const inner = new Deferred<string>();
    const outer = succeed("outer");
    outer.addCallback(() =>
      succeed("inner")
        .addCallback(() => inner.addCallback((v) => [v]))
        .addCallback((r) => {
          order.push(["secondCallback", r]);
          return r.concat(r);
        }),
    );
    outer.addCallback((r) => order.push(["outer", r]));
    inner.callback("withers");
    expect(order).toEqual([
      ["secondCallback", ["withers"]],
      ["outer", ["withers", "withers"]],
    ]);
  });

  it("leaves undefined on a middle Deferred whose result went on to the Deferred waiting on it", () => {
    // Twisted: DeferredTests.test_resultOfDeferredResultOfDeferredOfFiredDeferredCalled
    const first = new Deferred<null>();
    const second = new Deferred<null>();
    const third = new Deferred<null>();
    first.addCallback(() => second);
    second.addCallback(() => third);
    second.callback(null);
    first.callback(null);
    third.callback(null);
    const seen: unknown[] = [];
    second.addCallback((r) => seen.push(r));
    expect(seen).toEqual([undefined]);
    expect(successResultOf(first)).toBeNull();
  });

  it("keeps the order of an awaited Deferred's own step, the wait, and steps added after the wait", () => {
    // The usual shape of a wait: a pending Deferred with one step of its own is returned by
    // another chain's step; more steps and a second waiter are added to it afterwards.
    const seen: unknown[] = [];
    const inner = new Deferred<string>().addCallback((s) => {
      seen.push(["inner step", s]);
      return `${s}!`;
    });
    const waiter = succeed(0).addCallback(() => inner);
    waiter.addCallback((r) => seen.push(["waiter", r]));
    inner.addCallback((r) => {
      seen.push(["inner later step", r]);
      return "later";
    });
    const second = succeed(0).addCallback(() => inner);
    second.addCallback((r) => seen.push(["second waiter", r]));
    assertNoResult(waiter);
    inner.callback("go");
    expect(seen).toEqual([
      ["inner step", "go"],
      ["waiter", "go!"],
      ["inner later step", undefined],
      ["second waiter", "later"],
    ]);
  });

  it("hands a failure past an awaited Deferred's own step to the waiter, before steps added after the wait", () => {
    const err = new RangeError("late");
    const seen: unknown[] = [];
    const inner = new Deferred<string>().addCallback((s) => `${s}!`);
    const waiter = succeed(0).addCallback(() => inner);
    expect(String(inner)).toBe("Deferred<pending, 2 steps waiting>"); // its own, and the wait
    inner.addBoth((r) => seen.push(["inner later step", r]));
    waiter.addErrback((f) => {
      seen.push(["waiter errback", f.value]);
    });
    inner.errback(err);
    expect(seen).toEqual([
      ["waiter errback", err],
      ["inner later step", undefined],
    ]);
    expect(successResultOf(waiter)).toBeUndefined();
  });

  it("hands a Deferred's result to the first of two chains waiting on it, and undefined to the second", () => {
    const shared = new Deferred<string>();
    const a = succeed(0).addCallback(() => shared);
    const b = succeed(0).addCallback(() => shared);
    shared.callback("once");
    expect(successResultOf(a)).toBe("once");
    expect(successResultOf(b)).toBeUndefined();
  });

  it("lets a step queue steps on a Deferred whose runner is busy further up the stack", () => {
    const order: string[] = [];
    const a = new Deferred<null>();
    const b = new Deferred<null>();
    b.addCallback(() => {
      order.push("b step");
      a.addCallback(() => order.push("added to a by b"));
    });
    a.addCallback(() => {
      order.push("a step 1");
      b.callback(null);
      order.push("a step 1 done");
    });
    a.addCallback(() => order.push("a step 2"));
    a.callback(null);
    expect(order).toEqual(["a step 1", "b step", "a step 1 done", "a step 2", "added to a by b"]);
  });

  it("runs the last step of a chain of waits at the same stack depth for 1 and 2 links", () => {
    // Twisted: DeferredTests.test_boundedStackDepth
    function chainDeferreds(howMany: number): number {
      const depths: number[] = [];
      const top = new Deferred<null>();
      const inners = Array.from({ length: howMany }, () => new Deferred<null>());
      const originals = [...inners];
      const last = new Deferred<null>();
      let inner = inners.pop()!;
      const firstInner = inner;
      top.addCallback(() => firstInner);
      top.addCallback(() => {
        depths.push((new Error().stack ?? "").split("\n").length);
      });
      while (inners.length > 0) {
        const newInner = inners.pop()!;
        const target = inner;
        target.addCallback(() => newInner);
        inner = newInner;
      }
      inner.addCallback(() => last);
      top.callback(null);
      for (const d of originals) d.callback(null);
      last.callback(null);
      return depths[0]!;
    }
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    try {
      expect(chainDeferreds(1)).toBe(chainDeferreds(2));
    } finally {
      Error.stackTraceLimit = saved;
    }
  });
});

describe("Deferred steps that return a Deferred whose chain is running", () => {
  // Twisted waits only on a Deferred that has no result yet or is paused: one whose chain is
  // running now has its current result taken at once, and that chain goes on (conformance
  // case B, checked against Twisted 22.4).
  it("take the running Deferred's current result at once, and its chain goes on", () => {
    const d0 = new Deferred<number>();
    const d1 = gatherResults([d0]);
    const seen: unknown[] = [];
    d1.addCallback(() => d0).addCallback((r) => seen.push(r));
    d0.callback(1);
    expect(seen).toEqual([1]);
    expect(successResultOf(d0)).toBe(1); // the running step's return value is its result again
  });

  it("take it through two levels of combinators", () => {
    const d0 = new Deferred<number>();
    const d1 = gatherResults([d0]);
    const d2 = gatherResults([d1]);
    d2.addCallback(() => d1);
    d0.callback(7);
    expect(successResultOf(d0)).toBe(7);
    expect(successResultOf(d1)).toEqual([7]);
    expect(successResultOf(d2)).toEqual([7]);
  });

  it("take a failure the same way, and each chain keeps its own", () => {
    const d0 = new Deferred<number>();
    const d1 = gatherResults([d0]);
    const d2 = gatherResults([d1]);
    d2.addErrback(() => d1);
    d1.cancel();
    failureResultOf(d0, CancelledError);
    expect((failureResultOf(d1, FirstError).value as FirstError).subFailure.check(CancelledError)).toBe(CancelledError);
    expect(failureResultOf(d2, FirstError).value).toBeInstanceOf(FirstError);
  });

  it("take the result a chainDeferred step is handing on, which then ends in undefined", () => {
    const d0 = new Deferred<number>();
    const d2 = new Deferred<number>();
    d0.chainDeferred(d2);
    d2.addCallback(() => d0);
    d0.callback(1);
    expect(successResultOf(d2)).toBe(1);
    expect(successResultOf(d0)).toBeUndefined();
  });

  it("still wait on a running Deferred that is paused", () => {
    const d0 = new Deferred<number>();
    const waiter = new Deferred<number>();
    const seen: unknown[] = [];
    d0.addCallback((r) => {
      d0.pause();
      waiter.callback(0);
      return r + 1;
    });
    waiter.addCallback(() => d0).addCallback((r) => seen.push(r));
    d0.callback(1);
    expect(seen).toEqual([]);
    d0.unpause();
    expect(seen).toEqual([2]);
  });
});

describe("Deferred steps added to a Deferred while it hands its result to a waiter", () => {
  it("run at once, before the waiter's later steps (as Twisted)", () => {
    // Conformance case F: Twisted counts a Deferred as running only while one of its own steps
    // runs, not while the chain it handed its result to runs. inlineCallbacks relies on this.
    const seen: unknown[] = [];
    const d1 = new Deferred<number>();
    const d0 = succeed(0)
      .addCallback(() => d1)
      .addCallback((r) => {
        seen.push(["waiter got", r]);
        d1.addBoth((x) => {
          seen.push(["new step on d1", x]);
          return "d1 end";
        });
        seen.push("waiter goes on");
      });
    d1.callback(3);
    expect(seen).toEqual([["waiter got", 3], ["new step on d1", undefined], "waiter goes on"]);
    expect(successResultOf(d1)).toBe("d1 end");
    expect(successResultOf(d0)).toBeUndefined();
  });

  it("but a step added to a Deferred whose chainDeferred step is running waits for that step", () => {
    // chainDeferred's hand-off is one of the source's steps (Twisted: other.callback inside a step).
    const seen: unknown[] = [];
    const source = new Deferred<number>();
    const target = new Deferred<number>();
    source.chainDeferred(target);
    target.addCallback((r) => {
      source.addCallback((x) => seen.push(["new step on source", x]));
      seen.push(["target got", r]);
    });
    source.callback(5);
    expect(seen).toEqual([["target got", 5], ["new step on source", undefined]]);
  });
});

describe("Deferred handing a result to a paused waiter", () => {
  it("goes on running its own later steps (Twisted leaves them for later: a deliberate difference)", () => {
    // Conformance case C. Twisted's runner returns as soon as it meets the paused waiter and
    // forgets the rest of the chain it came from, so `later` would run only when a step is next
    // added to `inner`. deferkit runs each chain as far as it can.
    const seen: unknown[] = [];
    const d0 = new Deferred<string>();
    const inner = new Deferred<string>();
    d0.addErrback(() => inner);
    d0.cancel(); // d0 fails, its errback returns `inner`: d0 now waits on it
    inner.addCallback((r) => {
      seen.push(["later", r]);
    });
    d0.pause();
    d0.cancel(); // reaches `inner`, which hands CancelledError to the paused d0
    expect(seen).toEqual([["later", undefined]]);
    assertNoResult(d0);
    d0.unpause();
    failureResultOf(d0, CancelledError);
  });
});

describe("Deferred#chainDeferred()", () => {
  it("does not fire this Deferred when the other one fires", () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    a.chainDeferred(b);
    b.callback(1);
    expect(a.called).toBe(false);
    a.callback(2);
    expect(successResultOf(b)).toBe(1);
    expect(AlreadyCalledError.is(failureResultOf(a).value)).toBe(true);
  });

  it("throws a TypeError when chained to itself", () => {
    const d = new Deferred<number>();
    expect(() => d.chainDeferred(d)).toThrow(TypeError);
    expect(() => d.chainDeferred(d)).toThrow(/itself/);
    d.callback(1);
    expect(successResultOf(d)).toBe(1);
  });

  it("counts as the one ignored late call of a Deferred cancelled without a canceller", () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    b.cancel();
    a.chainDeferred(b);
    a.callback(1);
    expect(successResultOf(a)).toBeUndefined();
    failureResultOf(b, CancelledError);
  });
});

describe("callback() of a thenable (issue 9: one rule for Deferreds and Promises)", () => {
  it("throws a TypeError for a Promise or other thenable, as for a Deferred, and never calls its then", () => {
    const q = countingThenable();
    const d = new Deferred<unknown>();
    expect(() => d.callback(q)).toThrow(TypeError);
    expect(() => d.callback(Promise.resolve(1))).toThrow(
      "Expected `result` not to be a Promise or other thenable, got `[object Promise]` (object)",
    );
    expect(() => succeed(Promise.resolve(1))).toThrow("use `Deferred.fromPromise(p).chainDeferred(d)`");
    expect(q.calls).toBe(0);
    assertNoResult(d); // still pending: the refused call fired nothing
  });

  it("accepts an object whose `then` is not a function, or whose `then` getter throws, as a value", () => {
    const notThenable = { then: 1 };
    expect(successResultOf(succeed(notThenable))).toBe(notThenable);
    const trap = Object.defineProperty({}, "then", {
      get() {
        throw new Error("getter");
      },
    });
    expect(successResultOf(succeed(trap))).toBe(trap);
  });
});

describe("re-entrant steps across chainDeferred", () => {
  // Twisted keeps the source Deferred "running its callbacks" while the target runs, so a step
  // added to the source from the target's chain runs after that chain's step returns.
  it.each([false, true])("runs a step added to the source after the target's step returns (source has a later step: %s)", (withTail) => {
    const log: string[] = [];
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    a.chainDeferred(b);
    if (withTail) a.addCallback(() => void log.push("tail"));
    b.addCallback(() => {
      a.addCallback(() => void log.push("A"));
      log.push("after add");
    });
    a.callback(1);
    expect(log).toEqual(withTail ? ["after add", "tail", "A"] : ["after add", "A"]);
  });
});

describe("Deferred#toString()", () => {
  // Twisted: DeferredTests.test_repr, test_reprWithResult, test_reprWithChaining
  it("shows a pending Deferred", () => {
    expect(new Deferred().toString()).toBe("Deferred<pending>");
  });

  it("shows the current result of a fired Deferred", () => {
    expect(succeed("orange").toString()).toBe('Deferred<called: "orange">');
    expect(fail(new RangeError("r")).toString()).toBe("Deferred<called: [Failure RangeError: r]>");
  });

  it("shows that a Deferred is waiting, in preference to its result", () => {
    const d = succeed(1).addCallback(() => new Deferred());
    expect(d.toString()).toBe("Deferred<waiting on another Deferred>");
  });

  // Issue 9: output people can read.
  it("renders objects, arrays and errors shortly, never as [object Object]", () => {
    expect(String(succeed({ user: null }))).toBe("Deferred<called: { user: null }>");
    expect(String(succeed([1, 2, 3]))).toBe("Deferred<called: [1, 2, 3]>");
    expect(String(succeed(new Error("boom")))).toBe("Deferred<called: Error: boom>");
    expect(String(succeed({ a: { b: { c: 1 } }, list: [1, 2, 3, 4, 5, 6] }))).toBe(
      "Deferred<called: { a: { b: {…} }, list: [1, 2, 3, 4, 5, … 1 more] }>",
    );
    expect(String(succeed(new Map([[1, 2]])))).toBe("Deferred<called: Map (1)>");
  });

  it("counts the steps waiting, and shows a paused Deferred with its current result", () => {
    const d = new Deferred<number>().addCallback((n) => n).addCallback((n) => n);
    expect(String(d)).toBe("Deferred<pending, 2 steps waiting>");
    const paused = succeed(5);
    paused.pause();
    paused.addCallback((n) => n);
    expect(String(paused)).toBe("Deferred<paused, 1 step waiting, current result: 5>");
  });

  it("is what console.log and util.inspect show, in place of the internal fields", () => {
    const { inspect } = jest.requireActual<typeof import("node:util")>("node:util");
    expect(inspect(succeed({ user: null }))).toBe("Deferred<called: { user: null }>");
    expect(inspect(Failure.from(new TypeError("t")))).toBe("[Failure TypeError: t]");
    expect(inspect({ d: new Deferred() })).toBe("{ d: Deferred<pending> }");
  });

  it("names where the Deferred was created under setDebugging(true)", () => {
    setDebugging(true);
    try {
      const d = (function makeItHere() {
        return new Deferred<number>();
      })();
      expect(String(d)).toMatch(/^Deferred<pending, created at .*makeItHere/);
    } finally {
      setDebugging(false);
    }
  });
});

describe("bad input", () => {
  const fn = () => 1;
  it.each([
    ["addCallback", "fn", (d: Deferred<number>) => d.addCallback(5 as never)],
    ["addErrback", "fn", (d: Deferred<number>) => d.addErrback(5 as never)],
    ["addBoth", "fn", (d: Deferred<number>) => d.addBoth(5 as never)],
    ["addCallbacks", "onResult", (d: Deferred<number>) => d.addCallbacks(5 as never)],
  ])("%s() throws a TypeError naming `%s`", (_method, name, call) => {
    const d = new Deferred<number>();
    expect(() => call(d)).toThrow(TypeError);
    expect(() => call(d)).toThrow(`Expected \`${name}\` to be a function, got \`5\` (number)`);
  });

  it("addCallbacks() throws a TypeError naming `onFailure` for a non-function", () => {
    const d = new Deferred<number>();
    expect(() => d.addCallbacks(fn, "x" as never)).toThrow('Expected `onFailure` to be a function, got `"x"` (string)');
  });

  it("addCallbacks() accepts null or undefined for onFailure", () => {
    const d = succeed(1);
    expect(() => d.addCallbacks((n) => n + 1, null).addCallbacks((n) => n + 1, undefined)).not.toThrow();
    expect(successResultOf(d)).toBe(3);
  });

  it("new Deferred() throws a TypeError naming `canceller` for a non-function", () => {
    expect(() => new Deferred({} as never)).toThrow(TypeError);
    expect(() => new Deferred({} as never)).toThrow(/`canceller`.*`\[object Object\]` \(object\)/);
  });

  it("chainDeferred() throws a TypeError naming `other` for a non-Deferred", () => {
    const d = new Deferred<number>();
    expect(() => d.chainDeferred(null as never)).toThrow("Expected `other` to be a Deferred, got `null` (null)");
  });

  it("leaves the chain unchanged when a step is rejected", () => {
    const d = succeed(1);
    expect(() => d.addCallback(undefined as never)).toThrow(TypeError);
    expect(() => d.addCallbacks(fn, 3 as never)).toThrow(TypeError);
    expect(successResultOf(d)).toBe(1);
  });
});

describe("deep and long chains", () => {
  const DEPTH = 1_000_000;

  it("passes a result up a 1,000,000-deep chain of waits without overflowing the stack", () => {
    // Each Deferred gets its step before the one above it starts waiting on it (as in
    // test_boundedStackDepth), so every step runs before the result is handed upwards.
    const top = new Deferred<unknown>();
    let current = top;
    let above: Deferred<unknown> | null = null;
    for (let i = 0; i < DEPTH; i++) {
      const next = new Deferred<unknown>();
      current.addCallback(() => next);
      above?.callback(null);
      above = current;
      current = next;
    }
    above!.callback(null);
    assertNoResult(top);
    expect(() => current.callback("bottom")).not.toThrow();
    expect(successResultOf(top)).toBe("bottom");
  });

  it("passes a result up a 1,000,000-deep chain of waits built from the inside out", () => {
    const bottom = new Deferred<string>();
    let current: Deferred<unknown> = bottom;
    for (let i = 0; i < DEPTH; i++) {
      const waitOn = current;
      current = succeed(null).addCallback(() => waitOn);
    }
    expect(() => bottom.callback("bottom")).not.toThrow();
    expect(successResultOf(current)).toBe("bottom");
  });

  it("fires a 1,000,000-long chainDeferred() chain without overflowing the stack", () => {
    const first = new Deferred<string>();
    let current = first;
    for (let i = 0; i < DEPTH; i++) {
      const next = new Deferred<string>();
      current.chainDeferred(next);
      current = next;
    }
    expect(() => first.callback("passed on")).not.toThrow();
    expect(successResultOf(current)).toBe("passed on");
    expect(successResultOf(first)).toBeUndefined();
  });

  it("runs 100,000 steps on one Deferred", () => {
    const d = new Deferred<number>();
    for (let i = 0; i < 100_000; i++) d.addCallback((n) => n + 1);
    expect(() => d.callback(0)).not.toThrow();
    expect(successResultOf(d)).toBe(100_000);
  });

  it("runs 100,000 steps that each add the next step to their own Deferred", () => {
    const d = new Deferred<number>();
    const step = (n: number): number => {
      if (n < 100_000) d.addCallback(step);
      return n + 1;
    };
    d.addCallback(step);
    expect(() => d.callback(0)).not.toThrow();
    expect(successResultOf(d)).toBe(100_001);
  });

  it("keeps order while steps of both shapes are added behind a long run (the queue is compacted as it goes)", () => {
    // Each step queues a plain callback and an errback (a one-slot and a four-slot entry):
    // the consumed part of the queue is dropped past a few thousand entries.
    const d = new Deferred<number>();
    let errbacks = 0;
    const step = (n: number): number => {
      if (n < 30_000) d.addCallback(step).addErrback(() => errbacks++);
      return n + 1;
    };
    d.addCallback(step);
    d.callback(0);
    expect(successResultOf(d)).toBe(30_001);
    expect(errbacks).toBe(0);
  });
});
