// Limits (issue 12): long runs of the common shapes leave the heap flat. Each case runs a
// warm-up, a full collection, then a million (or 100,000) more, another collection, and
// compares the heap: what a shape allocates must all be garbage once it is done.
import { CancelledError, Clock, Deferred, deferLater, succeed } from "../src/index.js";

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("these tests need node --expose-gc (npm test runs jest with it)");
  collect();
}

/** The heap after `run(n)` over the heap after a warm-up `run(warm)`, both after a full GC. */
function heapGrowth(run: (n: number) => void, n: number, warm = 10_000): number {
  run(warm);
  gc();
  const before = process.memoryUsage().heapUsed;
  run(n);
  gc();
  return process.memoryUsage().heapUsed / before;
}

describe("the heap stays flat", () => {
  it("over 1,000,000 Deferreds fired and dropped, each with a step", () => {
    let sum = 0;
    const growth = heapGrowth((n) => {
      for (let i = 0; i < n; i++) succeed(i).addCallback((v) => void (sum += v));
    }, 1_000_000);
    expect(growth).toBeLessThan(1.1);
    expect(sum).toBeGreaterThan(0);
  });

  it("over 1,000,000 deferLater calls cancelled before their time", () => {
    const clock = new Clock();
    let cancelled = 0;
    const growth = heapGrowth((n) => {
      for (let i = 0; i < n; i++) {
        const d = deferLater(clock, 1000, () => i);
        d.addErrback((f) => void (CancelledError.is(f.value) && cancelled++));
        d.cancel();
      }
    }, 1_000_000);
    expect(growth).toBeLessThan(1.1);
    expect(clock.getDelayedCalls()).toEqual([]);
    expect(cancelled).toBe(1_010_000);
  });

  it("over 100,000 Deferreds tied to one long-lived AbortSignal and fired", () => {
    const controller = new AbortController();
    const growth = heapGrowth((n) => {
      for (let i = 0; i < n; i++) {
        const d = new Deferred<number>().cancelOn(controller.signal);
        d.callback(i);
      }
    }, 100_000);
    expect(growth).toBeLessThan(1.1);
    expect(controller.signal.aborted).toBe(false);
  });
});
