// Regressions found in review, each pinned as the rule it broke.
import { Deferred, DeferredList, FirstError, CancelledError, gatherResults, maybeDeferred, succeed } from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";

describe("Deferred#cancel() of a Deferred waiting on a combinator", () => {
  it.each([
    ["gatherResults", (xs: Deferred<number>[]) => gatherResults(xs)],
    ["DeferredList", (xs: Deferred<number>[]) => new DeferredList(xs)],
  ])("cancels the inputs of the %s it waits on, through the combinator's own cancel()", (_name, make) => {
    let inputCancelled = 0;
    const input = new Deferred<number>(() => {
      inputCancelled++;
    });
    const list = make([input]);
    const d = succeed(0).addCallback(() => list);
    d.cancel();
    expect(inputCancelled).toBe(1);
    failureResultOf(input, CancelledError);
    // gatherResults fails with FirstError(CancelledError); a DeferredList fires with its entries.
    if (list instanceof DeferredList) expect((successResultOf(d) as unknown as [boolean][])[0]![0]).toBe(false);
    else expect((failureResultOf(d, FirstError).value as FirstError).subFailure.check(CancelledError)).toBe(CancelledError);
  });
});

describe("looking at a chain whose value is a thenable", () => {
  const thenable = () => {
    let calls = 0;
    return {
      then(onFulfilled: (v: string) => void) {
        calls++;
        onFulfilled("rows");
      },
      get calls() {
        return calls;
      },
    };
  };

  it("successResultOf returns the thenable itself and never calls its then", () => {
    const q = thenable();
    const d = succeed(q);
    expect(successResultOf(d)).toBe(q);
    expect(successResultOf(d)).toBe(q);
    expect(q.calls).toBe(0);
  });

  it("successResultOf leaves a Deferred holding a Promise value as it was, not waiting", () => {
    const p = Promise.resolve(1);
    const d = succeed(p);
    expect(successResultOf(d)).toBe(p);
    expect(d.paused).toBe(0);
  });

  it("assertNoResult adds no step to a pending Deferred", async () => {
    const d = new Deferred<number>();
    for (let i = 0; i < 5; i++) assertNoResult(d);
    const seen: unknown[] = [];
    d.addCallback((v) => seen.push(v));
    d.callback(1);
    expect(seen).toEqual([1]);
  });

  it("asPromise() of a pending Deferred neither adopts nor changes a thenable value it later gets", async () => {
    const q = thenable();
    const d = new Deferred<unknown>();
    const p = d.asPromise();
    d.callback(q);
    expect(d.paused).toBe(0);
    expect(successResultOf(d)).toBe(q);
    expect(await p).toBe("rows"); // the native Promise adopts it, as promises do
  });

  it("a step that returns the thenable value it received passes it on without waiting", () => {
    const q = thenable();
    const d = succeed(q).addCallback((v) => v);
    expect(successResultOf(d)).toBe(q);
    expect(q.calls).toBe(0);
  });

  it("gatherResults keeps an input's thenable value and the input's chain unchanged", () => {
    const q = thenable();
    const input = succeed(q);
    expect(successResultOf(gatherResults([input]))).toEqual([q]);
    expect(successResultOf(input)).toBe(q);
    expect(q.calls).toBe(0);
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
