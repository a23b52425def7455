// The AbortSignal bridge at its edges: what a CancelledError's cause looks like, signal-likes
// that are not quite signals, and platforms without an AbortController.
import { CancelledError, Deferred, fromCallback, type AbortSignalLike } from "../src/index.js";
import { failureResultOf, successResultOf } from "../src/testing.js";

/** A signal-like that records how listeners were added and removed. */
function recordingSignal(): AbortSignalLike & { added: unknown[]; removed: number; fire(): void } {
  let listener: (() => void) | undefined;
  return {
    aborted: false,
    reason: "recorded reason",
    added: [],
    removed: 0,
    addEventListener(_type: string, fn: () => void, options?: unknown) {
      listener = fn;
      this.added.push(options);
    },
    removeEventListener() {
      this.removed++;
    },
    fire() {
      (this as { aborted: boolean }).aborted = true;
      listener?.();
    },
  } as AbortSignalLike & { added: unknown[]; removed: number; fire(): void };
}

describe("cancelOn(signal)", () => {
  it("gives the CancelledError the abort reason as a writable, configurable, hidden cause", () => {
    const controller = new AbortController();
    const d = new Deferred<number>().cancelOn(controller.signal);
    const reason = new Error("user left");
    controller.abort(reason);
    const error = failureResultOf(d, CancelledError).value;
    expect(Object.getOwnPropertyDescriptor(error, "cause")).toEqual({
      value: reason,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  });

  it("gives the cause to the cancels of that abort only, not to a later cancel()", () => {
    const controller = new AbortController();
    new Deferred<number>().cancelOn(controller.signal).addErrback(() => undefined);
    controller.abort(new Error("once"));
    const later = new Deferred<number>();
    later.cancel();
    expect("cause" in failureResultOf(later, CancelledError).value).toBe(false);
  });

  it("listens once, and keeps listening while any Deferred tied to the signal is pending", () => {
    const signal = recordingSignal();
    const first = new Deferred<number>().cancelOn(signal);
    const second = new Deferred<number>().cancelOn(signal);
    expect(signal.added).toEqual([{ once: true }]);
    first.callback(1);
    expect(signal.removed).toBe(0); // second still tied
    signal.fire();
    expect(failureResultOf(second, CancelledError).value.cause).toBe("recorded reason");
    expect(successResultOf(first)).toBe(1);
  });

  it("stops listening once the last tied Deferred has its result", () => {
    const signal = recordingSignal();
    const only = new Deferred<number>().cancelOn(signal);
    only.callback(1);
    expect(signal.removed).toBe(1);
  });

  it.each([
    ["without addEventListener", { aborted: false, removeEventListener() {} }],
    ["without removeEventListener", { aborted: false, addEventListener() {} }],
    ["whose aborted is not a boolean", { aborted: "no", addEventListener() {}, removeEventListener() {} }],
  ])("refuses a signal-like %s with a TypeError naming it", (_label, signal) => {
    expect(() => new Deferred().cancelOn(signal as never)).toThrow(/Expected `signal` to be an AbortSignal/);
  });
});

describe("Deferred.fromPromise and fromCallback at their edges", () => {
  it("refuses options beside a function, and names what was not a PromiseLike", () => {
    const p = new Promise<number>(() => undefined);
    expect(() => Deferred.fromPromise((() => p) as never, { abort: () => undefined })).toThrow(
      new TypeError("Expected no `options` with a function: it is given the signal that cancel() aborts"),
    );
    expect(() => Deferred.fromPromise((() => 5) as never)).toThrow("Expected what `fn` returned to be a PromiseLike, got");
    expect(() => Deferred.fromPromise(5 as never, { abort: () => undefined })).toThrow("Expected `promise` to be a PromiseLike, got");
  });

  it("takes an AbortController-like object or a function as abort, and nothing else", () => {
    const aborted: string[] = [];
    const p = new Promise<number>(() => undefined);
    Deferred.fromPromise(p, { abort: { signal: null, abort: () => aborted.push("object") } }).cancel();
    Deferred.fromPromise(p, { abort: () => aborted.push("function") }).cancel();
    expect(aborted).toEqual(["object", "function"]);
    expect(() => Deferred.fromPromise(p, { abort: 5 as never })).toThrow(/Expected `options.abort`/);
    expect(() => Deferred.fromPromise(p, { abort: { abort: 5 } as never })).toThrow(/Expected `options.abort`/);
    expect(() => Deferred.fromPromise(p, { abort: null as never })).toThrow(
      new TypeError("Expected `options.abort` to be an AbortController or a function, got `null` (null)"),
    );
    // Options name what stops the work: options without it are a mistake, named as such.
    expect(() => Deferred.fromPromise(p, {} as never)).toThrow(
      new TypeError("Expected `options.abort` to be an AbortController or a function, got `undefined` (undefined)"),
    );
  });

  it("fromCallback keeps a result given before start() throws, and does not throw itself", () => {
    let d: Deferred<number> | undefined;
    expect(() => {
      d = fromCallback<number>((done) => {
        done(null, 1);
        throw new Error("after the result");
      });
    }).not.toThrow();
    expect(successResultOf(d!)).toBe(1);
  });

  it("says which API needs an AbortController on a platform without one", () => {
    const saved = globalThis.AbortController;
    (globalThis as { AbortController?: unknown }).AbortController = undefined;
    try {
      expect(() => fromCallback(() => undefined)).toThrow(
        new TypeError("fromCallback() needs the platform's AbortController (Node 16+, current browsers)"),
      );
      expect(() => Deferred.fromPromise(() => Promise.resolve(1))).toThrow("Deferred.fromPromise(fn) needs the platform's AbortController");
      expect(() => new Deferred().asSignal()).toThrow("Deferred#asSignal() needs the platform's AbortController");
    } finally {
      globalThis.AbortController = saved;
    }
  });
});
