import { CancelledError, Deferred, DeferredQueue, Failure, QueueOverflow, QueueUnderflow } from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { twoTimings } from "./helpers.js";

const timings = twoTimings("item put before the get", "item put after the get");

describe.each(timings)("DeferredQueue ($label)", ({ run }) => {
  it("gives each item to exactly one get, in order", () => {
    const queue = new DeferredQueue<number>();
    const gets: Deferred<number>[] = [];
    run(
      () => [1, 2, 3].forEach((n) => queue.put(n)),
      () => {
        for (let i = 0; i < 3; i++) gets.push(queue.get());
      },
    );
    expect(gets.map((d) => successResultOf(d))).toEqual([1, 2, 3]);
    expect([queue.pending, queue.waiting]).toEqual([0, 0]);
  });
});

describe("DeferredQueue", () => {
  it("runs Twisted's queue test: limits, underflow, overflow, order", () => {
    // Twisted: OtherPrimitivesTests.testQueue
    const n = 2;
    const m = 2;
    let queue = new DeferredQueue<number>(n, m);
    let gotten: number[] = [];
    for (let i = 0; i < m; i++) void queue.get().addCallback((v) => void gotten.push(v));
    expect(() => queue.get()).toThrow(QueueUnderflow);
    for (let i = 0; i < m; i++) {
      queue.put(i);
      expect(gotten).toEqual([...Array(i + 1).keys()]);
    }
    for (let i = 0; i < n; i++) {
      queue.put(n + i);
      expect(gotten).toEqual([0, 1]);
    }
    expect(() => queue.put(99)).toThrow(QueueOverflow);
    gotten = [];
    for (let i = 0; i < n; i++) {
      void queue.get().addCallback((v) => void gotten.push(v));
      expect(gotten).toEqual([2, 3].slice(0, i + 1));
    }
    queue = new DeferredQueue<number>();
    gotten = [];
    for (let i = 0; i < n; i++) void queue.get().addCallback((v) => void gotten.push(v));
    for (let i = 0; i < n; i++) queue.put(i);
    expect(gotten).toEqual([0, 1]);
    expect(() => new DeferredQueue<null>(0).put(null)).toThrow(QueueOverflow);
    expect(() => new DeferredQueue<null>(Infinity, 0).get()).toThrow(QueueUnderflow);
  });

  it("does nothing when a get that already has its item is cancelled", () => {
    // Twisted: OtherPrimitivesTests.test_cancelQueueAfterSynchronousGet
    const queue = new DeferredQueue<string>();
    const d = queue.get();
    queue.put("x");
    d.cancel();
    expect(successResultOf(d)).toBe("x");
  });

  it("takes a cancelled get out of the line: a later item goes to the next get", () => {
    // Twisted: OtherPrimitivesTests.test_cancelQueueAfterGet
    const queue = new DeferredQueue<string>();
    const cancelled = queue.get();
    const next = queue.get();
    cancelled.cancel();
    failureResultOf(cancelled, CancelledError);
    queue.put("item");
    expect(successResultOf(next)).toBe("item");
    expect([queue.pending, queue.waiting]).toEqual([0, 0]);
  });

  it("rejects an options.signal that is not a signal, naming it, and waits for nothing", () => {
    const queue = new DeferredQueue<number>();
    expect(() => queue.get({ signal: 42 as unknown as AbortSignal })).toThrow(
      new TypeError("Expected `options.signal` to be an AbortSignal, got `42` (number)"),
    );
    expect(queue.waiting).toBe(0);
  });

  it("gives an item to a get whose signal never aborts", () => {
    const queue = new DeferredQueue<number>();
    const controller = new AbortController();
    const d = queue.get({ signal: controller.signal });
    expect(queue.waiting).toBe(1);
    queue.put(1);
    expect(successResultOf(d)).toBe(1);
  });

  it("cancels a waiting get when its signal aborts", () => {
    const queue = new DeferredQueue<string>();
    const controller = new AbortController();
    const d = queue.get({ signal: controller.signal });
    controller.abort("closing");
    expect((failureResultOf(d, CancelledError).value as CancelledError).cause).toBe("closing");
    queue.put("kept");
    expect(queue.pending).toBe(1);
  });

  it("rejects bad limits, naming the argument", () => {
    expect(() => new DeferredQueue(-1)).toThrow("Expected `size` to be an integer >= 0 or Infinity, got `-1` (number)");
    expect(() => new DeferredQueue(1.5)).toThrow(RangeError);
    expect(() => new DeferredQueue(Infinity, 0.5)).toThrow(/`backlog`/);
    expect(() => new DeferredQueue("3" as never)).toThrow(TypeError);
  });

  it("counts against the backlog only the gets that the buffered items will not serve", () => {
    // Inside a hand-off, items put by a consumer wait in the buffer for the gets ahead of them:
    // a get made there is over the backlog only if it would still wait once they are served.
    const queue = new DeferredQueue<number>(Infinity, 2);
    const first = queue.get();
    const second = queue.get(); // the backlog is full
    let third: Deferred<number> | undefined;
    first.addCallback((n) => {
      queue.put(2);
      queue.put(3); // 2 goes to `second`, 3 to the get below: none of them will wait
      third = queue.get();
      return n;
    });
    queue.put(1);
    expect([successResultOf(first), successResultOf(second), successResultOf(third!)]).toEqual([1, 2, 3]);
    expect([queue.pending, queue.waiting]).toEqual([0, 0]);
  });

  it("keeps FIFO order when a consumer puts again from inside its get's callback", () => {
    const queue = new DeferredQueue<number>();
    const seen: number[] = [];
    const consume = (n: number): void => {
      seen.push(n);
      if (n < 5) queue.put(n + 10);
      if (seen.length < 8) void queue.get().addCallback(consume);
    };
    void queue.get().addCallback(consume);
    void queue.get().addCallback((n) => void seen.push(-n));
    queue.put(1);
    queue.put(2);
    queue.put(3);
    // 1 goes to the first get; 11, put from its callback, goes to the get that waited next (the
    // second), before the callback's own new get. Then 2 -> 12 -> 3 -> 13, each in turn.
    expect(seen).toEqual([1, -11, 2, 12, 3, 13]);
  });

  it("hands a million items to gets that each take the next, without growing the stack", () => {
    const queue = new DeferredQueue<number>();
    let sum = 0;
    let got = 0;
    const n = 1_000_000;
    const take = (item: number): void => {
      sum += item;
      if (++got < n) void queue.get().addCallback(take);
    };
    void queue.get().addCallback(take);
    for (let i = 0; i < n; i++) queue.put(1);
    expect(sum).toBe(n);
  });

  it("does not recurse when each consumer's callback puts the next item", () => {
    const queue = new DeferredQueue<number>();
    const n = 1_000_000;
    const gets = Array.from({ length: n }, () => queue.get());
    let last = 0;
    gets.forEach((d) => void d.addCallback((v) => {
      last = v;
      if (v < n) queue.put(v + 1);
    }));
    queue.put(1);
    expect(last).toBe(n);
  });

  it("leaves the heap flat after a million items", () => {
    const gc = (globalThis as { gc?: () => void }).gc!;
    const queue = new DeferredQueue<object>();
    const cycle = (count: number): void => {
      for (let i = 0; i < count; i++) {
        const d = queue.get();
        queue.put({ i });
        queue.put({ i });
        void d;
        void queue.get();
      }
    };
    cycle(10_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    cycle(1_000_000);
    gc();
    expect(process.memoryUsage().heapUsed / before).toBeLessThan(1.1);
    expect([queue.pending, queue.waiting]).toEqual([0, 0]);
  });
});

describe("DeferredQueue with for await", () => {
  it("consumes items in order, and break leaves no waiting get behind", async () => {
    const queue = new DeferredQueue<string>();
    queue.put("a");
    queue.put("b");
    const seen: string[] = [];
    setTimeout(() => queue.put("c"), 1);
    for await (const item of queue) {
      seen.push(item);
      if (item === "c") break;
    }
    expect(seen).toEqual(["a", "b", "c"]);
    expect(queue.waiting).toBe(0);
    queue.put("d");
    expect(queue.pending).toBe(1);
  });

  it("return() while a get waits cancels it and ends the pending next()", async () => {
    const queue = new DeferredQueue<number>();
    const it = queue[Symbol.asyncIterator]();
    const pending = it.next();
    expect(queue.waiting).toBe(1);
    await it.return!();
    expect(queue.waiting).toBe(0);
    expect(await pending).toEqual({ value: undefined, done: true });
    queue.put(1);
    expect(queue.pending).toBe(1); // nothing was lost to the cancelled get
    assertNoResult(new Deferred());
  });

  it("return() cancels the latest waiting next() even after an earlier one got its item", async () => {
    const queue = new DeferredQueue<number>();
    const it = queue[Symbol.asyncIterator]();
    const first = it.next();
    const second = it.next(); // two gets wait, in order
    queue.put(1);
    expect(await first).toEqual({ value: 1, done: false });
    await it.return!();
    expect(await second).toEqual({ value: undefined, done: true });
    queue.put(2);
    expect(successResultOf(queue.get())).toBe(2); // not lost to the second, cancelled get
  });

  it("a Failure put into the queue makes the loop throw its error", async () => {
    const queue = new DeferredQueue<number>();
    queue.put(1);
    queue.put(new Failure(new Error("bad item")) as never);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of queue) seen.push(n);
      })(),
    ).rejects.toThrow("bad item");
    expect(seen).toEqual([1]);
  });

  it("return() cancels the latest waiting next() even after an earlier one failed", async () => {
    const queue = new DeferredQueue<number>();
    const it = queue[Symbol.asyncIterator]();
    const first = it.next();
    const second = it.next();
    queue.put(new Failure(new Error("bad item")) as never);
    await expect(first).rejects.toThrow("bad item");
    await it.return!();
    expect(await second).toEqual({ value: undefined, done: true });
    queue.put(2);
    expect(successResultOf(queue.get())).toBe(2);
  });

  it("next() after return() is done at once and takes nothing from the queue", async () => {
    const queue = new DeferredQueue<number>();
    queue.put(5);
    const it = queue[Symbol.asyncIterator]();
    await it.return!();
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect([queue.pending, queue.waiting]).toEqual([1, 0]);
  });

  it("names the size and the backlog in its overflow and underflow errors", () => {
    const full = new DeferredQueue<number>(1);
    full.put(1);
    expect(() => full.put(2)).toThrow(/^DeferredQueue is full: 1 items are waiting for a get\(\)/);
    const busy = new DeferredQueue<number>(Infinity, 1);
    busy.get();
    expect(() => busy.get()).toThrow(/^DeferredQueue backlog is full: 1 gets are waiting/);
  });
});
