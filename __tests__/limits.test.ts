// Limits (issue 12): long runs of the common shapes leave the heap flat. Each case runs a
// warm-up, a full collection, then a million (or 100,000) more, another collection, and
// compares the heap: what a shape allocates must all be garbage once it is done. Then the
// sizes no chain may fail at (no RangeError).
//
// The other limits live next to their primitive: 1,000,000-deep nested waits in
// deferred.test.ts; a coroutine yielding 1,000,000 fired Deferreds in coroutine.test.ts;
// 1,000,000 lock and semaphore hand-offs in one burst (contracts/mutex.ts) and 1,000,000
// semaphore cycles with a flat heap (lock.test.ts); 1,000,000 queue hand-offs and a flat heap
// over 1,000,000 items (queue.test.ts).
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

describe("sizes a chain takes without RangeError", () => {
  it("1,000,000 Deferreds linked by chainDeferred pass the first result to the last", () => {
    const n = 1_000_000;
    const ds: Deferred<number>[] = Array.from({ length: n + 1 }, () => new Deferred<number>());
    for (let i = 0; i < n; i++) ds[i]!.chainDeferred(ds[i + 1]!);
    ds[0]!.callback(42);
    let seen: number | undefined;
    ds[n]!.addCallback((v) => void (seen = v));
    expect(seen).toBe(42);
    expect(ds[0]!.called && ds[n >> 1]!.called).toBe(true);
  });

  it("100,000 steps on one Deferred run in order, queued before it fires or added after", () => {
    const n = 100_000;
    const pending = new Deferred<number>();
    for (let i = 0; i < n; i++) pending.addCallback((v) => (v === i ? v + 1 : -1));
    pending.callback(0);
    const fired = succeed(0);
    for (let i = 0; i < n; i++) fired.addCallback((v) => (v === i ? v + 1 : -1));
    const results: number[] = [];
    pending.addCallback((v) => void results.push(v));
    fired.addCallback((v) => void results.push(v));
    expect(results).toEqual([n, n]);
  });
});
