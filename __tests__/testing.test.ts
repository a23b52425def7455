// deferkit/testing: successResultOf, failureResultOf, assertNoResult. They look at a chain's
// current end and must never change it.
import { Deferred, fail, onUnhandledFailure, succeed } from "../src/index.js";
import { assertNoResult, failureResultOf, flushUnhandledFailures, successResultOf } from "../src/testing.js";
import * as root from "../src/index.js";
import { collectGarbage, countingThenable, secondCopy } from "./helpers.js";

// A second copy of the package, as when two versions end up in one bundle: the helpers read its
// Deferreds through their public API.
const foreign = secondCopy();

/**
 * Runs `act`, collects the garbage, and gives the messages of the failures `copy` of the
 * package reported as unhandled meanwhile (its handler is put back after).
 */
async function reportedAfterCollection(copy: typeof root, act: () => void): Promise<string[]> {
  const reported: string[] = [];
  const restore = copy.onUnhandledFailure((f) => void reported.push(f.getErrorMessage()));
  try {
    act(); // its Deferreds are out of reach once it returns
    await collectGarbage();
    return reported;
  } finally {
    restore();
  }
}

/** A Deferred whose chain waits on a pending one, so that it has no result to look at. */
function waiting(): Deferred<number> {
  return succeed(1).addCallback(() => new Deferred<number>());
}

/** A Error whose stack is a known string, so that a message can be checked in full. */
function errorWithStack(message: string, stack: string): Error {
  const e = new Error(message);
  e.stack = stack;
  return e;
}

/** Counts every call of `d`'s public methods that add a step or observe the chain. */
function countSteps(d: Deferred<unknown>): { added: number } {
  const counter = { added: 0 };
  const methods = ["addCallbacks", "addCallback", "addErrback", "addBoth", "chainDeferred", "then", "asPromise"] as const;
  for (const name of methods) {
    const original = d[name] as (...args: unknown[]) => unknown;
    (d as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      counter.added++;
      return original.apply(d, args);
    };
  }
  return counter;
}

describe("successResultOf()", () => {
  // trial: TestResultOfAssertions.test_withSuccessResult
  it("returns the result the chain has now, and leaves it there for the next step", () => {
    const d = succeed(3).addCallback((n) => n * 2);
    expect(successResultOf(d)).toBe(6);
    expect(successResultOf(d)).toBe(6);
    let seen: number | undefined;
    d.addCallback((n) => (seen = n));
    expect(seen).toBe(6);
  });

  it("returns a falsy result as it is", () => {
    expect(successResultOf(succeed(0))).toBe(0);
    expect(successResultOf(succeed(undefined))).toBeUndefined();
    expect(successResultOf(succeed(null))).toBeNull();
  });

  // trial: TestResultOfAssertions.test_successResultOfWithoutResult
  it("throws, naming the Deferred, when there is no result yet", () => {
    expect(() => successResultOf(new Deferred())).toThrow(
      new Error("Success result expected on Deferred<pending>, found no result instead"),
    );
  });

  it("finds no result while the chain waits on another Deferred", () => {
    expect(() => successResultOf(waiting())).toThrow(
      "Success result expected on Deferred<waiting on another Deferred>, found no result instead",
    );
  });

  it("finds no result while the chain is paused", () => {
    const d = succeed(1);
    d.pause();
    expect(() => successResultOf(d)).toThrow("found no result instead");
    d.unpause();
    expect(successResultOf(d)).toBe(1);
  });

  // trial: TestResultOfAssertions.test_successResultOfWithFailureHasTraceback
  it("throws with the failure and its traceback when the chain failed", () => {
    const d = fail(errorWithStack("boom", "Error: boom\n    at here (x.ts:1:1)"));
    expect(() => successResultOf(d)).toThrow(
      new Error(
        "Success result expected on Deferred<called: [Failure Error: boom]>, " +
          "found failure [Failure Error: boom]:\nError: boom\n    at here (x.ts:1:1)",
      ),
    );
  });

  // trial: successResultOf consumes a failure it finds; here the failure is marked handled.
  it("handles the failure it reports: it is not reported again when collected", async () => {
    const reported = await reportedAfterCollection(root, () => {
      expect(() => successResultOf(fail(new Error("reported by the helper")))).toThrow("found failure");
      fail(new Error("not looked at")); // the control: reported
    });
    expect(reported).toEqual(["not looked at"]);
  });

  it("reads another copy's Deferred: its result, its failure, or none", () => {
    expect(successResultOf(foreign.succeed(5))).toBe(5);
    expect(() => successResultOf(new foreign.Deferred())).toThrow("found no result instead");
    const failed = foreign.fail(new RangeError("far"));
    expect(() => successResultOf(failed)).toThrow("found failure [Failure RangeError: far]");
    failed.addErrback(() => undefined);
  });
  it("returns an object result as it is, without calling a thenable inside it", () => {
    const q = countingThenable();
    const d = succeed({ q });
    expect(successResultOf(d).q).toBe(q);
    expect(q.calls).toBe(0);
  });
});

describe("assertNoResult()", () => {
  // trial: TestResultOfAssertions.test_assertNoResult
  it("passes on a pending Deferred, a waiting chain and a paused one", () => {
    expect(() => assertNoResult(new Deferred())).not.toThrow();
    expect(() => assertNoResult(waiting())).not.toThrow();
    const paused = succeed(1);
    paused.pause();
    expect(() => assertNoResult(paused)).not.toThrow();
    expect(() => assertNoResult(new foreign.Deferred())).not.toThrow();
  });

  // trial: TestResultOfAssertions.test_assertNoResultSuccess
  it("throws, naming the Deferred and the result, when there is one", () => {
    expect(() => assertNoResult(succeed("done"))).toThrow(
      new Error('No result expected on Deferred<called: "done">, found result "done"'),
    );
    expect(() => assertNoResult(foreign.succeed(0))).toThrow("found result 0");
  });

  // trial: TestResultOfAssertions.test_assertNoResultFailure
  it("throws with the failure and its traceback when the chain failed, and handles it", async () => {
    const reported = await reportedAfterCollection(root, () => {
      const d = fail(errorWithStack("late", "Error: late\n    at there (y.ts:2:2)"));
      expect(() => assertNoResult(d)).toThrow(
        new Error(
          "No result expected on Deferred<called: [Failure Error: late]>, " +
            "found failure [Failure Error: late]:\nError: late\n    at there (y.ts:2:2)",
        ),
      );
      fail(new Error("not looked at")); // the control: reported
    });
    expect(reported).toEqual(["not looked at"]);
  });

  it("names itself when given something that is not a Deferred", () => {
    expect(() => assertNoResult(5 as never)).toThrow("Expected `deferred` of assertNoResult() to be a Deferred, got");
    expect(() => successResultOf(null as never)).toThrow("Expected `deferred` of successResultOf() to be a Deferred");
    expect(() => failureResultOf({} as never)).toThrow("Expected `deferred` of failureResultOf() to be a Deferred");
  });

  it("handles another copy's failure too", async () => {
    const reported = await reportedAfterCollection(foreign, () => {
      const d = foreign.fail(new Error("far and seen"));
      expect(() => assertNoResult(d)).toThrow("found failure [Failure Error: far and seen]");
      foreign.fail(new Error("far, not looked at")); // the control: reported
    });
    expect(reported).toEqual(["far, not looked at"]);
  });
  it("adds no step and observes nothing, pending or fired", () => {
    const pending = new Deferred<number>();
    const pendingSteps = countSteps(pending);
    for (let i = 0; i < 3; i++) assertNoResult(pending);
    expect(pendingSteps.added).toBe(0);
    const fired = new Deferred<number>();
    const firedSteps = countSteps(fired);
    fired.callback(1);
    expect(() => assertNoResult(fired)).toThrow();
    expect(firedSteps.added).toBe(0);
    // The counter itself works: a step added by hand is counted.
    fired.addCallback(() => undefined);
    expect(firedSteps.added).toBe(1);
  });

  it("leaves a later failure unhandled, so that it is still reported", async () => {
    const reported: unknown[] = [];
    const restore = onUnhandledFailure((f) => {
      if (f.getErrorMessage() === "after assertNoResult") reported.push(f.value);
    });
    try {
      (() => {
        const d = new Deferred<number>();
        assertNoResult(d);
        d.errback(new Error("after assertNoResult"));
      })();
      await collectGarbage();
      expect(reported).toHaveLength(1);
    } finally {
      restore();
    }
  });
});

describe("failureResultOf()", () => {
  // trial: TestResultOfAssertions.test_withFailureResult
  it("returns the chain's Failure itself, and leaves it there", () => {
    const error = new RangeError("out");
    const d = fail(error);
    const f = failureResultOf(d);
    expect(f.value).toBe(error);
    expect(failureResultOf(d)).toBe(f);
    let seen: unknown;
    d.addErrback((g) => void (seen = g));
    expect(seen).toBe(f);
  });

  // trial: TestResultOfAssertions.test_failureResultOfWithoutResult
  it("throws, naming the Deferred, when there is no result yet", () => {
    expect(() => failureResultOf(new Deferred())).toThrow(
      new Error("Failure result expected on Deferred<pending>, found no result instead"),
    );
    expect(() => failureResultOf(waiting())).toThrow("found no result instead");
  });

  // trial: TestResultOfAssertions.test_failureResultOfWithSuccess
  it("throws, with the result, when the chain succeeded", () => {
    expect(() => failureResultOf(succeed(4))).toThrow(
      new Error("Failure result expected on Deferred<called: 4>, found result 4"),
    );
  });

  // trial: TestResultOfAssertions.test_failureResultOfWithWrongFailureOneExpectedFailure
  it("throws, naming the type wanted and the failure found, when its type is another", () => {
    const d = fail(errorWithStack("nope", "TypeError: nope\n    at z (z.ts:3:3)"));
    expect(() => failureResultOf(d, RangeError)).toThrow(
      new Error(
        "Failure of type (RangeError) expected on Deferred<called: [Failure Error: nope]>, " +
          "found failure [Failure Error: nope]:\nTypeError: nope\n    at z (z.ts:3:3)",
      ),
    );
  });

  // trial: TestResultOfAssertions.test_failureResultOfWithWrongFailureMultiExpectedFailure
  it("names every type wanted, and an anonymous class as such", () => {
    const Anonymous = (() => class extends Error {})();
    const d = fail(new Error("plain"));
    expect(() => failureResultOf(d, RangeError, TypeError)).toThrow(
      "Failure of type (RangeError or TypeError) expected on",
    );
    expect(() => failureResultOf(d, Anonymous)).toThrow("Failure of type ((anonymous)) expected on");
  });

  it("returns the failure when it is of any one of the types given", () => {
    const d = fail(new TypeError("t"));
    expect(failureResultOf(d, RangeError, TypeError).value).toBeInstanceOf(TypeError);
    expect(failureResultOf(d, Error).getErrorMessage()).toBe("t");
  });

  it("gives a Failure whose handled flag is the other copy's: ending a chain here, it is not reported", () => {
    flushUnhandledFailures();
    const f = failureResultOf(foreign.fail(new Error("seen over there")));
    const d = new Deferred<number>();
    d.errback(f); // the same Failure ends a chain of this copy
    expect(flushUnhandledFailures()).toEqual([]);
  });

  it("reads another copy's failure as a Failure of this copy, and handles it there", async () => {
    const error = new RangeError("far");
    const reported = await reportedAfterCollection(foreign, () => {
      const f = failureResultOf(foreign.fail(error), RangeError);
      expect(f).toBeInstanceOf(root.Failure);
      expect(f.value).toBe(error);
      foreign.fail(new Error("far, not looked at")); // the control: reported
    });
    expect(reported).toEqual(["far, not looked at"]);
  });

  it("marks the failure handled: it is not reported when the Deferred is collected", async () => {
    const reported: unknown[] = [];
    const restore = onUnhandledFailure((f) => {
      const message = f.getErrorMessage();
      if (message === "looked at" || message === "not looked at") reported.push(message);
    });
    try {
      (() => {
        failureResultOf(fail(new Error("looked at")));
        fail(new Error("not looked at")); // the control: reported
      })();
      await collectGarbage();
      expect(reported).toEqual(["not looked at"]);
    } finally {
      restore();
    }
  });
});

describe("messages of the testing helpers (issue 9: output people can read)", () => {
  it("render the result found, not [object Object]", () => {
    expect(() => failureResultOf(succeed({ user: null }))).toThrow(
      "Failure result expected on Deferred<called: { user: null }>, found result { user: null }",
    );
    expect(() => assertNoResult(succeed([1, 2, 3]))).toThrow("found result [1, 2, 3]");
  });
});
