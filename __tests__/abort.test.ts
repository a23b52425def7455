// AbortSignal, both ways: Deferred#cancelOn(signal) and Deferred#asSignal().
import { getEventListeners } from "node:events";
import {
  CancelledError,
  Clock,
  Deferred,
  deferLater,
  DeferredList,
  inlineCallbacks,
  succeed,
  type AbortSignalLike,
} from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";

const listenerCount = (signal: AbortSignal): number => getEventListeners(signal, "abort").length;

describe("Deferred#cancelOn(signal)", () => {
  it("cancels the Deferred when the signal aborts, with the signal's reason as the error's cause", () => {
    const controller = new AbortController();
    let cancels = 0;
    const d = new Deferred<string>(() => void cancels++).cancelOn(controller.signal);
    assertNoResult(d);
    const reason = new Error("user left");
    controller.abort(reason);
    expect(cancels).toBe(1);
    expect((failureResultOf(d, CancelledError).value as CancelledError).cause).toBe(reason);
  });

  it("cancels at once for a signal that has already aborted", () => {
    const d = new Deferred<string>().cancelOn(AbortSignal.abort("too late"));
    expect((failureResultOf(d, CancelledError).value as CancelledError).cause).toBe("too late");
  });

  it("reaches what the chain waits on, and gives the cause to every CancelledError it makes", () => {
    const controller = new AbortController();
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const d = succeed(0)
      .addCallback(() => new DeferredList([a, b]))
      .cancelOn(controller.signal);
    controller.abort("stop");
    for (const input of [a, b]) expect((failureResultOf(input, CancelledError).value as CancelledError).cause).toBe("stop");
    expect(successResultOf(d).map(([ok]) => ok)).toEqual([false, false]);
  });

  it("leaves a CancelledError from a plain cancel() without a cause", () => {
    const d = new Deferred<number>();
    d.cancel();
    expect("cause" in (failureResultOf(d, CancelledError).value as object)).toBe(false);
  });

  it("removes its listener once the Deferred fires, so a long-lived signal keeps none", () => {
    const controller = new AbortController();
    const ds = Array.from({ length: 100_000 }, () => new Deferred<number>().cancelOn(controller.signal));
    expect(listenerCount(controller.signal)).toBe(1); // one for all: Node warns past ten
    ds.forEach((d, i) => d.callback(i));
    expect(listenerCount(controller.signal)).toBe(0);
    controller.abort();
    expect(successResultOf(ds[7]!)).toBe(7);
  });

  it("adds no listener to a Deferred that already has its result", () => {
    const controller = new AbortController();
    succeed(1).cancelOn(controller.signal);
    expect(listenerCount(controller.signal)).toBe(0);
  });

  it("cancels the Deferreds tied to one signal in the order they were tied", () => {
    const controller = new AbortController();
    const order: number[] = [];
    const ds = [0, 1, 2].map((i) =>
      new Deferred<void>(() => {
        order.push(i);
      }).cancelOn(controller.signal),
    );
    for (const d of ds) d.addErrback(() => undefined);
    controller.abort();
    expect(order).toEqual([0, 1, 2]);
  });

  it("leaves alone a tied Deferred that an earlier one's cancellation fired", () => {
    const controller = new AbortController();
    const second = new Deferred<string>().cancelOn(controller.signal);
    const first = new Deferred<string>().cancelOn(controller.signal);
    first.addErrback(() => second.callback("fired by the first"));
    // `second` was tied first, so it is cancelled first; tie them the other way round too.
    const a = new Deferred<string>().cancelOn(controller.signal);
    const b = new Deferred<string>().cancelOn(controller.signal);
    a.addErrback(() => b.callback("fired by a"));
    controller.abort();
    failureResultOf(second, CancelledError);
    expect(successResultOf(b)).toBe("fired by a");
    expect(listenerCount(controller.signal)).toBe(0);
  });

  it("listens again after every tied Deferred fired, and still cancels", () => {
    const controller = new AbortController();
    new Deferred<number>().cancelOn(controller.signal).callback(1);
    expect(listenerCount(controller.signal)).toBe(0);
    const d = new Deferred<number>().cancelOn(controller.signal);
    expect(listenerCount(controller.signal)).toBe(1);
    controller.abort();
    failureResultOf(d, CancelledError);
  });

  it("cancels a deferLater, whose timer then goes", () => {
    const clock = new Clock();
    const controller = new AbortController();
    const d = deferLater(clock, 1000, () => "ran").cancelOn(controller.signal);
    controller.abort();
    failureResultOf(d, CancelledError);
    expect(clock.getDelayedCalls()).toHaveLength(0);
  });

  it("cancels a coroutine: the CancelledError is thrown at its yield", () => {
    const controller = new AbortController();
    let seen: unknown;
    const d = inlineCallbacks(function* () {
      try {
        yield new Deferred<void>();
      } catch (e) {
        seen = e;
        throw e;
      }
    })().cancelOn(controller.signal);
    controller.abort("bye");
    expect((seen as CancelledError).cause).toBe("bye");
    failureResultOf(d, CancelledError);
  });

  it("accepts any object shaped like an AbortSignal", () => {
    const listeners: (() => void)[] = [];
    const signal: AbortSignalLike = {
      aborted: false,
      reason: "shaped",
      addEventListener: (_type, listener) => void listeners.push(listener),
      removeEventListener: (_type, listener) => void listeners.splice(listeners.indexOf(listener), 1),
    };
    const d = new Deferred<number>().cancelOn(signal);
    expect(listeners).toHaveLength(1);
    listeners[0]!();
    expect((failureResultOf(d, CancelledError).value as CancelledError).cause).toBe("shaped");
    expect(listeners).toHaveLength(0);
  });

  it("rejects something that is not a signal with a TypeError naming it", () => {
    expect(() => new Deferred().cancelOn({} as never)).toThrow(/`signal`/);
    expect(() => new Deferred().cancelOn(null as never)).toThrow(TypeError);
  });
});

describe("Deferred#asSignal()", () => {
  it("aborts when the Deferred is cancelled, with the CancelledError as reason", () => {
    const d = new Deferred<string>();
    const signal = d.asSignal();
    expect(signal.aborted).toBe(false);
    d.cancel();
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(CancelledError);
    failureResultOf(d, CancelledError); // the chain keeps its failure
  });

  it("aborts with the failure's value when the chain fails, and never on success", () => {
    const failing = new Deferred<string>();
    const failed = failing.asSignal();
    const error = new RangeError("r");
    failing.errback(error);
    expect(failed.reason).toBe(error);
    failureResultOf(failing, RangeError);

    const succeeding = new Deferred<string>();
    const kept = succeeding.asSignal();
    succeeding.callback("ok");
    expect(kept.aborted).toBe(false);
  });

  it("stops a platform API that listens to it", async () => {
    const d = new Deferred<void>();
    const { setTimeout: sleep } = await import("node:timers/promises");
    const slept = sleep(60_000, undefined, { signal: d.asSignal() });
    d.cancel();
    await expect(slept).rejects.toMatchObject({ name: "AbortError" });
  });
});
