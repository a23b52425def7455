import {
  AlreadyCalledError,
  CancelledError,
  Deferred,
  DeferredList,
  Failure,
  FirstError,
  gatherResults,
  onUnhandledFailure,
  race,
  succeed,
} from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { countingCanceller } from "./helpers.js";

class GenericError extends Error {}


/** Records every callback value and errback Failure a Deferred's chain delivers. */
function record<T>(d: Deferred<T>): { results: T[]; failures: Failure[] } {
  const seen = { results: [] as T[], failures: [] as Failure[] };
  d.addCallbacks(
    (r) => {
      seen.results.push(r);
      return r;
    },
    (f) => {
      seen.failures.push(f);
      return f;
    },
  );
  return seen;
}

describe("Deferred#cancel() without a canceller", () => {
  it("errbacks with CancelledError, and runs no callback", () => {
    // Twisted: DeferredCancellerTests.test_noCanceller
    const d = new Deferred<string>();
    const seen = record(d);
    d.cancel();
    expect(seen.results).toEqual([]);
    expect(seen.failures).toHaveLength(1);
    expect(seen.failures[0]!.value).toBeInstanceOf(CancelledError);
    expect(seen.failures[0]!.getErrorMessage()).toBe("Deferred was cancelled");
  });

  it("ignores exactly one late callback(), then throws AlreadyCalledError for callback() and errback()", () => {
    // Twisted: DeferredCancellerTests.test_raisesAfterCancelAndCallback
    const d = new Deferred<string | null>();
    const seen = record(d);
    d.cancel();
    expect(() => d.callback(null)).not.toThrow();
    expect(() => d.callback("again")).toThrow(AlreadyCalledError);
    expect(() => d.errback(new Error("again"))).toThrow(AlreadyCalledError);
    expect(seen.results).toEqual([]);
    expect(seen.failures).toHaveLength(1);
  });

  it("ignores exactly one late errback(), then throws AlreadyCalledError for callback() and errback()", () => {
    // Twisted: DeferredCancellerTests.test_raisesAfterCancelAndErrback
    const d = new Deferred<string | null>();
    d.cancel();
    expect(() => d.errback(new Error("late"))).not.toThrow();
    expect(() => d.callback(null)).toThrow(AlreadyCalledError);
    expect(() => d.errback(new Error("later"))).toThrow(AlreadyCalledError);
    failureResultOf(d, CancelledError);
  });

  it("keeps the CancelledError when the ignored late call is a callback and cancel() is called again", () => {
    // Twisted: DeferredCancellerTests.test_noCancellerMultipleCancelsAfterCancelAndCallback
    const d = new Deferred<string | null>();
    const seen = record(d);
    d.cancel();
    const first = failureResultOf(d, CancelledError);
    d.callback(null);
    d.cancel();
    expect(seen.failures).toEqual([first]);
    expect(failureResultOf(d)).toBe(first);
  });

  it("keeps the CancelledError when the ignored late call is an errback and cancel() is called again", () => {
    // Twisted: DeferredCancellerTests.test_noCancellerMultipleCancelsAfterCancelAndErrback
    const d = new Deferred<string>();
    const seen = record(d);
    d.cancel();
    const first = failureResultOf(d, CancelledError);
    d.errback(new GenericError());
    expect(failureResultOf(d)).toBe(first);
    d.cancel();
    expect(seen.failures).toEqual([first]);
    expect(failureResultOf(d)).toBe(first);
  });

  it("does nothing, and does not throw, when cancelled a second time", () => {
    // Twisted: DeferredCancellerTests.test_noCancellerMultipleCancel
    const d = new Deferred<string>();
    const seen = record(d);
    d.cancel();
    const first = failureResultOf(d, CancelledError);
    expect(() => d.cancel()).not.toThrow();
    expect(seen.failures).toEqual([first]);
    expect(failureResultOf(d)).toBe(first);
  });

  it("spends the ignored late call only once even when cancel() is repeated before it", () => {
    const d = new Deferred<number>();
    d.cancel();
    d.cancel();
    d.callback(1);
    expect(() => d.callback(2)).toThrow(AlreadyCalledError);
  });

  it("queues the CancelledError of a paused Deferred until unpause()", () => {
    const d = new Deferred<number>();
    const seen = record(d);
    d.pause();
    d.cancel();
    expect(d.called).toBe(true);
    expect(seen.failures).toEqual([]);
    d.unpause();
    expect(seen.failures).toHaveLength(1);
    expect(seen.failures[0]!.value).toBeInstanceOf(CancelledError);
  });

});

describe("Deferred#cancel() with a canceller", () => {
  it("calls the canceller once and errbacks with CancelledError when it does not fire the Deferred", () => {
    // Twisted: DeferredCancellerTests.test_simpleCanceller
    const canceller = countingCanceller<number>();
    const d = new Deferred<number>(canceller);
    const seen = record(d);
    d.cancel();
    expect(canceller.calls).toHaveLength(1);
    expect(seen.failures).toHaveLength(1);
    expect(seen.failures[0]!.value).toBeInstanceOf(CancelledError);
  });

  it("does not ignore a late callback() or errback(): both throw AlreadyCalledError", () => {
    // Twisted: DeferredCancellerTests.test_simpleCanceller
    const d = new Deferred<number>(() => {});
    d.cancel();
    expect(() => d.callback(1)).toThrow(AlreadyCalledError);
    expect(() => d.errback(new Error("late"))).toThrow(AlreadyCalledError);
    failureResultOf(d, CancelledError);
  });

  it("calls the canceller only once when cancelled twice", () => {
    // Twisted: DeferredCancellerTests.test_cancellerMultipleCancel
    const canceller = countingCanceller<number>();
    const d = new Deferred<number>(canceller);
    const seen = record(d);
    d.cancel();
    d.cancel();
    expect(canceller.calls).toHaveLength(1);
    expect(seen.failures).toHaveLength(1);
  });

  it("passes the Deferred being cancelled to the canceller, as its only argument", () => {
    // Twisted: DeferredCancellerTests.test_cancellerArg
    const args: unknown[][] = [];
    const d = new Deferred<number>((...a: unknown[]) => {
      args.push(a);
    });
    d.cancel();
    expect(args).toHaveLength(1);
    expect(args[0]).toHaveLength(1);
    expect(args[0]![0]).toBe(d);
  });

  it("does not call the canceller of a Deferred that already succeeded", () => {
    // Twisted: DeferredCancellerTests.test_cancelAfterCallback
    const canceller = countingCanceller<string>();
    const d = new Deferred<string>(canceller);
    const seen = record(d);
    d.callback("biff!");
    d.cancel();
    expect(canceller.calls).toEqual([]);
    expect(seen).toEqual({ results: ["biff!"], failures: [] });
    expect(successResultOf(d)).toBe("biff!");
  });

  it("does not call the canceller of a Deferred that already failed, and keeps its failure", () => {
    // Twisted: DeferredCancellerTests.test_cancelAfterErrback
    const canceller = countingCanceller<string>();
    const d = new Deferred<string>(canceller);
    const seen = record(d);
    d.errback(new GenericError("first"));
    d.cancel();
    expect(canceller.calls).toEqual([]);
    expect(seen.results).toEqual([]);
    expect(seen.failures).toHaveLength(1);
    failureResultOf(d, GenericError);
  });

  it("keeps the failure a canceller errbacks with, instead of CancelledError", () => {
    // Twisted: DeferredCancellerTests.test_cancellerThatErrbacks
    const err = new GenericError("from the canceller");
    let calls = 0;
    const d = new Deferred<string>((self) => {
      calls++;
      self.errback(err);
    });
    const seen = record(d);
    d.cancel();
    expect(calls).toBe(1);
    expect(seen.failures.map((f) => f.value)).toEqual([err]);
  });

  it("keeps the result a canceller calls back with, and runs no errback", () => {
    // Twisted: DeferredCancellerTests.test_cancellerThatCallbacks
    const d = new Deferred<string>((self) => self.callback("hello!"));
    const seen = record(d);
    d.cancel();
    expect(seen).toEqual({ results: ["hello!"], failures: [] });
  });

  it("throws AlreadyCalledError for a late call after a canceller fired the Deferred", () => {
    const d = new Deferred<string>((self) => self.callback("from canceller"));
    d.cancel();
    expect(() => d.callback("late")).toThrow(AlreadyCalledError);
    expect(successResultOf(d)).toBe("from canceller");
  });

  it("drops the canceller once the Deferred fires, so that it can be garbage-collected", async () => {
    // Twisted: DeferredTests.test_canceller_circular_reference_callback (the portable part: firing drops the canceller)
    const gc = (globalThis as { gc?: () => void }).gc!;
    // Only the canceller's closure holds each payload.
    const withPayload = (): { d: Deferred<number>; ref: WeakRef<object> } => {
      const payload = { big: new Array(1000).fill(0) };
      return { d: new Deferred<number>(() => void payload), ref: new WeakRef(payload) };
    };
    const { d, ref } = withPayload();
    const control = withPayload();
    d.callback(1);
    // A WeakRef keeps its target alive until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(ref.deref()).toBeUndefined();
    expect(control.ref.deref()).toBeDefined(); // the unfired one still holds its canceller
    control.d.cancel();
    d.cancel();
    expect(successResultOf(d)).toBe(1);
  });
});

describe("Deferred#cancel() with a canceller that throws", () => {
  it("does not throw, and errbacks with the thrown value when the Deferred has no result", () => {
    const thrown = new RangeError("canceller broke");
    const d = new Deferred<number>(() => {
      throw thrown;
    });
    expect(() => d.cancel()).not.toThrow();
    expect(failureResultOf(d).value).toBe(thrown);
  });

  it("calls the throwing canceller only once, and lets a late callback() throw AlreadyCalledError", () => {
    let calls = 0;
    const d = new Deferred<number>(() => {
      calls++;
      throw new Error("boom");
    });
    d.cancel();
    d.cancel();
    expect(calls).toBe(1);
    expect(() => d.callback(1)).toThrow(AlreadyCalledError);
  });

  it("reports the thrown value to onUnhandledFailure when the canceller fired the Deferred first", () => {
    const reported: Failure[] = [];
    const restore = onUnhandledFailure((f) => {
      reported.push(f);
    });
    try {
      const thrown = new Error("after firing");
      const d = new Deferred<string>((self) => {
        self.callback("fired");
        throw thrown;
      });
      expect(() => d.cancel()).not.toThrow();
      expect(successResultOf(d)).toBe("fired");
      expect(reported.map((f) => f.value)).toEqual([thrown]);
    } finally {
      restore();
    }
  });
});

describe("Deferred#cancel() of a Deferred that waits on another", () => {
  it("cancels the awaited Deferred instead of calling its own canceller", () => {
    // Twisted: DeferredCancellerTests.test_cancelNestedDeferred
    const outerCanceller = jest.fn();
    const innerCanceller = countingCanceller<number>();
    const b = new Deferred<number>(innerCanceller);
    const a = new Deferred<number>(outerCanceller);
    a.addCallback(() => b);
    a.callback(1);
    const seen = record(a);
    a.cancel();
    expect(outerCanceller).not.toHaveBeenCalled();
    expect(innerCanceller.calls).toEqual([b]);
    expect(seen.failures).toHaveLength(1);
    expect(seen.failures[0]!.value).toBeInstanceOf(CancelledError);
    expect(successResultOf(b)).toBeUndefined(); // its CancelledError went on to `a`
  });

  it("continues with the value the awaited Deferred's canceller calls back with", () => {
    const b = new Deferred<string>((self) => self.callback("fallback"));
    const a = succeed(0)
      .addCallback(() => b)
      .addCallback((s) => s.toUpperCase());
    a.cancel();
    expect(successResultOf(a)).toBe("FALLBACK");
  });

  it("lets the waiting chain's errbacks handle the CancelledError", () => {
    const b = new Deferred<string>();
    const a = succeed(0)
      .addCallback(() => b)
      .addErrback((f) => {
        f.trap(CancelledError);
        return "cancelled, handled";
      });
    a.cancel();
    expect(successResultOf(a)).toBe("cancelled, handled");
  });

  it("cancels a returned PromiseLike's Deferred and ignores the PromiseLike's later outcome", () => {
    let resolve: (v: number) => void = () => {};
    const thenable = {
      then(onFulfilled: (v: number) => void) {
        resolve = onFulfilled;
      },
    };
    const a = succeed(0).addCallback(() => thenable as unknown as PromiseLike<number>);
    a.cancel();
    failureResultOf(a, CancelledError);
    expect(() => resolve(5)).not.toThrow();
    failureResultOf(a, CancelledError);
  });

  it("reaches the innermost of a chain of waits and calls only its canceller", () => {
    const cancellers = [jest.fn(), jest.fn(), jest.fn()];
    const innermost = new Deferred<string>(cancellers[2]);
    const middle = new Deferred<number>(cancellers[1]);
    middle.addCallback(() => innermost);
    middle.callback(1);
    const top = new Deferred<number>(cancellers[0]);
    top.addCallback(() => middle);
    top.callback(1);
    top.cancel();
    expect(cancellers[0]).not.toHaveBeenCalled();
    expect(cancellers[1]).not.toHaveBeenCalled();
    expect(cancellers[2]).toHaveBeenCalledTimes(1);
    failureResultOf(top, CancelledError);
    expect(successResultOf(middle)).toBeUndefined();
  });

  it("does nothing when the awaited Deferred has a result but is paused", () => {
    const b = succeed("held");
    b.pause();
    const a = succeed(0).addCallback(() => b);
    a.cancel();
    assertNoResult(a);
    b.unpause();
    expect(successResultOf(a)).toBe("held");
  });

  it("returns without doing anything when Deferreds wait on each other in a cycle", () => {
    // Twisted recurses here until RecursionError; the walk down the waits must not loop forever.
    // Nothing in a cycle has a canceller left to call, and none of them can ever fire.
    for (const length of [2, 3, 7]) {
      const ring = Array.from({ length }, () => new Deferred<unknown>());
      ring.forEach((d, i) => {
        d.addCallback(() => ring[(i + 1) % length]);
      });
      ring.forEach((d) => d.callback(null));
      for (const d of ring) {
        expect(() => d.cancel()).not.toThrow();
        expect(String(d)).toMatch(/^Deferred<waiting on another Deferred[,>]/);
      }
    }
  });

  it("reaches the bottom of a 1,000,000-deep chain of waits without overflowing the stack", () => {
    const canceller = countingCanceller<unknown>();
    const bottom = new Deferred<unknown>(canceller);
    let top: Deferred<unknown> = bottom;
    for (let i = 0; i < 1_000_000; i++) {
      const waitOn = top;
      top = succeed(null).addCallback(() => waitOn);
    }
    expect(() => top.cancel()).not.toThrow();
    expect(canceller.calls).toEqual([bottom]);
    failureResultOf(top, CancelledError);
  });
});

describe("Deferred#cancel() and chainDeferred()", () => {
  it("passes the CancelledError of the source on to the chained Deferred", () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    a.chainDeferred(b);
    a.cancel();
    failureResultOf(b, CancelledError);
    expect(successResultOf(a)).toBeUndefined();
  });

  it("leaves the source alone when the chained Deferred is cancelled", () => {
    const sourceCanceller = jest.fn();
    const a = new Deferred<number>(sourceCanceller);
    const b = new Deferred<number>();
    a.chainDeferred(b);
    b.cancel();
    expect(sourceCanceller).not.toHaveBeenCalled();
    expect(a.called).toBe(false);
    failureResultOf(b, CancelledError);
  });
});

describe("Deferred#cancel() of a chain waiting on a combinator", () => {
  function inputWithCanceller(): { input: Deferred<number>; cancels: () => number } {
    let cancels = 0;
    return { input: new Deferred<number>(() => void cancels++), cancels: () => cancels };
  }

  it("cancels the inputs of the gatherResults it waits on; the chain fails with their FirstError", () => {
    const { input, cancels } = inputWithCanceller();
    const d = succeed(0).addCallback(() => gatherResults([input]));
    d.cancel();
    expect(cancels()).toBe(1);
    failureResultOf(input, CancelledError);
    expect((failureResultOf(d, FirstError).value as FirstError).subFailure.check(CancelledError)).toBe(CancelledError);
  });

  it.each([
    ["DeferredList", (ds: Deferred<unknown>[]) => new DeferredList(ds)],
    ["DeferredList with fireOnOneCallback", (ds: Deferred<unknown>[]) => new DeferredList(ds, { fireOnOneCallback: true })],
  ])("returns when an input of a %s waits on the list itself (a cycle that can never fire)", (_name, combine) => {
    // Twisted recurses until RecursionError and logs it; found by the conformance check.
    const reported: unknown[] = [];
    const restore = onUnhandledFailure((f) => reported.push(f.value));
    try {
      const input = new Deferred<unknown>();
      const other = new Deferred<unknown>();
      other.pause(); // keeps the combinator from firing when `other` is cancelled
      const combined = combine([input, other]);
      input.cancel(); // a failure the combinator sees, which does not fire it
      input.addBoth(() => combined); // now `input` waits on the combinator
      expect(() => combined.cancel()).not.toThrow();
      assertNoResult(combined);
      expect(String(input)).toMatch(/^Deferred<waiting on another Deferred[,>]/);
      expect(reported).toEqual([]);
    } finally {
      restore();
    }
  });

  it("returns when an input of gatherResults waits on it (a cycle that can never fire)", () => {
    const reported: unknown[] = [];
    const restore = onUnhandledFailure((f) => reported.push(f.value));
    try {
      const input = new Deferred<unknown>();
      const other = new Deferred<unknown>();
      other.pause(); // its CancelledError does not reach gatherResults, which stays pending
      const gathered = gatherResults([input, other]);
      input.callback("in");
      input.addCallback(() => gathered); // now `input` waits on gatherResults
      expect(() => gathered.cancel()).not.toThrow();
      assertNoResult(gathered);
      expect(reported).toEqual([]); // no RangeError from a recursion, reported by cancelQuietly
    } finally {
      restore();
    }
  });

  it("returns when an input of a race waits on the race itself, and fails the race with CancelledError", () => {
    const reported: unknown[] = [];
    const restore = onUnhandledFailure((f) => reported.push(f.value));
    try {
      const input = new Deferred<unknown>();
      const other = new Deferred<unknown>();
      other.pause(); // its CancelledError does not reach the race
      const raced = race([input, other]);
      input.cancel(); // one failure of two: the race is not decided
      input.addBoth(() => raced); // now `input` waits on the race
      expect(() => raced.cancel()).not.toThrow();
      // Nothing decided the race: cancel() failed it with its own CancelledError, which `input`,
      // waiting on it, took over (leaving the race's chain with undefined, as Twisted does).
      failureResultOf(input, CancelledError);
      expect(successResultOf(raced)).toBeUndefined();
      expect(reported).toEqual([]); // no RangeError from a recursion, reported by cancelQuietly
    } finally {
      restore();
    }
  });

  it.each([
    ["DeferredList", (ds: Deferred<unknown>[]) => new DeferredList(ds)],
    ["gatherResults", (ds: Deferred<unknown>[]) => gatherResults(ds)],
  ])("cancels the inputs of a %s again on a second cancel() while it is still pending", (_name, combine) => {
    // Twisted's DeferredList.cancel calls cancel() on every input each time it is called.
    const canceller = countingCanceller<unknown>();
    const inner = new Deferred<unknown>(canceller);
    const input = new Deferred<unknown>();
    const held = new Deferred<unknown>();
    held.pause(); // keeps the combinator pending through both cancels
    const combined = combine([input, held]);
    input.callback("in");
    combined.cancel(); // reaches nothing: `input` has its result and waits on nothing
    assertNoResult(combined);
    input.addCallback(() => inner); // after the combinator's step: `input` now waits on `inner`
    expect(canceller.calls).toEqual([]);
    combined.cancel();
    expect(canceller.calls).toEqual([inner]);
    assertNoResult(combined);
  });

  it("cancels the inputs of the DeferredList it waits on; the chain gets the list's entries", () => {
    const { input, cancels } = inputWithCanceller();
    const d = succeed(0).addCallback(() => new DeferredList([input]));
    d.cancel();
    expect(cancels()).toBe(1);
    failureResultOf(input, CancelledError);
    const [entry] = successResultOf(d);
    expect(entry![0]).toBe(false);
  });
});
