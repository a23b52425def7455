import {
  CancelledError,
  Clock,
  Deferred,
  DeferredList,
  DeferredLock,
  DeferredQueue,
  deferLater,
  gatherResults,
  race,
  succeed,
} from "../../src/index.js";
import { failureResultOf, successResultOf } from "../../src/testing.js";
import { setWait, type Wait, waitsOf } from "../../src/internal/waits.js";

// Tests of an internal module: the one protocol for "what does this Deferred wait on".

function recordingWait(done: boolean, fire?: (d: Deferred<unknown>) => void): Wait & { cancelled: Deferred<unknown>[] } {
  const cancelled: Deferred<unknown>[] = [];
  return {
    cancelled,
    _waitsOn: () => ["something"],
    _cancelWait: (d) => {
      cancelled.push(d);
      fire?.(d);
      return done;
    },
  };
}

describe("waitsOf", () => {
  it("is empty for a pending Deferred with or without a canceller, and for a fired one", () => {
    expect(waitsOf(new Deferred())).toEqual([]);
    expect(waitsOf(new Deferred(() => {}))).toEqual([]);
    expect(waitsOf(succeed(1))).toEqual([]);
  });

  it("names the lock, semaphore or queue a waiter stands in line for", () => {
    const lock = new DeferredLock();
    lock.acquire();
    expect(waitsOf(lock.acquire())).toEqual([lock]);
    const queue = new DeferredQueue<number>();
    expect(waitsOf(queue.get())).toEqual([queue]);
  });

  it("names the Deferred a chain is paused on", () => {
    const inner = new Deferred<number>();
    const outer = succeed(0).addCallback(() => inner);
    expect(waitsOf(outer)).toEqual([inner]);
    inner.callback(1);
    expect(waitsOf(outer)).toEqual([]);
  });

  it("names the inputs of DeferredList, gatherResults and race until they fire", () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    for (const combined of [new DeferredList([a, b]), gatherResults([a, b]), race([a, b])]) {
      expect(waitsOf(combined as Deferred<unknown>)).toEqual([a, b]);
    }
    const fired = gatherResults([succeed(1)]);
    expect(waitsOf(fired)).toEqual([]);
  });

  it("names deferLater's clock call until it runs", () => {
    const clock = new Clock();
    const d = deferLater(clock, 10);
    expect(waitsOf(d)).toEqual(clock.getDelayedCalls());
    expect(waitsOf(d)).toHaveLength(1);
    clock.advance(10);
    expect(waitsOf(d)).toEqual([]);
  });
});

describe("cancel() through a Wait", () => {
  it("calls cancelWait with the Deferred, then errbacks it with CancelledError when it returns false", () => {
    const d = new Deferred<number>();
    const wait = recordingWait(false);
    setWait(d as Deferred<unknown>, wait);
    expect(waitsOf(d)).toEqual(["something"]);
    d.cancel();
    expect(wait.cancelled).toEqual([d]);
    failureResultOf(d, CancelledError);
  });

  it("leaves the Deferred as cancelWait left it when it returns true", () => {
    const pending = new Deferred<number>();
    const wait = recordingWait(true);
    setWait(pending as Deferred<unknown>, wait);
    pending.cancel();
    expect(wait.cancelled).toEqual([pending]);
    expect(pending.called).toBe(false);

    const fired = new Deferred<number>();
    setWait(fired as Deferred<unknown>, recordingWait(true, (d) => d.callback(7)));
    fired.cancel();
    expect(successResultOf(fired)).toBe(7);
  });

  it("reaches a Wait at the bottom of a chain of waits", () => {
    const bottom = new Deferred<number>();
    const wait = recordingWait(false);
    setWait(bottom as Deferred<unknown>, wait);
    const top = succeed(0).addCallback(() => bottom);
    top.cancel();
    expect(wait.cancelled).toEqual([bottom]);
    failureResultOf(top, CancelledError);
  });

  it("errbacks with what cancelWait threw", () => {
    const d = new Deferred<number>();
    const error = new Error("cannot cancel");
    setWait(d as Deferred<unknown>, {
      _waitsOn: () => [],
      _cancelWait: () => {
        throw error;
      },
    });
    d.cancel();
    expect(failureResultOf(d).value).toBe(error);
  });

});
