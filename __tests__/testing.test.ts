// deferkit/testing: successResultOf, failureResultOf, assertNoResult. They look at a chain's
// current end and must never change it.
import { Deferred, fail, onUnhandledFailure, succeed } from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { collectGarbage, countingThenable } from "./helpers.js";

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
  it("returns an object result as it is, without calling a thenable inside it", () => {
    const q = countingThenable();
    const d = succeed({ q });
    expect(successResultOf(d).q).toBe(q);
    expect(q.calls).toBe(0);
  });
});

describe("assertNoResult()", () => {
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
