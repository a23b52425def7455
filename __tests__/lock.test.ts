import { CancelledError, Clock, Deferred, DeferredLock, DeferredQueue, DeferredSemaphore, deferLater, gatherResults } from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { type Mutex, mutexContract } from "./contracts/mutex.js";
import { secondCopy } from "./helpers.js";

mutexContract("DeferredLock", () => new DeferredLock(), (m) => (m as DeferredLock).locked);
mutexContract("DeferredSemaphore(1)", () => new DeferredSemaphore(1), (m) => (m as DeferredSemaphore).tokens === 0);

describe("DeferredLock", () => {
  it("runs acquire/release/run as Twisted's lock test does", () => {
    // Twisted: OtherPrimitivesTests.testLock
    const lock = new DeferredLock();
    let counter = 0;
    const incr = (): void => void counter++;
    void lock.acquire().addCallback(incr);
    expect([lock.locked, counter]).toEqual([true, 1]);
    void lock.acquire().addCallback(incr);
    expect([lock.locked, counter]).toEqual([true, 1]);
    lock.release();
    expect([lock.locked, counter]).toEqual([true, 2]);
    lock.release();
    expect([lock.locked, counter]).toEqual([false, 2]);
    expect(() => lock.run(undefined as never)).toThrow(TypeError);

    const control = new Deferred<string>();
    let seen: unknown;
    const result = lock.run((value: string) => {
      seen = value;
      return control;
    }, "first");
    expect([lock.locked, seen]).toEqual([true, "first"]);
    void lock.acquire().addCallback(incr);
    expect(counter).toBe(2);
    control.callback("second");
    expect(successResultOf(result)).toBe("second");
    expect([lock.locked, counter]).toEqual([true, 3]);
    const waiting = lock.acquire();
    waiting.cancel();
    failureResultOf(waiting, CancelledError);
    lock.release();
    expect(lock.locked).toBe(false);
  });

  it("leaves an acquired lock alone when its acquire() is cancelled", () => {
    // Twisted: OtherPrimitivesTests.test_cancelLockAfterAcquired
    const lock = new DeferredLock();
    const d = lock.acquire();
    d.cancel();
    expect(successResultOf(d)).toBe(lock);
  });

  it("fails a waiting acquire() with CancelledError when cancelled", () => {
    // Twisted: OtherPrimitivesTests.test_cancelLockBeforeAcquired
    const lock = new DeferredLock();
    void lock.acquire();
    const d = lock.acquire();
    d.cancel();
    failureResultOf(d, CancelledError);
  });

  it("cancels what a run() function returned, and releases when it fails", () => {
    const lock = new DeferredLock();
    let cancels = 0;
    const d = lock.run(() => new Deferred<string>(() => void cancels++));
    d.cancel();
    expect(cancels).toBe(1);
    failureResultOf(d, CancelledError);
    expect(lock.locked).toBe(false);
  });

  it("never calls a run() function whose run() was cancelled while waiting", () => {
    const lock = new DeferredLock();
    void lock.acquire();
    let called = false;
    const d = lock.run(() => void (called = true));
    d.cancel();
    lock.release();
    expect(called).toBe(false);
    expect(lock.locked).toBe(false);
    failureResultOf(d, CancelledError);
  });

  it("serialises writes (the README recipe)", () => {
    const clock = new Clock();
    const lock = new DeferredLock();
    const file: string[] = [];
    const write = (line: string): Deferred<number> => lock.run(() => deferLater(clock, 5, () => file.push(line)));
    const all = gatherResults(["a", "b", "c"].map(write));
    clock.pump([5, 5, 5]);
    expect(successResultOf(all)).toEqual([1, 2, 3]);
    expect(file).toEqual(["a", "b", "c"]);
  });

  it("releases itself when disposed, where the platform has Symbol.dispose", () => {
    const dispose = (Symbol as { dispose?: symbol }).dispose;
    expect(dispose).toBeDefined(); // Node 20 has it
    const lock = new DeferredLock();
    void lock.acquire();
    (lock as unknown as Record<symbol, () => void>)[dispose!]!();
    expect(lock.locked).toBe(false);
  });
});

describe("DeferredLock edge cases", () => {
  it("frees the lock when a hand-off finds everyone left in line cancelled", () => {
    const lock = new DeferredLock();
    lock.acquire();
    const first = lock.acquire();
    const second = lock.acquire();
    first.addCallback(() => {
      second.cancel(); // the rest of the line leaves...
      lock.release(); // ...and the token comes back inside the hand-off
    });
    lock.release();
    failureResultOf(second, CancelledError);
    expect(lock.locked).toBe(false);
    successResultOf(lock.acquire());
  });

  it("says what went wrong when released more often than acquired", () => {
    expect(() => new DeferredLock().release()).toThrow(
      new Error("DeferredLock#release(): the lock is not held (release() called more often than acquire())"),
    );
  });

  it("releases with Symbol.dispose, a writable, configurable method as `using` expects, also in a copy loaded late", () => {
    const dispose = (Symbol as { dispose?: symbol }).dispose;
    if (dispose === undefined) return; // a platform without it: nothing to check
    // A copy loaded while the program runs (another bundle's) sets its method up as it loads.
    for (const Lock of [DeferredLock, secondCopy().DeferredLock]) {
      const lock = new Lock();
      lock.acquire();
      (lock as unknown as Record<symbol, () => void>)[dispose]!();
      expect(lock.locked).toBe(false);
      let owner: object | null = Lock.prototype;
      while (owner !== null && !Object.prototype.hasOwnProperty.call(owner, dispose)) owner = Object.getPrototypeOf(owner) as object | null;
      const descriptor = owner === null ? undefined : Object.getOwnPropertyDescriptor(owner, dispose);
      expect(descriptor).toMatchObject({ writable: true, configurable: true });
    }
  });
});

describe("a waiter fired by hand", () => {
  // Not what a waiter is for, but the line must survive it: the token goes to the next one.
  it("is skipped: the lock goes to the next in line", () => {
    const lock = new DeferredLock();
    lock.acquire();
    const byHand = lock.acquire();
    const next = lock.acquire();
    byHand.callback(lock);
    lock.release();
    expect(successResultOf(next)).toBe(lock);
    expect(lock.locked).toBe(true);
  });

  it("is skipped, and with no one else in line the lock becomes free", () => {
    const lock = new DeferredLock();
    lock.acquire();
    const byHand = lock.acquire();
    byHand.callback(lock);
    lock.release(); // one waiter in line, but fired already: nobody takes the token
    expect(lock.locked).toBe(false);
    expect(successResultOf(lock.acquire())).toBe(lock);
    expect(lock.locked).toBe(true);
  });

  it("is skipped by a queue's put() too", () => {
    const queue = new DeferredQueue<number>();
    const byHand = queue.get();
    const next = queue.get();
    byHand.callback(0);
    queue.put(7);
    expect(successResultOf(next)).toBe(7);
  });
});

describe("DeferredSemaphore", () => {
  it("runs acquire/release/run as Twisted's semaphore test does", () => {
    // Twisted: OtherPrimitivesTests.testSemaphore
    const n = 13;
    const sem = new DeferredSemaphore(n);
    const control = new Deferred<void>();
    let arg: unknown;
    const result = sem.run((a: string) => {
      arg = a;
      return control;
    }, "unique");
    expect(arg).toBe("unique");
    assertNoResult(result);
    control.callback();
    expect(successResultOf(result)).toBeUndefined();
    let counter = 0;
    for (let i = 1; i <= n; i++) {
      void sem.acquire().addCallback(() => void counter++);
      expect(counter).toBe(i);
    }
    const cancelled = sem.acquire();
    cancelled.cancel();
    failureResultOf(cancelled, CancelledError);
    void sem.acquire().addCallback(() => void counter++);
    expect(counter).toBe(n);
    sem.release();
    expect(counter).toBe(n + 1);
    for (let i = 1; i <= n; i++) {
      sem.release();
      expect(counter).toBe(n + 1);
    }
    expect(sem.tokens).toBe(n);
  });

  it("rejects tokens that are not an integer >= 1, naming the argument", () => {
    // Twisted: OtherPrimitivesTests.test_semaphoreInvalidTokens (ValueError there)
    for (const bad of [0, -1, 1.5, NaN, Infinity]) expect(() => new DeferredSemaphore(bad)).toThrow(RangeError);
    expect(() => new DeferredSemaphore("2" as never)).toThrow(TypeError);
    expect(() => new DeferredSemaphore(0)).toThrow("Expected `tokens` to be an integer >= 1, got `0` (number)");
  });

  it("leaves an acquired token alone when its acquire() is cancelled", () => {
    // Twisted: OtherPrimitivesTests.test_cancelSemaphoreAfterAcquired
    const sem = new DeferredSemaphore(1);
    const d = sem.acquire();
    d.cancel();
    expect(successResultOf(d)).toBe(sem);
  });

  it("fails a waiting acquire() with CancelledError when cancelled", () => {
    // Twisted: OtherPrimitivesTests.test_cancelSemaphoreBeforeAcquired
    const sem = new DeferredSemaphore(1);
    void sem.acquire();
    const d = sem.acquire();
    d.cancel();
    failureResultOf(d, CancelledError);
  });

  it("throws when released above its limit", () => {
    const sem = new DeferredSemaphore(2);
    expect(() => sem.release()).toThrow("all 2 tokens are already free");
  });

  it("keeps at most `limit` run() functions going, and serves 100,000 waiters in order", () => {
    const sem = new DeferredSemaphore(10);
    const gates = Array.from({ length: 100_000 }, () => new Deferred<number>());
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    const runs = gates.map((gate, i) =>
      sem.run(() => {
        inside++;
        most = Math.max(most, inside);
        order.push(i);
        return gate.addCallback((v) => {
          inside--;
          return v;
        });
      }),
    );
    expect(sem.tokens).toBe(0);
    gates.forEach((gate, i) => gate.callback(i));
    expect(most).toBe(10);
    expect(order.every((v, i) => v === i)).toBe(true);
    expect(successResultOf(runs[99_999]!)).toBe(99_999);
    expect(sem.tokens).toBe(10);
  });

  it("leaves the heap flat after a million cycles", () => {
    const gc = (globalThis as { gc?: () => void }).gc!;
    const sem = new DeferredSemaphore(2);
    const cycle = (n: number): void => {
      for (let i = 0; i < n; i++) {
        void sem.acquire();
        void sem.acquire();
        const waiting = sem.acquire();
        sem.release();
        sem.release();
        void waiting;
        sem.release();
      }
    };
    cycle(10_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    cycle(1_000_000);
    gc();
    const after = process.memoryUsage().heapUsed;
    expect(after / before).toBeLessThan(1.1);
    expect(sem.tokens).toBe(2);
  });
});

// The interface the contract drives (a type check only).
const _lockIsMutex: Mutex = new DeferredLock();
void _lockIsMutex;
