import {
  CancelledError,
  Deferred,
  DeferredList,
  type DeferredListEntry,
  fail,
  Failure,
  FirstError,
  onUnhandledFailure,
  succeed,
} from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { combinatorCancelContract } from "./contracts/combinator-cancel.js";
import { collectGarbage, twoTimings } from "./helpers.js";

class GenericError extends Error {}

const timings = twoTimings("inputs fired before the list was built", "inputs fired after the list was built");

/** Twisted's fakeCallbackCanceller: a canceller that succeeds its Deferred. */
function callbackOnCancel(d: Deferred<string>): void {
  d.callback("Callback Result");
}

/** The failure an entry holds, or a test failure when it is a success entry. */
function failureOf<T>(entry: DeferredListEntry<T> | undefined): Failure {
  if (entry === undefined || entry[0]) throw new Error(`expected a failure entry, got ${String(entry)}`);
  return entry[1];
}

describe.each(timings)("DeferredList ($label)", ({ run }) => {
  it("fires with one [success, resultOrFailure] entry per input, in input order", () => {
    // Twisted: DeferredTests.testDeferredList
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const d3 = new Deferred<string>();
    let list!: DeferredList<string>;
    const error = new GenericError("2");
    run(
      () => {
        d3.callback("3"); // firing order differs from input order
        d1.callback("1");
        d2.errback(error);
      },
      () => {
        list = new DeferredList([d1, d2, d3]);
      },
    );
    d2.addErrback(() => null); // the input's own failure, handled by its owner
    const result = successResultOf(list);
    expect(result).toHaveLength(3);
    expect(result[0]).toEqual([true, "1"]);
    expect(result[2]).toEqual([true, "3"]);
    const f = failureOf(result[1]);
    expect(f).toBeInstanceOf(Failure);
    expect(f.value).toBe(error);
  });

  it("leaves an input's failure on the input without consumeErrors", () => {
    // Twisted: DeferredTests.testDeferredListDontConsumeErrors
    const d1 = new Deferred<string>();
    let list!: DeferredList<string>;
    const error = new Error("Bang");
    run(
      () => d1.errback(error),
      () => {
        list = new DeferredList([d1]);
      },
    );
    const seen: unknown[] = [];
    d1.addErrback((f) => {
      seen.push(f.value);
      return null;
    });
    expect(seen).toEqual([error]);
    const result = successResultOf(list);
    expect(result).toHaveLength(1);
    expect(failureOf(result[0]).value).toBe(error);
  });

  it("with consumeErrors, handles each input's failure and carries the input on with undefined", () => {
    // Twisted: DeferredTests.testDeferredListConsumeErrors
    const d1 = new Deferred<string>();
    let list!: DeferredList<string, { consumeErrors: true }>;
    const error = new Error("Bang");
    run(
      () => d1.errback(error),
      () => {
        list = new DeferredList([d1], { consumeErrors: true });
      },
    );
    const errbacks: unknown[] = [];
    d1.addErrback((f) => errbacks.push(f));
    expect(errbacks).toEqual([]);
    expect(successResultOf(d1)).toBeUndefined();
    const result = successResultOf(list);
    expect(result).toHaveLength(1);
    expect(failureOf(result[0]).value).toBe(error);
  });

  it("passes each input's success on unchanged down the input's chain", () => {
    const d1 = new Deferred<{ id: number }>();
    const value = { id: 1 };
    let list!: DeferredList<{ id: number }>;
    run(
      () => d1.callback(value),
      () => {
        list = new DeferredList([d1], { consumeErrors: true });
      },
    );
    expect(successResultOf(d1)).toBe(value);
    expect(successResultOf(list)).toEqual([[true, value]]);
  });

  it("with fireOnOneErrback, errbacks once with FirstError(failure, index) on the first failure", () => {
    // Twisted: DeferredTests.testDeferredListFireOnOneError
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    const d3 = new Deferred<string>();
    let list!: DeferredList<string, { fireOnOneErrback: true }>;
    const errors: unknown[] = [];
    const error = new GenericError("from def2");
    run(
      () => {
        d1.callback("1");
        d2.errback(error);
        d3.errback(new GenericError("from def3"));
      },
      () => {
        list = new DeferredList([d1, d2, d3], { fireOnOneErrback: true });
        list.addErrback((f) => {
          errors.push(f.value);
        });
      },
    );
    d2.addErrback(() => null);
    d3.addErrback(() => null);
    expect(errors).toHaveLength(1);
    const first = errors[0] as FirstError;
    expect(FirstError.is(first)).toBe(true);
    expect(first.index).toBe(1);
    expect(first.subFailure.value).toBe(error);
    expect(first.subFailure.check(GenericError)).toBe(GenericError);
  });

  it("with fireOnOneCallback, fires with [result, index] of the first success", () => {
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    let list!: DeferredList<string, { fireOnOneCallback: true }>;
    run(
      () => d2.callback("two"),
      () => {
        list = new DeferredList([d1, d2], { fireOnOneCallback: true });
      },
    );
    expect(successResultOf(list)).toEqual(["two", 1]);
    d1.callback("one");
    expect(successResultOf(list)).toEqual(["two", 1]);
    expect(successResultOf(d1)).toBe("one");
    expect(successResultOf(d2)).toBe("two");
  });

  it("with fireOnOneCallback alone, fires with the whole list when every input fails", () => {
    // Twisted's behaviour (probed): a success, with the list shape rather than [result, index].
    const d1 = new Deferred<string>();
    const d2 = new Deferred<string>();
    let list!: DeferredList<string, { fireOnOneCallback: true; consumeErrors: true }>;
    run(
      () => {
        d1.errback(new Error("a"));
        d2.errback(new Error("b"));
      },
      () => {
        list = new DeferredList([d1, d2], { fireOnOneCallback: true, consumeErrors: true });
      },
    );
    const result = successResultOf(list) as DeferredListEntry<string>[];
    expect(result.map((e) => e[0])).toEqual([false, false]);
    expect(result.map((e) => failureOf(e).getErrorMessage())).toEqual(["a", "b"]);
  });

  it("fires exactly once", () => {
    // Twisted: DeferredTests.testDeferredListWithAlreadyFiredDeferreds (and its fired-after twin)
    const d1 = new Deferred<number>();
    const d2 = new Deferred<number>();
    const calls: unknown[] = [];
    run(
      () => {
        d1.errback(new GenericError("Bang"));
        d2.callback(2);
      },
      () => {
        new DeferredList([d1, d2]).addCallback((r) => calls.push(r));
      },
    );
    d1.addErrback(() => null);
    expect(calls).toHaveLength(1);
  });
});

describe("DeferredList", () => {
  describe("with inputs that already have results", () => {
    it("errbacks inside the constructor when an input already failed and fireOnOneErrback is set", () => {
      // Twisted: DeferredTests.testDeferredListFireOnOneErrorWithAlreadyFiredDeferreds
      const d1 = fail<number>(new GenericError("Bang"));
      const d2 = new Deferred<number>();
      const errors: Failure[] = [];
      const list = new DeferredList([d1, d2], { fireOnOneErrback: true });
      expect(list.called).toBe(true); // before any step was added to it
      list.addErrback((f) => {
        errors.push(f);
      });
      d1.addErrback(() => null);
      expect(errors).toHaveLength(1);
      expect((errors[0]!.value as FirstError).index).toBe(0);
    });

    it("takes already-fired inputs in input order (fireOnOneCallback picks the first of them)", () => {
      const list = new DeferredList([new Deferred<string>(), succeed("b"), succeed("c")], { fireOnOneCallback: true });
      expect(successResultOf(list)).toEqual(["b", 1]);
    });

    it("callbacks inside the constructor when every input already has a result", () => {
      // Twisted: DeferredTests.testDeferredListWithAlreadyFiredDeferreds
      const d1 = fail<number>(new GenericError("Bang"));
      const d2 = succeed(2);
      const list = new DeferredList([d1, d2]);
      d1.addErrback(() => null);
      expect(list.called).toBe(true);
      const result = successResultOf(list);
      expect(result[0]![0]).toBe(false);
      expect(result[1]).toEqual([true, 2]);
    });
  });

  describe("with no inputs", () => {
    it("fires at once with []", () => {
      // Twisted: DeferredTests.testEmptyDeferredList, DeferredListEmptyTests.testDeferredListEmpty
      const seen: unknown[] = [];
      new DeferredList([]).addCallback((r) => seen.push(r));
      expect(seen).toEqual([[]]);
    });

    it("fires at once with [] with fireOnOneErrback", () => {
      expect(successResultOf(new DeferredList([], { fireOnOneErrback: true }))).toEqual([]);
    });

    it("never fires with fireOnOneCallback", () => {
      // Twisted: DeferredTests.testEmptyDeferredList
      const list = new DeferredList([], { fireOnOneCallback: true });
      const calls: unknown[] = [];
      list.addBoth((r) => calls.push(r));
      expect(calls).toEqual([]);
      assertNoResult(list);
    });

    it("stays pending when cancelled with fireOnOneCallback (nothing to cancel)", () => {
      // Twisted's behaviour (probed): DeferredList.cancel never falls back to CancelledError.
      const list = new DeferredList([], { fireOnOneCallback: true });
      list.cancel();
      assertNoResult(list);
    });
  });

  describe("inputs", () => {
    it("sees what an input's earlier steps made of its result", () => {
      const d1 = new Deferred<number>();
      d1.addCallback((n) => n * 10);
      const list = new DeferredList([d1]);
      d1.callback(4);
      expect(successResultOf(list)).toEqual([[true, 40]]);
    });

    it("copies the list of inputs: later changes to the caller's array are ignored", () => {
      // Twisted: DeferredTests.test_cancelDeferredListWithOriginalDeferreds
      const d1 = new Deferred<number>();
      const d2 = new Deferred<number>();
      const inputs = [d1, d2];
      const list = new DeferredList(inputs);
      const d3 = new Deferred<number>();
      inputs.push(d3);
      list.cancel();
      failureResultOf(d1, CancelledError);
      failureResultOf(d2, CancelledError);
      assertNoResult(d3);
      expect(successResultOf(list)).toHaveLength(2);
    });

    it("takes any iterable of Deferreds", () => {
      function* gen(): Generator<Deferred<number>> {
        yield succeed(1);
        yield succeed(2);
      }
      expect(successResultOf(new DeferredList(gen()))).toEqual([
        [true, 1],
        [true, 2],
      ]);
      expect(successResultOf(new DeferredList(new Set([succeed("s")])))).toEqual([[true, "s"]]);
    });

    it("watches a Deferred that appears twice twice (it sees the second entry after the first step)", () => {
      const d = new Deferred<number>();
      const list = new DeferredList([d, d]);
      d.callback(5);
      expect(successResultOf(list)).toEqual([
        [true, 5],
        [true, 5],
      ]);
    });

    it("is a Deferred: steps added to it run on its result", () => {
      const list = new DeferredList([succeed(1), succeed(2)]);
      expect(list).toBeInstanceOf(Deferred);
      expect(successResultOf(list.addCallback((entries) => entries.length))).toBe(2);
    });
  });

  describe("bad input", () => {
    it.each([
      [5, "`5` (number)"],
      [null, "`null` (null)"],
      [undefined, "`undefined` (undefined)"],
      ["ab", '`"ab"` (string)'],
      [{}, "`[object Object]` (object)"],
    ])("throws a TypeError naming `deferreds` for %p", (bad, shown) => {
      expect(() => new DeferredList(bad as unknown as Deferred<number>[])).toThrow(TypeError);
      expect(() => new DeferredList(bad as unknown as Deferred<number>[])).toThrow(
        `Expected \`deferreds\` to be an iterable of Deferreds, got ${shown}`,
      );
    });

    it("throws a TypeError naming the index of an element that is neither a Deferred nor a PromiseLike", () => {
      const bad = [succeed(1), { then: 2 }] as unknown as Deferred<number>[];
      expect(() => new DeferredList(bad)).toThrow(TypeError);
      expect(() => new DeferredList(bad)).toThrow(
        "Expected `deferreds[1]` to be a Deferred or a PromiseLike, got `[object Object]` (object)",
      );
    });

    it("adopts a Promise among its inputs, as Promise.all does", async () => {
      const list = new DeferredList([succeed(1), Promise.resolve("two")]);
      expect(await list).toEqual([
        [true, 1],
        [true, "two"],
      ]);
    });

    it("throws for a hole in an array", () => {
      const holey = [, succeed(1)] as unknown as Deferred<number>[];
      expect(() => new DeferredList(holey)).toThrow("Expected `deferreds[0]` to be a Deferred");
    });

    it("attaches nothing to any input when one element is bad", () => {
      const d = new Deferred<number>();
      expect(() => new DeferredList([d, 7 as unknown as Deferred<number>], { consumeErrors: true })).toThrow(
        TypeError,
      );
      const error = new Error("not consumed");
      d.errback(error);
      expect(failureResultOf(d).value).toBe(error);
    });

    it("throws a TypeError naming `options` when it is not an object", () => {
      expect(() => new DeferredList([], 3 as unknown as { consumeErrors: true })).toThrow(
        "Expected `options` to be an object or undefined, got `3` (number)",
      );
    });
  });

  describe("#cancel()", () => {
    it("cancels every input that has not fired; the list fires with their CancelledErrors", () => {
      // Twisted: DeferredTests.test_cancelDeferredList
      const d1 = new Deferred<string>();
      const d2 = new Deferred<string>();
      const list = new DeferredList([d1, d2]);
      list.cancel();
      failureResultOf(d1, CancelledError);
      failureResultOf(d2, CancelledError);
      const result = successResultOf(list);
      expect(result.map((e) => failureOf(e).check(CancelledError))).toEqual([CancelledError, CancelledError]);
    });

    it("lets an input's canceller succeed it; the list holds that success", () => {
      // Twisted: DeferredTests.test_cancelDeferredListCallback
      const d1 = new Deferred<string>(callbackOnCancel);
      const d2 = new Deferred<string>();
      const list = new DeferredList([d1, d2]);
      list.cancel();
      failureResultOf(d2, CancelledError);
      const result = successResultOf(list);
      expect(result[0]).toEqual([true, "Callback Result"]);
      expect(failureOf(result[1]).check(CancelledError)).toBe(CancelledError);
    });

    it("with fireOnOneCallback, cancels every input", () => {
      // Twisted: DeferredTests.test_cancelDeferredListWithFireOnOneCallback
      const d1 = new Deferred<string>();
      const d2 = new Deferred<string>();
      const list = new DeferredList([d1, d2], { fireOnOneCallback: true });
      list.cancel();
      failureResultOf(d1, CancelledError);
      failureResultOf(d2, CancelledError);
      // No success came: the list fires with the whole list, as when every input fails.
      const result = successResultOf(list) as DeferredListEntry<string>[];
      expect(result.map((e) => e[0])).toEqual([false, false]);
    });

    it("with fireOnOneCallback, fires with a canceller's success and still cancels the rest", () => {
      // Twisted: DeferredTests.test_cancelDeferredListWithFireOnOneCallbackAndDeferredCallback
      const d1 = new Deferred<string>(callbackOnCancel);
      const d2 = new Deferred<string>();
      const list = new DeferredList([d1, d2], { fireOnOneCallback: true });
      list.cancel();
      expect(successResultOf(list)).toEqual(["Callback Result", 0]);
      failureResultOf(d2, CancelledError);
    });

    it("with fireOnOneErrback, fails with the FirstError of the first CancelledError", () => {
      // Twisted: DeferredTests.test_cancelDeferredListWithFireOnOneErrback
      const d1 = new Deferred<string>();
      const d2 = new Deferred<string>();
      const list = new DeferredList([d1, d2], { fireOnOneErrback: true });
      list.cancel();
      failureResultOf(d1, CancelledError);
      failureResultOf(d2, CancelledError);
      const err = failureResultOf(list, FirstError).value as FirstError;
      expect(err.subFailure.check(CancelledError)).toBe(CancelledError);
      expect(err.index).toBe(0);
    });

    it("with fireOnOneErrback, succeeds when every canceller succeeds its input", () => {
      // Twisted: DeferredTests.test_cancelDeferredListWithFireOnOneErrbackAllDeferredsCallback
      const d1 = new Deferred<string>(callbackOnCancel);
      const d2 = new Deferred<string>(callbackOnCancel);
      const list = new DeferredList([d1, d2], { fireOnOneErrback: true });
      list.cancel();
      expect(successResultOf(list)).toEqual([
        [true, "Callback Result"],
        [true, "Callback Result"],
      ]);
    });

    it("goes on to the next input when a canceller throws (the input fails with what it threw)", () => {
      // Twisted: DeferredTests.test_cancelDeferredListWithException. deferkit's cancel() never
      // throws: a throwing canceller errbacks its still-pending Deferred with the error.
      const error = new RangeError("canceller broke");
      const d1 = new Deferred<string>(() => {
        throw error;
      });
      const d2 = new Deferred<string>();
      const list = new DeferredList([d1, d2]);
      list.cancel();
      expect(failureResultOf(d1, RangeError).value).toBe(error);
      failureResultOf(d2, CancelledError);
      const result = successResultOf(list);
      expect(failureOf(result[0]).value).toBe(error);
      expect(failureOf(result[1]).check(CancelledError)).toBe(CancelledError);
    });

    it("does nothing to the inputs once the list fired with fireOnOneCallback", () => {
      // Twisted: DeferredTests.test_cancelFiredOnOneCallbackDeferredList
      const d1 = new Deferred<void>();
      const d2 = new Deferred<void>();
      const list = new DeferredList([d1, d2], { fireOnOneCallback: true });
      d1.callback(undefined);
      list.cancel();
      assertNoResult(d2);
      expect(successResultOf(list)).toEqual([undefined, 0]);
    });

    it("does nothing to the inputs once the list failed with fireOnOneErrback", () => {
      // Twisted: DeferredTests.test_cancelFiredOnOneErrbackDeferredList
      const d1 = new Deferred<void>();
      const d2 = new Deferred<void>();
      const list = new DeferredList([d1, d2], { fireOnOneErrback: true });
      d1.errback(new GenericError("test"));
      list.cancel();
      assertNoResult(d2);
      failureResultOf(d1, GenericError);
      failureResultOf(list, FirstError);
    });

    it("reaches what an input whose result the list already has waits on after the list's step", () => {
      // As Twisted's DeferredList.cancel, which calls cancel() on every input (conformance case E).
      let cancels = 0;
      const d1 = new Deferred<string>(() => cancels++);
      const d2 = new Deferred<string>();
      const list = new DeferredList([d1, d2]);
      d1.callback("done");
      const later = new Deferred<string>();
      d1.addCallback(() => later);
      list.cancel();
      failureResultOf(d1, CancelledError); // `later` was cancelled and handed its failure to d1
      expect(successResultOf(later)).toBeUndefined();
      expect(cancels).toBe(0); // d1 itself had its result: its canceller is not run
      failureResultOf(d2, CancelledError);
      expect(successResultOf(list)[0]).toEqual([true, "done"]);
    });

    it("reaches a Deferred that a cancelled input's errback returned (Twisted's own program)", () => {
      // Conformance case E: d0 is cancelled before the list exists, its errback then returns d6.
      const d0 = new Deferred<string>();
      const d1 = new Deferred<string>();
      d0.cancel();
      const list = new DeferredList([d1, d0]);
      const d6 = new Deferred<string>();
      d0.addErrback(() => d6);
      list.cancel();
      failureResultOf(d0, CancelledError); // d6 was cancelled and handed its failure to d0
      expect(successResultOf(d6)).toBeUndefined();
      const entries = successResultOf(list);
      expect(entries.map(([ok]) => ok)).toEqual([false, false]);
    });

    it("reaches an input that was called but waits on a Deferred before the list's step", () => {
      let innerCancels = 0;
      const inner = new Deferred<string>(() => innerCancels++);
      const d1 = new Deferred<string>();
      d1.addCallback(() => inner);
      d1.callback("x");
      const list = new DeferredList([d1]);
      list.cancel();
      expect(innerCancels).toBe(1);
      expect(failureOf(successResultOf(list)[0]).check(CancelledError)).toBe(CancelledError);
    });

    it("once fired, cancels what the chain of an empty list waits on (Twisted's own program)", () => {
      // Conformance case D: Twisted leaves `waited` pending and the list waiting forever.
      const waited = new Deferred<number>();
      const list = new DeferredList<number>([]);
      list.addCallback(() => waited);
      list.cancel();
      failureResultOf(list, CancelledError);
      expect(successResultOf(waited)).toBeUndefined(); // it handed its CancelledError to the list
    });

    it("never errbacks the list itself with CancelledError when an input stays pending", () => {
      const d1 = new Deferred<number>();
      d1.pause(); // cancel() fires it, but its steps (the list's among them) cannot run yet
      const list = new DeferredList([d1]);
      list.cancel();
      assertNoResult(list);
      d1.unpause();
      expect(failureOf(successResultOf(list)[0]).check(CancelledError)).toBe(CancelledError);
    });
  });
});

describe("DeferredList and unhandled failures", () => {
  // Only this scenario's failures: other tests' dropped Deferreds may be collected meanwhile.
  let reports: unknown[];
  let restore: () => void;
  beforeEach(() => {
    reports = [];
    restore = onUnhandledFailure((f) => {
      if (f.value instanceof RangeError && f.value.message === "input failed") reports.push(f.value);
    });
  });
  afterEach(() => restore());

  function dropList(consumeErrors: boolean): void {
    const d = new Deferred<number>();
    const list = new DeferredList([d], { consumeErrors });
    d.errback(new RangeError("input failed"));
    list.addCallback(() => null);
  }

  it("reports an input's failure that nobody handled, without consumeErrors (as Twisted)", async () => {
    dropList(false);
    await collectGarbage();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toBeInstanceOf(RangeError);
  });

  it("does not report an input's failure with consumeErrors", async () => {
    dropList(true);
    await collectGarbage();
    expect(reports).toEqual([]);
  });
});

combinatorCancelContract({
  name: "DeferredList with fireOnOneCallback",
  combine: (ds) => new DeferredList(ds, { fireOnOneCallback: true, consumeErrors: true }),
  settleWithoutDeciding: (d) => d.errback(new Error("not decisive")),
  decide: (ds) => ds[0]!.callback("first"),
  expectAllCancelled(list, n) {
    // No success came: the list fires with the whole list, as when every input fails.
    const entries = successResultOf(list) as DeferredListEntry<string>[];
    expect(entries.map((e) => failureOf(e).check(CancelledError))).toEqual(Array(n).fill(CancelledError));
  },
});

combinatorCancelContract({
  name: "DeferredList with fireOnOneErrback",
  combine: (ds) => new DeferredList(ds, { fireOnOneErrback: true, consumeErrors: true }),
  settleWithoutDeciding: (d) => d.callback("not decisive"),
  decide: (ds) => ds[0]!.errback(new Error("first")),
  expectAllCancelled(list) {
    const err = failureResultOf(list, FirstError).value as FirstError;
    expect([err.index, err.subFailure.check(CancelledError)]).toEqual([0, CancelledError]);
  },
});
