import {
  CancelledError,
  Deferred,
  fail,
  Failure,
  FirstError,
  gatherResults,
  succeed,
} from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { combinatorCancelContract } from "./contracts/combinator-cancel.js";
import { countingThenable, twoTimings } from "./helpers.js";

class ValueError extends Error {}

const timings = twoTimings("inputs fired before gatherResults was called", "inputs fired after gatherResults was called");

/** Twisted's fakeCallbackCanceller. */
function callbackOnCancel(d: Deferred<string>): void {
  d.callback("Callback Result");
}

function firstErrorOf(d: Deferred<unknown>): FirstError {
  return failureResultOf(d, FirstError).value as FirstError;
}

describe.each(timings)("gatherResults() ($label)", ({ run, firedFirst }) => {
  it("fires with the results in input order, whatever order the inputs fired in", () => {
    const ds = [new Deferred<string>(), new Deferred<string>(), new Deferred<string>()];
    let gathered!: Deferred<string[]>;
    run(
      () => {
        ds[2]!.callback("c");
        ds[0]!.callback("a");
        ds[1]!.callback("b");
      },
      () => {
        gathered = gatherResults(ds);
      },
    );
    expect(successResultOf(gathered)).toEqual(["a", "b", "c"]);
  });

  it("fails with the FirstError of the first failure in time, not in input order", () => {
    const ds = [new Deferred<number>(), new Deferred<number>(), new Deferred<number>()];
    let gathered!: Deferred<number[]>;
    const first = new ValueError("first in time");
    run(
      () => {
        ds[0]!.callback(0);
        ds[2]!.errback(first);
        ds[1]!.errback(new ValueError("second in time"));
      },
      () => {
        gathered = gatherResults(ds, true);
      },
    );
    const err = firstErrorOf(gathered);
    if (firedFirst) {
      // Inputs that already have results are taken in input order: index 1 comes first.
      expect(err.index).toBe(1);
      expect(err.subFailure.getErrorMessage()).toBe("second in time");
    } else {
      expect(err.index).toBe(2);
      expect(err.subFailure.value).toBe(first);
    }
  });

  it("leaves each input's failure on the input without consumeErrors", () => {
    // Twisted: DeferredTests.test_gatherResults (its failing half)
    const d = new Deferred<number>();
    const error = new ValueError("bad");
    let gathered!: Deferred<number[]>;
    run(
      () => d.errback(error),
      () => {
        gathered = gatherResults([succeed(1), d]);
      },
    );
    expect(firstErrorOf(gathered).subFailure.value).toBe(error);
    expect(failureResultOf(d, ValueError).value).toBe(error);
  });

  it("with consumeErrors, handles each input's failure and carries the input on with undefined", () => {
    // Twisted: DeferredTests.test_gatherResultsWithConsumeErrors
    const d = new Deferred<number>();
    const error = new Error("runtime");
    let gathered!: Deferred<number[]>;
    run(
      () => d.errback(error),
      () => {
        gathered = gatherResults([succeed(1), d], true);
      },
    );
    const errbacks: Failure[] = [];
    d.addErrback((f) => {
      errbacks.push(f);
    });
    expect(errbacks).toEqual([]);
    expect(successResultOf(d)).toBeUndefined();
    const err = firstErrorOf(gathered);
    expect(err.subFailure.value).toBe(error);
    expect(err.index).toBe(1);
  });

  it("fires once, and ignores the results and failures that arrive after", () => {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    const seen: unknown[] = [];
    run(
      () => {
        d1.errback(new ValueError("one"));
        d2.errback(new ValueError("two"));
      },
      () => {
        gatherResults([d1, d2], true).addBoth((r) => {
          seen.push(r);
        });
      },
    );
    expect(seen).toHaveLength(1);
    expect(((seen[0] as Failure).value as FirstError).subFailure.getErrorMessage()).toBe("one");
  });

  it("passes each input's success on unchanged down the input's chain", () => {
    const value = { id: 1 };
    const d = new Deferred<{ id: number }>();
    run(
      () => d.callback(value),
      () => {
        gatherResults([d]);
      },
    );
    expect(successResultOf(d)).toBe(value);
  });
});

describe("gatherResults()", () => {
  it("fires at once with the results of Deferreds that already have them", () => {
    // Twisted: DeferredTests.test_gatherResults
    const d = gatherResults([succeed(1), succeed(2)]);
    expect(d.called).toBe(true);
    expect(successResultOf(d)).toEqual([1, 2]);
  });

  it("fails at once with FirstError when one input already failed", () => {
    // Twisted: DeferredTests.test_gatherResults
    const failed = fail<number>(new ValueError());
    const errbacks: Failure[] = [];
    gatherResults([succeed(1), failed]).addErrback((f) => {
      errbacks.push(f);
    });
    expect(errbacks).toHaveLength(1);
    expect(errbacks[0]!.check(FirstError)).toBe(FirstError);
    expect((errbacks[0]!.value as FirstError).subFailure.check(ValueError)).toBe(ValueError);
    failureResultOf(failed, ValueError); // not consumed: its owner still has to handle it
  });

  it("fires at once with [] for no inputs", () => {
    expect(successResultOf(gatherResults([]))).toEqual([]);
  });

  it("fires inside the callback() of the input that completes it", () => {
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    const gathered = gatherResults([d1, d2]);
    d1.callback(1);
    assertNoResult(gathered);
    const order: string[] = [];
    gathered.addCallback(() => order.push("gathered"));
    d2.callback(2);
    order.push("after callback()");
    expect(order).toEqual(["gathered", "after callback()"]);
  });

  it("keeps the values of a tuple of different types, in order", () => {
    const gathered = gatherResults([succeed(1), succeed("a"), succeed(true)]);
    const [n, s, b] = successResultOf(gathered);
    expect([n, s, b]).toEqual([1, "a", true]);
  });

  it("takes any iterable of Deferreds", () => {
    const set = new Set([succeed(1), succeed(2)]);
    expect(successResultOf(gatherResults(set))).toEqual([1, 2]);
  });

  it("keeps undefined results in their slots", () => {
    const d = new Deferred<undefined>();
    const gathered = gatherResults([succeed(undefined), d]);
    assertNoResult(gathered);
    d.callback(undefined);
    expect(successResultOf(gathered)).toEqual([undefined, undefined]);
  });

  it("throws a TypeError naming `deferreds` or the index of a bad element", () => {
    expect(() => gatherResults(5 as unknown as Deferred<number>[])).toThrow(
      "Expected `deferreds` to be an iterable of Deferreds, got `5` (number)",
    );
    expect(() => gatherResults([succeed(1), succeed(2), 3] as unknown as Deferred<number>[])).toThrow(
      "Expected `deferreds[2]` to be a Deferred or a PromiseLike, got `3` (number)",
    );
  });

  describe("chained from a step", () => {
    it("makes the chain that returned it wait for it", () => {
      // Twisted: DeferredTests.test_continueCallbackNotFirst
      const results: unknown[] = [];
      const failures: Failure[] = [];
      const a = new Deferred<string>();
      const outer = new Deferred<string>();
      outer.addCallback((result) => {
        results.push(["cb", result]);
        const d = new Deferred<void>();
        d.addCallback((ignored) => {
          results.push(["firstCallback", ignored]);
          return gatherResults([a]);
        });
        d.addCallback((r) => {
          results.push(["secondCallback", r]);
        });
        d.addErrback((f) => {
          failures.push(f);
        });
        d.callback(undefined);
        return d;
      });
      outer.callback("outer");
      expect(results).toEqual([
        ["cb", "outer"],
        ["firstCallback", undefined],
      ]);
      a.callback("withers");
      expect(results).toEqual([
        ["cb", "outer"],
        ["firstCallback", undefined],
        ["secondCallback", ["withers"]],
      ]);
      expect(failures).toEqual([]);
    });

    it("keeps the outer chain's later steps after the inner ones", () => {
      // Twisted: DeferredTests.test_callbackOrderPreserved
      const results: unknown[] = [];
      const failures: Failure[] = [];
      const a = new Deferred<string>();
      const outer = new Deferred<string>();
      outer.addCallback((result) => {
        results.push(["cb", result]);
        const d = new Deferred<void>();
        d.addCallback((ignored) => {
          results.push(["firstCallback", ignored]);
          return gatherResults([a]);
        });
        d.addCallback((r) => {
          results.push(["secondCallback", r]);
        });
        d.addErrback((f) => {
          failures.push(f);
        });
        d.callback(undefined);
        return d;
      });
      outer.addCallback(() => {
        results.push("final");
      });
      outer.callback("outer");
      expect(results).toEqual([
        ["cb", "outer"],
        ["firstCallback", undefined],
      ]);
      a.callback("withers");
      expect(results).toEqual([
        ["cb", "outer"],
        ["firstCallback", undefined],
        ["secondCallback", ["withers"]],
        "final",
      ]);
      expect(failures).toEqual([]);
    });
  });

  describe("#cancel()", () => {
    it("cancels the inputs; the result fails with the FirstError of the first CancelledError", () => {
      // Twisted: DeferredTests.test_cancelGatherResults
      const d1 = new Deferred<string>();
      const d2 = new Deferred<string>();
      const gathered = gatherResults([d1, d2]);
      gathered.cancel();
      failureResultOf(d1, CancelledError);
      failureResultOf(d2, CancelledError);
      const err = firstErrorOf(gathered);
      expect(err.subFailure.check(CancelledError)).toBe(CancelledError);
      expect(err.index).toBe(0);
    });

    it("succeeds when every input's canceller succeeds it", () => {
      // Twisted: DeferredTests.test_cancelGatherResultsWithAllDeferredsCallback
      const d1 = new Deferred<string>(callbackOnCancel);
      const d2 = new Deferred<string>(callbackOnCancel);
      const gathered = gatherResults([d1, d2]);
      gathered.cancel();
      expect(successResultOf(gathered)).toEqual(["Callback Result", "Callback Result"]);
    });

    it("never errbacks itself with CancelledError when an input stays pending", () => {
      const d1 = new Deferred<number>();
      d1.pause();
      const gathered = gatherResults([d1], true);
      gathered.cancel();
      assertNoResult(gathered);
      d1.unpause();
      expect(firstErrorOf(gathered).subFailure.check(CancelledError)).toBe(CancelledError);
    });
  });
});

describe("gatherResults() of PromiseLike inputs", () => {
  it("adopts each, as Promise.all does, in input order", async () => {
    const q = countingThenable();
    const gathered = gatherResults([Promise.resolve(1), succeed(2), q as unknown as PromiseLike<string>]);
    expect(q.calls).toBe(1);
    expect(await gathered).toEqual([1, 2, "rows"]);
  });

  it("fails with the first rejection as a FirstError", async () => {
    const gathered = gatherResults([Promise.reject(new RangeError("r")), new Deferred<number>()]);
    await expect(gathered).rejects.toMatchObject({ index: 0 });
  });
});

describe("gatherResults()#callback() by hand", () => {
  it("makes the given value its result, and inputs that fire later change nothing", () => {
    // Conformance case A, a deliberate difference: in Twisted the value goes through
    // gatherResults' list-parsing step and fails with TypeError.
    const d1 = new Deferred<number>();
    const gathered = gatherResults([d1]);
    (gathered as Deferred<unknown>).callback(5);
    expect(successResultOf(gathered)).toBe(5);
    d1.callback(1);
    expect(successResultOf(gathered)).toBe(5);
    expect(successResultOf(d1)).toBe(1);
  });

  it("leaves an input that fails later with its own failure, not an AlreadyCalledError", () => {
    const d1 = new Deferred<number>();
    const gathered = gatherResults([d1]);
    (gathered as Deferred<unknown>).callback(5);
    d1.errback(new RangeError("late"));
    expect(successResultOf(gathered)).toBe(5);
    failureResultOf(d1, RangeError);
  });
});

combinatorCancelContract({
  name: "gatherResults",
  combine: (ds) => gatherResults(ds, true),
  settleWithoutDeciding: (d) => d.callback("not decisive"),
  decide: (ds) => ds[0]!.errback(new ValueError("first")),
  expectAllCancelled(gathered) {
    const err = firstErrorOf(gathered);
    expect([err.index, err.subFailure.check(CancelledError)]).toEqual([0, CancelledError]);
  },
});

describe("gatherResults(ds, options)", () => {
  it("takes { consumeErrors } as DeferredList does, and false there leaves the inputs' failures unhandled", () => {
    const input = new Deferred<number>();
    const gathered = gatherResults([input], { consumeErrors: false });
    input.errback(new Error("kept"));
    failureResultOf(gathered, FirstError);
    expect(failureResultOf(input).getErrorMessage()).toBe("kept"); // the input still holds it
  });

  it.each([[{}], [{ consumeErrors: undefined }]])("leaves the inputs' failures unhandled with %p", (options) => {
    const input = new Deferred<number>();
    const gathered = gatherResults([input], options);
    input.errback(new Error("kept"));
    failureResultOf(gathered, FirstError);
    expect(failureResultOf(input).getErrorMessage()).toBe("kept");
  });

  it("consumes the inputs' failures with { consumeErrors: true }", () => {
    const input = new Deferred<number>();
    const gathered = gatherResults([input], { consumeErrors: true });
    input.errback(new Error("consumed"));
    failureResultOf(gathered, FirstError);
    expect(successResultOf(input)).toBeUndefined();
  });

  it("throws a TypeError naming consumeErrors for anything but a boolean or an options object", () => {
    expect(() => gatherResults([], "yes" as never)).toThrow(
      new TypeError('Expected `consumeErrors` to be a boolean or { consumeErrors }, got `"yes"` (string)'),
    );
    // The options form's own field too: a truthy non-boolean is not `true`.
    expect(() => gatherResults([], { consumeErrors: "yes" } as never)).toThrow(
      /^Expected `consumeErrors` to be a boolean or \{ consumeErrors \}, got /,
    );
  });
});
