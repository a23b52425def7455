import {
  CancelledError,
  Clock,
  Deferred,
  deferLater,
  ensureDeferred,
  fail,
  Failure,
  inlineCallbacks,
  onUnhandledFailure,
  succeed,
} from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { collectGarbage, twoTimings } from "./helpers.js";

class UntranslatedError extends Error {}
class TranslatedError extends Error {}

const timings = twoTimings("awaited Deferred fired before the yield", "awaited Deferred fired after the yield");

describe.each(timings)("inlineCallbacks() ($label)", ({ run, firedFirst }) => {
  it("gives the yielded Deferred's result back at the yield and fires with what the generator returns", () => {
    // Twisted: test_inlinecb.py, test_returnWithValue
    const inner = new Deferred<number>();
    let d!: Deferred<number>;
    run(
      () => inner.callback(41),
      () => {
        d = inlineCallbacks(function* () {
          const n = (yield inner) as number;
          return n + 1;
        })();
      },
    );
    expect(successResultOf(d)).toBe(42);
    expect(successResultOf(inner)).toBeUndefined(); // the coroutine took the result
  });

  it("throws a yielded failure's value at the yield, where try/catch sees it", () => {
    const error = new RangeError("at the yield");
    const inner = new Deferred<number>();
    let caught: unknown;
    let d!: Deferred<string>;
    run(
      () => inner.errback(error),
      () => {
        d = inlineCallbacks(function* () {
          try {
            yield inner;
          } catch (e) {
            caught = e;
          }
          return "recovered";
        })();
      },
    );
    expect(caught).toBe(error);
    expect(successResultOf(d)).toBe("recovered");
  });

  it("fails with an error the generator does not catch", () => {
    const error = new RangeError("uncaught");
    const inner = new Deferred<number>();
    let d!: Deferred<never>;
    run(
      () => inner.errback(error),
      () => {
        d = inlineCallbacks(function* () {
          yield inner;
          throw new Error("not reached");
        })();
      },
    );
    expect(failureResultOf(d, RangeError).value).toBe(error);
  });

  it("resumes synchronously inside the awaited Deferred's callback(), or at once", () => {
    const log: string[] = [];
    const inner = new Deferred<string>();
    run(
      () => {
        log.push("before callback");
        inner.callback("x");
        log.push("after callback");
      },
      () => {
        inlineCallbacks(function* () {
          log.push(`resumed with ${(yield inner) as string}`);
        })();
        log.push("call returned");
      },
    );
    expect(log).toEqual(
      firedFirst
        ? ["before callback", "after callback", "resumed with x", "call returned"]
        : ["call returned", "before callback", "resumed with x", "after callback"],
    );
  });
});

describe("inlineCallbacks()", () => {
  it("throws at the yield, or fails with, the error of a thenable's `then` getter", () => {
    // Reading `then` is how a thenable is told from a value (Promises/A+ 2.3.3.2).
    const trap = (): object => ({
      get then(): never {
        throw new Error("then getter");
      },
    });
    const caught = inlineCallbacks(function* () {
      try {
        yield trap();
      } catch (e) {
        return (e as Error).message;
      }
      return "not thrown";
    })();
    expect(successResultOf(caught)).toBe("then getter");
    const returned = inlineCallbacks(function* () {
      yield succeed(0);
      return trap();
    })();
    expect(failureResultOf(returned).getErrorMessage()).toBe("then getter");
  });

  it("gives a plain value back at the yield at once", () => {
    const d = inlineCallbacks(function* () {
      const a = (yield 1) as number;
      const b = (yield "two") as string;
      return `${a} ${b}`;
    })();
    expect(successResultOf(d)).toBe("1 two");
  });

  it("adopts a yielded Promise and resumes when it settles", async () => {
    const d = inlineCallbacks(function* () {
      const n = (yield Promise.resolve(2)) as number;
      try {
        yield Promise.reject(new TypeError("rejected"));
      } catch (e) {
        return `${n} ${(e as Error).message}`;
      }
      return "not reached";
    })();
    assertNoResult(d);
    expect(await d).toBe("2 rejected");
  });

  it("fails the Deferred, rather than throwing, for an error before the first yield", () => {
    const error = new Error("before any yield");
    const start = inlineCallbacks(function* (): Generator<unknown, void, unknown> {
      throw error;
    });
    let d!: Deferred<void>;
    expect(() => {
      d = start();
    }).not.toThrow();
    expect(failureResultOf(d).value).toBe(error);
  });

  it("passes its arguments and `this` to the generator function", () => {
    const obj = {
      base: 10,
      add: inlineCallbacks(function* (this: { base: number }, n: number) {
        return this.base + ((yield succeed(n)) as number);
      }),
    };
    expect(successResultOf(obj.add(5))).toBe(15);
  });

  it("waits for a Deferred or Promise that the generator returns", async () => {
    const later = new Deferred<string>();
    const d = inlineCallbacks(function* () {
      yield undefined;
      return later;
    })();
    assertNoResult(d);
    later.callback("returned");
    expect(successResultOf(d)).toBe("returned");
    const p = inlineCallbacks(function* () {
      return Promise.resolve("promised");
    })();
    expect(await p).toBe("promised");
  });

  it("does not report a failure it took from a yielded Deferred as unhandled", async () => {
    const reported: string[] = [];
    const restore = onUnhandledFailure((f) => {
      const message = f.getErrorMessage();
      if (message.startsWith("coroutine:")) reported.push(message);
    });
    try {
      (() => {
        inlineCallbacks(function* () {
          try {
            yield fail(new Error("coroutine: taken"));
          } catch {
            // handled by the generator
          }
        })();
        fail(new Error("coroutine: control"));
      })();
      await collectGarbage();
      expect(reported).toEqual(["coroutine: control"]);
    } finally {
      restore();
    }
  });

  it("yields a million fired Deferreds, and a million plain values, without overflowing the stack", () => {
    // Twisted: test_defer.py's deep-inlineCallbacks case (it had to become a loop).
    const d = inlineCallbacks(function* () {
      let sum = 0;
      for (let i = 0; i < 1_000_000; i++) sum += (yield succeed(1)) as number;
      for (let i = 0; i < 1_000_000; i++) sum += (yield 1) as number;
      return sum;
    })();
    expect(successResultOf(d)).toBe(2_000_000);
  });

  it("resumes a million times inside callback()s without growing the stack", () => {
    const ds = Array.from({ length: 100_000 }, () => new Deferred<number>());
    const d = inlineCallbacks(function* () {
      let sum = 0;
      for (const x of ds) sum += (yield x) as number;
      return sum;
    })();
    for (const x of ds) x.callback(1);
    expect(successResultOf(d)).toBe(100_000);
  });

  it("rejects a non-function, and a function that returns no generator, with a TypeError", () => {
    expect(() => inlineCallbacks(5 as never)).toThrow(/`fn`/);
    const notGen = inlineCallbacks((() => 5) as never);
    expect(() => notGen()).toThrow(/generator/);
  });
});

describe("inlineCallbacks() stacked", () => {
  it("a coroutine waits on another's Deferred and gets its result", () => {
    const clock = new Clock();
    const inner = inlineCallbacks(function* (n: number) {
      yield deferLater(clock, 10);
      return n * 2;
    });
    const outer = inlineCallbacks(function* () {
      const a = (yield inner(1)) as number;
      const b = (yield inner(2)) as number;
      return a + b;
    });
    const d = outer();
    clock.advance(10);
    assertNoResult(d);
    clock.advance(10);
    expect(successResultOf(d)).toBe(6);
  });

  it("runs a callback added to the inner coroutine's Deferred before the outer one resumes (Twisted's order)", () => {
    const log: string[] = [];
    const gate = new Deferred<void>();
    const innerD = inlineCallbacks(function* () {
      yield gate;
      log.push("inner returns");
      return "inner";
    })();
    innerD.addCallback((v) => {
      log.push(`callback sees ${v}`);
      return v;
    });
    const outerD = inlineCallbacks(function* () {
      log.push(`outer resumed with ${(yield innerD) as string}`);
    })();
    gate.callback();
    expect(log).toEqual(["inner returns", "callback sees inner", "outer resumed with inner"]);
    expect(successResultOf(outerD)).toBeUndefined();
  });
});

describe("inlineCallbacks() cancellation", () => {
  // Twisted: test_inlinecb.py, CancellationTests: G a generator, D its Deferred, C what G awaits.
  function sample(child: () => Deferred<number>): Deferred<number> {
    return inlineCallbacks(function* () {
      let x: number;
      try {
        x = (yield child()) as number;
      } catch (e) {
        if (e instanceof UntranslatedError) throw new TranslatedError();
        if (e instanceof Failure) throw e;
        if (typeof e === "object" && e !== null && "actualValue" in e) x = (e as { actualValue: number }).actualValue - 2;
        else throw e;
      }
      return x + 1;
    })();
  }

  it("cancels what the coroutine waits on", () => {
    // Twisted: test_cascadeCancellingOnCancel
    let childCancelled = false;
    const d = sample(() => new Deferred<number>(() => void (childCancelled = true)));
    d.addErrback(() => 0);
    d.cancel();
    expect(childCancelled).toBe(true);
  });

  it("fails with the CancelledError thrown at the yield when the generator does not catch it", () => {
    // Twisted: test_errbackCancelledErrorOnCancel
    const d = sample(() => new Deferred<number>());
    d.cancel();
    failureResultOf(d, CancelledError);
  });

  it("lets the generator translate the cancelled Deferred's error into another error", () => {
    // Twisted: test_errorToErrorTranslation
    const d = sample(() => new Deferred<number>((it) => it.errback(new UntranslatedError())));
    d.cancel();
    failureResultOf(d, TranslatedError);
  });

  it("lets the generator translate the cancelled Deferred's error into a result", () => {
    // Twisted: test_errorToSuccessTranslation
    const d = sample(() => new Deferred<number>((it) => it.errback(Object.assign(new Error("x"), { actualValue: 4321 }))));
    d.cancel();
    expect(successResultOf(d)).toBe(4320);
  });

  it("fires only when the cancelled Deferred reaches the coroutine's step", () => {
    // Twisted: test_asynchronousCancellation
    const more = new Deferred<number>();
    const d = sample(() => new Deferred<number>().addErrback((f) => (f.trap(CancelledError), more)));
    d.cancel();
    assertNoResult(d);
    more.callback(6543);
    expect(successResultOf(d)).toBe(6544);
  });

  it("goes on when the generator catches the CancelledError, and a second cancel() cancels what it waits on next", () => {
    const first = new Deferred<string>();
    const second = new Deferred<string>();
    const log: string[] = [];
    const d = inlineCallbacks(function* () {
      try {
        yield first;
      } catch (e) {
        log.push(`first: ${(e as Error).name}`);
      }
      try {
        yield second;
      } catch (e) {
        log.push(`second: ${(e as Error).name}`);
        return "gave up";
      }
      return "done";
    })();
    d.cancel();
    assertNoResult(d);
    d.cancel();
    expect(log).toEqual(["first: CancelledError", "second: CancelledError"]);
    expect(successResultOf(d)).toBe("gave up");
    expect(successResultOf(first)).toBeUndefined(); // its CancelledError went to the coroutine
  });

  it("runs finally blocks", () => {
    const log: string[] = [];
    const d = inlineCallbacks(function* () {
      try {
        yield new Deferred<void>();
      } finally {
        log.push("finally");
      }
    })();
    d.cancel();
    expect(log).toEqual(["finally"]);
    failureResultOf(d, CancelledError);
  });

  it("does nothing once the coroutine has finished", () => {
    let cancels = 0;
    const waited = new Deferred<number>(() => void cancels++);
    const d = inlineCallbacks(function* () {
      return (yield succeed(1)) as number;
    })();
    d.cancel();
    expect(cancels).toBe(0);
    expect(successResultOf(d)).toBe(1);
    waited.callback(0);
  });

  it("passes the cancel down a stack of coroutines", () => {
    let bottomCancelled = 0;
    const bottom = new Deferred<number>(() => void bottomCancelled++);
    const inner = inlineCallbacks(function* () {
      return (yield bottom) as number;
    });
    const outer = inlineCallbacks(function* () {
      return (yield inner()) as number;
    });
    const d = outer();
    d.cancel();
    expect(bottomCancelled).toBe(1);
    failureResultOf(d, CancelledError);
  });

  it("cancels a Deferred that the generator returned and that has not fired", () => {
    let cancels = 0;
    const later = new Deferred<string>(() => void cancels++);
    const d = inlineCallbacks(function* () {
      yield undefined;
      return later;
    })();
    d.cancel();
    expect(cancels).toBe(1);
    failureResultOf(d, CancelledError);
  });

  it("cancels a coroutine through a chain waiting on it", () => {
    let cancels = 0;
    const waited = new Deferred<number>(() => void cancels++);
    const co = inlineCallbacks(function* () {
      return (yield waited) as number;
    })();
    const chain = succeed(0).addCallback(() => co);
    chain.cancel();
    expect(cancels).toBe(1);
    failureResultOf(chain, CancelledError);
  });
});

describe("ensureDeferred()", () => {
  it("runs a generator as a coroutine", () => {
    const d = ensureDeferred(
      (function* () {
        return ((yield succeed(20)) as number) + 1;
      })(),
    );
    expect(successResultOf(d)).toBe(21);
  });

  it("returns a Deferred as it is and adopts a Promise", async () => {
    const d = succeed(1);
    expect(ensureDeferred(d)).toBe(d);
    expect(await ensureDeferred(Promise.resolve(2))).toBe(2);
  });

  it("rejects anything else with a TypeError naming the argument", () => {
    expect(() => ensureDeferred(5 as never)).toThrow(/`value`/);
  });

  it("takes only a generator, not any iterator: it needs both next() and throw()", () => {
    const message = /Expected `value` to be a Deferred, a PromiseLike or a generator/;
    expect(() => ensureDeferred([1, 2][Symbol.iterator]() as never)).toThrow(message); // next, no throw
    expect(() => ensureDeferred({ throw() {} } as never)).toThrow(message); // throw, no next
  });
});
