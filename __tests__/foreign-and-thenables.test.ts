// Adopting what a step returns when it is not this copy's Deferred: another copy's Deferred
// (two versions in one bundle), or a thenable that breaks the rules.
import { CancelledError, Deferred, succeed } from "../src/index.js";
import { failureResultOf, successResultOf } from "../src/testing.js";
import { secondCopy } from "./helpers.js";

const foreign = secondCopy();

describe("a step that returns another copy's Deferred", () => {
  it("waits for it, takes its result synchronously, and leaves it undefined", () => {
    const theirs = new foreign.Deferred<number>();
    const ours = succeed(0).addCallback(() => theirs);
    expect(ours.called && ours.paused > 0).toBe(true);
    theirs.callback(3);
    expect(successResultOf(ours)).toBe(3);
    let left: unknown = "unset";
    theirs.addBoth((r) => (left = r));
    expect(left).toBeUndefined();
  });

  it("takes its failure as one of this copy's Failures", () => {
    const theirs = new foreign.Deferred<number>();
    const ours = succeed(0).addCallback(() => theirs);
    theirs.errback(new RangeError("far"));
    expect(failureResultOf(ours, RangeError).value.message).toBe("far");
  });

  it("is cancelled through our chain; if it fires anyway, its late result stays its own", () => {
    const cancels: string[] = [];
    const theirs = new foreign.Deferred<number>(() => cancels.push("theirs"));
    const ours = succeed(0).addCallback(() => theirs);
    ours.cancel();
    expect(cancels).toEqual(["theirs"]);
    // theirs ignored nothing here: its canceller ran and it failed with its own CancelledError.
    expect(failureResultOf(ours, CancelledError).value).toBeInstanceOf(foreign.CancelledError);
    // One whose cancel() does nothing: our chain gives up on it, and its late result stays its own.
    class Stubborn extends foreign.Deferred<number> {
      override cancel(): void {
        cancels.push("ignored");
      }
    }
    const stubborn = new Stubborn();
    const gaveUp = succeed(0).addCallback(() => stubborn);
    gaveUp.cancel();
    expect(cancels).toEqual(["theirs", "ignored"]);
    expect(failureResultOf(gaveUp, CancelledError).value).toBeInstanceOf(CancelledError);
    stubborn.callback(9); // fires after all
    let late: unknown;
    stubborn.addBoth((r) => (late = r));
    expect(late).toBe(9);
  });
});

describe("a thenable that breaks the rules", () => {
  it("counts only its first call of either function, and ignores a throw after it", () => {
    const hostile = {
      then(onFulfilled: (v: unknown) => void, onRejected: (e: unknown) => void) {
        onFulfilled(1);
        onFulfilled(2);
        onRejected(new Error("late"));
        throw new Error("later");
      },
    };
    const d = succeed(0).addCallback(() => hostile);
    expect(successResultOf(d)).toBe(1);
  });

  it("fails with what a value's then getter throws, when it fulfils with that value (Promises/A+ 2.3.3.2)", () => {
    const boom = new Error("then getter");
    const value = {
      get then(): never {
        throw boom;
      },
    };
    const thenable = { then: (onFulfilled: (v: unknown) => void) => onFulfilled(value) };
    const d = succeed(0).addCallback(() => thenable);
    expect(failureResultOf(d).value).toBe(boom);
  });

  it("ignores a second call that comes later, from outside then()", () => {
    let fulfil!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const thenable = {
      then(onFulfilled: (v: unknown) => void, onRejected: (e: unknown) => void) {
        fulfil = onFulfilled;
        reject = onRejected;
      },
    };
    const d = succeed(0).addCallback(() => thenable);
    fulfil(1);
    expect(() => fulfil(2)).not.toThrow();
    expect(() => reject(new Error("late"))).not.toThrow();
    expect(successResultOf(d)).toBe(1);
    const e = succeed(0).addCallback(() => thenable);
    reject(new RangeError("first"));
    expect(() => reject(new Error("second"))).not.toThrow();
    expect(() => fulfil(3)).not.toThrow();
    expect(failureResultOf(e, RangeError).value.message).toBe("first");
  });

  it("fails when then() throws first, and ignores a call that comes after, from outside", () => {
    let fulfil!: (v: unknown) => void;
    const throwsFirst = {
      then(onFulfilled: (v: unknown) => void) {
        fulfil = onFulfilled;
        throw new RangeError("then threw");
      },
    };
    const d = succeed(0).addCallback(() => throwsFirst);
    expect(() => fulfil(1)).not.toThrow();
    expect(failureResultOf(d, RangeError).value.message).toBe("then threw");
  });

  it("adopts a function with a then method, as Promises/A+ says (an object or a function)", () => {
    const callable = Object.assign(() => "not called", {
      then(onFulfilled: (v: unknown) => void) {
        onFulfilled("adopted");
      },
    });
    expect(successResultOf(succeed(0).addCallback(() => callable))).toBe("adopted");
  });

  it("counts a first rejection, and ignores what comes after it", () => {
    const hostile = {
      then(onFulfilled: (v: unknown) => void, onRejected: (e: unknown) => void) {
        onRejected(new RangeError("first"));
        onFulfilled(2);
        onRejected(new Error("second"));
      },
    };
    const d = succeed(0).addCallback(() => hostile);
    expect(failureResultOf(d, RangeError).value.message).toBe("first");
  });

  it("fulfilled with a failed Deferred, fails with its failure without taking it away", () => {
    const inner = new Deferred<number>();
    const thenable = {
      then(onFulfilled: (v: unknown) => void) {
        onFulfilled(inner);
      },
    };
    const d = succeed(0).addCallback(() => thenable);
    inner.errback(new TypeError("inner failed"));
    expect(failureResultOf(d, TypeError).value.message).toBe("inner failed");
    expect(failureResultOf(inner, TypeError).value.message).toBe("inner failed"); // still there
  });
});
