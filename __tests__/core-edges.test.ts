// Edges of the core (src/deferred.ts) that the first mutation run of that file found without a
// test: each case here is one a mutant got through (`npm run mutate:core`), written as the
// behaviour a user relies on.
import { inspect } from "node:util";
import * as root from "../src/index.js";
import { AlreadyCalledError, CancelledError, Deferred, Failure, maybeDeferred, setDebugging, succeed } from "../src/index.js";
import {
  assertNoPendingWork,
  assertNoResult,
  failureResultOf,
  flushUnhandledFailures,
  successResultOf,
  trackPendingWork,
} from "../src/testing.js";
import { Diagnostics } from "../src/internal/unhandled.js";
import { secondCopy, waitingOnEachOther } from "./helpers.js";

const foreign = secondCopy();

/** Three ways a step meets a result that is already there: each has its own fast path. */
const firedPaths: [string, (d: Deferred<number>, fn: (r: number) => unknown) => void][] = [
  [
    "addCallback on a fired Deferred",
    (d, fn) => {
      d.callback(1);
      d.addCallback(fn);
    },
  ],
  [
    "addBoth on a fired Deferred",
    (d, fn) => {
      d.callback(1);
      d.addBoth((r) => fn(r as number));
    },
  ],
  [
    "callback() with one step queued",
    (d, fn) => {
      d.addCallback(fn);
      d.callback(1);
    },
  ],
];

describe("a step that adds a step to its own Deferred", () => {
  it.each(firedPaths)("runs the new step right after it, with its result (%s)", (_name, attach) => {
    const d = new Deferred<number>();
    const seen: unknown[] = [];
    attach(d, (r) => {
      d.addCallback((x) => seen.push(["added", x]));
      seen.push(["first", r]);
      return 2;
    });
    expect(seen).toEqual([
      ["first", 1],
      ["added", 2],
    ]);
    expect(successResultOf(d)).toBe(2); // push() returned the new length
  });
});

describe("a step that returns a function with a then() method", () => {
  it.each(firedPaths)("is adopted like any thenable (%s)", (_name, attach) => {
    // Promises/A+ 2.3.3: a thenable is an object or a function.
    let resolve!: (v: string) => void;
    const thenableFn = Object.assign(() => "not called", {
      then(onFulfilled: (v: string) => void) {
        resolve = onFulfilled;
      },
    });
    const d = new Deferred<number>();
    attach(d, () => thenableFn);
    assertNoResult(d);
    resolve("adopted");
    expect(successResultOf(d)).toBe("adopted");
  });
});

describe("a Deferred whose step ran on the fast path", () => {
  it("still refuses a second callback() with AlreadyCalledError", () => {
    const d = succeed(1);
    d.addCallback((n) => n + 1);
    expect(() => d.callback(5)).toThrow(AlreadyCalledError);
    expect(successResultOf(d)).toBe(2);
  });
});

describe("Deferred#addCallbacks()", () => {
  it.each([["left out", undefined], ["null", null]])("lets a failure pass by when onFailure is %s", (_name, onFailure) => {
    const d = root.fail(new RangeError("passes")).addCallbacks(() => "not run", onFailure);
    expect(failureResultOf(d, RangeError).getErrorMessage()).toBe("passes");
  });
});

describe("extra arguments of a step", () => {
  it("are passed after the result, no more and no fewer", () => {
    const counts: number[] = [];
    const record = (...all: unknown[]): number => counts.push(all.length);
    succeed(0).addCallback(record, "a").addCallback(record, "a", "b");
    const pending = new Deferred<number>();
    pending.addCallback(record, "a").addCallback(record, "a", "b");
    pending.callback(0);
    expect(counts).toEqual([2, 3, 2, 3]);
  });
});

describe("Deferred#addCallback() given a non-function on a fired Deferred", () => {
  it("throws a TypeError naming `fn`, and leaves the Deferred as it was", () => {
    const d = succeed(1);
    expect(() => d.addCallback(5 as never)).toThrow(/^Expected `fn` to be a function, got `5` \(number\)$/);
    expect(successResultOf(d)).toBe(1);
    expect(String(d)).toBe("Deferred<called: 1>");
  });
});

describe("Deferred#unpause() of a pending Deferred with a canceller", () => {
  it("matches the pause() before it (the canceller is not a wait)", () => {
    const d = new Deferred<number>(() => {});
    d.pause();
    expect(() => d.unpause()).not.toThrow();
    expect(d.paused).toBe(0);
    expect(() => d.unpause()).toThrow("Deferred.unpause() called without a matching pause()");
  });
});

describe("Deferred#cancel() through a chain", () => {
  it("calls the cancel() of a subclass that the chain waits on, instead of its own walk", () => {
    const calls: string[] = [];
    class Custom<T> extends Deferred<T> {
      override cancel(): void {
        calls.push("custom");
        this.errback(new RangeError("custom cancel"));
      }
    }
    const inner = new Custom<number>();
    const outer = succeed(0).addCallback(() => inner);
    outer.cancel();
    expect(calls).toEqual(["custom"]);
    expect(failureResultOf(outer, RangeError).getErrorMessage()).toBe("custom cancel");
  });

  it("returns when the chain leads into a cycle it is not part of", () => {
    // outer -> a -> b -> a: the walk must notice the loop although it never comes back to outer.
    const { a } = waitingOnEachOther();
    const outer = succeed(0).addCallback(() => a);
    expect(() => outer.cancel()).not.toThrow();
    assertNoResult(outer);
  });
});

describe("String(d)", () => {
  it("counts queued steps of every layout", () => {
    const d = new Deferred<number>();
    d.addCallback(String); // the inline slot
    d.addCallback(String); // one slot each: a callback alone
    d.addCallback(String);
    d.addCallback(String);
    d.addErrback(String); // four slots: null, then callback, errback, arguments
    d.addBoth((r: unknown, _n: number) => r, 1); // four slots
    expect(String(d)).toBe("Deferred<pending, 6 steps waiting>");
  });

  it("says where a Deferred was created, from the first frame of its stack", () => {
    setDebugging(true);
    try {
      const made = function makeTheDeferred(): Deferred<number> {
        return new Deferred<number>();
      };
      expect(String(made())).toMatch(/^Deferred<pending, created at makeTheDeferred \(.*core-edges\.test\.ts:\d+:\d+\)>$/);
    } finally {
      setDebugging(false);
    }
  });

  it("reads a frame in the other engines' format too", () => {
    // Firefox and Safari write frames as `name@url:line:col`, without V8's leading "at ".
    const d = new Deferred<number>();
    const diagnostics = new Diagnostics();
    diagnostics.createdAt = "makeIt@https://example.com/static/batch.js:3:9\nrun@https://example.com/app.js:1:1";
    d._diagnostics = diagnostics;
    expect(String(d)).toBe("Deferred<pending, created at makeIt@https://example.com/static/batch.js:3:9>");
  });

  it("is what util.inspect (and so console.log) shows", () => {
    const d = succeed({ n: 1 });
    expect(inspect(d)).toBe(String(d));
    expect(inspect(d)).toBe("Deferred<called: { n: 1 }>");
  });
});

describe("pending-work tracking without debugging", () => {
  it("records no creation stack", () => {
    trackPendingWork();
    const d = new Deferred<number>();
    expect(String(d)).toBe("Deferred<pending>");
    d.callback(1);
    assertNoPendingWork();
  });
});

describe("succeed() with debugging on", () => {
  it("records where it was fired, as callback() does", () => {
    setDebugging(true);
    const infos: root.DebugInfo[] = [];
    const restore = root.onUnhandledFailure((_f, info) => infos.push(info));
    try {
      const d = succeed(1).addCallback(() => {
        throw new RangeError("late");
      });
      expect(flushUnhandledFailures()).toHaveLength(1);
      expect(typeof d._diagnostics?.firstFiredAt).toBe("string");
    } finally {
      restore();
      setDebugging(false);
    }
  });
});

describe("another copy's objects given to this copy's core", () => {
  it("takes another copy's Failure given to callback() as this copy's failure", () => {
    const d = new Deferred<number>();
    d.callback(new foreign.Failure(new RangeError("theirs")) as never);
    const f = failureResultOf(d, RangeError);
    expect(f).toBeInstanceOf(Failure);
    expect(f.getErrorMessage()).toBe("theirs");
  });

  it("lets another copy adopt this copy's fired Deferred synchronously", () => {
    const ours = succeed("mine");
    const theirs = foreign.maybeDeferred(() => ours);
    expect(foreign.Deferred.is(theirs) && theirs.called).toBe(true);
    let seen: unknown;
    theirs.addCallback((r) => (seen = r));
    expect(seen).toBe("mine");
  });

  it("refuses a Deferred given to callback(), naming chainDeferred", () => {
    const d = new Deferred<number>();
    expect(() => d.callback(new Deferred<number>() as never)).toThrow(/not to be a Deferred.*chainDeferred/);
    expect(() => d.callback(new foreign.Deferred<number>() as never)).toThrow(/not to be a Deferred.*chainDeferred/);
    assertNoResult(d);
  });
});

describe("maybeDeferred()", () => {
  it("fails with what a throwing `then` getter of the returned value threw", () => {
    const hostile = {
      get then(): never {
        throw new RangeError("then getter");
      },
    };
    const d = maybeDeferred(() => hostile);
    expect(failureResultOf(d, RangeError).getErrorMessage()).toBe("then getter");
  });

  it("fails with a Failure the function returned, and does not wrap it again", () => {
    const given = new Failure(new RangeError("returned"));
    const d = maybeDeferred(() => given);
    expect(failureResultOf(d)).toBe(given);
  });

  it("cancels nothing it was not given: a returned Deferred is the result as it is", () => {
    const inner = new Deferred<number>(() => {});
    expect(maybeDeferred(() => inner)).toBe(inner);
    inner.cancel();
    failureResultOf(inner, CancelledError);
  });
});

describe("a thenable fulfilled with a Deferred that already has its result", () => {
  it("gives that result at once and leaves it in place", () => {
    const inner = succeed(7);
    const thenable = {
      then(onFulfilled: (v: unknown) => void) {
        onFulfilled(inner);
      },
    };
    const d = succeed(0).addCallback(() => thenable);
    expect(successResultOf(d)).toBe(7);
    expect(successResultOf(inner)).toBe(7);
  });
});

// The cases below run on the general chain runner (src/internal/runner.ts): several steps
// attached before the firing. Each is one a mutant of that file got through.
describe("the general runner: steps attached, then fired", () => {
  it("adopts a function with a then() method returned by a step", () => {
    let resolve!: (v: string) => void;
    const thenableFn = Object.assign(() => "not called", {
      then(onFulfilled: (v: string) => void) {
        resolve = onFulfilled;
      },
    });
    const d = new Deferred<number>();
    const seen: unknown[] = [];
    d.addCallback(() => thenableFn).addCallback((v) => seen.push(v));
    d.callback(1);
    expect(seen).toEqual([]);
    resolve("adopted");
    expect(seen).toEqual(["adopted"]);
  });

  it("runs no later step inside a step that pauses and unpauses its own Deferred", () => {
    // Twisted: unpause() of a Deferred whose callbacks are running leaves them to the running loop.
    const d = new Deferred<number>();
    const order: string[] = [];
    d.addCallback((r) => {
      d.pause();
      d.unpause();
      order.push("first step returns");
      return r + 1;
    }).addCallback((r) => {
      order.push(`second step got ${r}`);
      return r;
    });
    d.callback(1);
    expect(order).toEqual(["first step returns", "second step got 2"]);
    expect(successResultOf(d)).toBe(2);
  });

  it("points to setDebugging(true) on a second firing when no stack was recorded, even after an unhandled-failure check", async () => {
    // That check gives the Deferred its diagnostics record, with no stacks in it.
    const d = new Deferred<number>();
    d.errback(new RangeError("dropped"));
    await Promise.resolve();
    expect(d._diagnostics).not.toBeNull();
    expect(() => d.callback(2)).toThrow(
      new AlreadyCalledError("Deferred has already been called (setDebugging(true) shows where it was created and first fired)"),
    );
    expect(flushUnhandledFailures()).toHaveLength(1);
  });

  it("fails, under setDebugging(true), the chain whose step closes a cycle", () => {
    // As in waiting.test.ts, here so that the core mutation run (npm run mutate:core) sees it.
    setDebugging(true);
    try {
      const { a, b } = waitingOnEachOther();
      expect(successResultOf(a)).toBeUndefined(); // a's failure went on to b, which waited on a
      expect(failureResultOf(b, TypeError).getErrorMessage()).toMatch(/waits on this one .*wait for itself forever/);
    } finally {
      setDebugging(false);
    }
  });
});
