// The mutual-exclusion contract: one suite that DeferredLock and DeferredSemaphore(1) both run
// (STYLE 11, as async-mutex runs its mutex suite over each of its mutexes).
import { CancelledError, Deferred, fail } from "../../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../../src/testing.js";
import { twoTimings } from "../helpers.js";

/** What the contract needs of a mutex: DeferredLock and DeferredSemaphore(1) have all of it. */
export interface Mutex {
  acquire(options?: { signal?: AbortSignal }): Deferred<unknown>;
  release(): void;
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Deferred<unknown>;
}

/** Whether the mutex is held, as the implementation tells it. */
export type IsHeld = (mutex: Mutex) => boolean;

export function mutexContract(name: string, make: () => Mutex, isHeld: IsHeld): void {
  // STYLE 9: the holder lets go before the next one asks, or while it waits.
  describe.each(twoTimings("released before the next acquire()", "released while the next acquire() waits"))(
    `${name}: mutex contract ($label)`,
    ({ run, firedFirst }) => {
      it("gives the mutex to the next acquire(), which fires with it", () => {
        const mutex = make();
        void mutex.acquire();
        let next: Deferred<unknown> | undefined;
        run(
          () => mutex.release(),
          () => {
            next = mutex.acquire();
            if (!firedFirst) assertNoResult(next);
          },
        );
        expect(successResultOf(next!)).toBe(mutex);
        expect(isHeld(mutex)).toBe(true);
      });

      it("releases after a run() whose function's Deferred fires, and the next run() goes in", () => {
        const mutex = make();
        const gate = new Deferred<string>();
        const first = mutex.run(() => gate);
        let second: Deferred<unknown> | undefined;
        run(
          () => gate.callback("first"),
          () => {
            second = mutex.run(() => "second");
          },
        );
        expect([successResultOf(first), successResultOf(second!)]).toEqual(["first", "second"]);
        expect(isHeld(mutex)).toBe(false);
      });
    },
  );

  describe(`${name}: mutex contract`, () => {
    it("lets one holder in at a time and serves the others first come, first served", () => {
      const mutex = make();
      const order: number[] = [];
      for (let i = 0; i < 4; i++) void mutex.acquire().addCallback(() => void order.push(i));
      expect(order).toEqual([0]);
      for (let i = 1; i < 4; i++) {
        mutex.release();
        expect(order).toEqual([0, 1, 2, 3].slice(0, i + 1));
      }
      expect(isHeld(mutex)).toBe(true);
      mutex.release();
      expect(isHeld(mutex)).toBe(false);
    });

    it("fires acquire() with the mutex itself", () => {
      const mutex = make();
      expect(successResultOf(mutex.acquire())).toBe(mutex);
    });

    it("never runs two run() functions at once, and releases after each", () => {
      const mutex = make();
      let inside = 0;
      let most = 0;
      const gates = [new Deferred<string>(), new Deferred<string>(), new Deferred<string>()];
      const results = gates.map((gate) =>
        mutex.run(() => {
          inside++;
          most = Math.max(most, inside);
          return gate.addCallback((v) => {
            inside--;
            return v;
          });
        }),
      );
      gates.forEach((gate, i) => gate.callback(`r${i}`));
      expect(results.map((d) => successResultOf(d))).toEqual(["r0", "r1", "r2"]);
      expect(most).toBe(1);
      expect(isHeld(mutex)).toBe(false);
    });

    it("releases after a run() function that fails, throws, or returns a rejected Promise", async () => {
      const mutex = make();
      failureResultOf(mutex.run(() => fail(new RangeError("failed"))), RangeError);
      expect(isHeld(mutex)).toBe(false);
      failureResultOf(
        mutex.run(() => {
          throw new TypeError("threw");
        }),
        TypeError,
      );
      expect(isHeld(mutex)).toBe(false);
      await expect(mutex.run(() => Promise.reject(new Error("rejected")))).rejects.toThrow("rejected");
      expect(isHeld(mutex)).toBe(false);
    });

    it("takes a cancelled waiting acquire() out of the line; the next one gets the mutex", () => {
      const mutex = make();
      void mutex.acquire();
      const cancelled = mutex.acquire();
      const next = mutex.acquire();
      cancelled.cancel();
      failureResultOf(cancelled, CancelledError);
      mutex.release();
      expect(successResultOf(next)).toBe(mutex);
    });

    it("does nothing when an acquire() that holds the mutex is cancelled", () => {
      const mutex = make();
      const held = mutex.acquire();
      held.cancel();
      expect(successResultOf(held)).toBe(mutex);
      expect(isHeld(mutex)).toBe(true);
    });

    it("cancels a waiting acquire() when its signal aborts", () => {
      const mutex = make();
      void mutex.acquire();
      const controller = new AbortController();
      const waiting = mutex.acquire({ signal: controller.signal });
      assertNoResult(waiting);
      controller.abort("no longer needed");
      expect((failureResultOf(waiting, CancelledError).value as CancelledError).cause).toBe("no longer needed");
      mutex.release();
      expect(isHeld(mutex)).toBe(false);
    });

    it("rejects an options.signal that is not a signal, naming it, and takes no token", () => {
      const mutex = make();
      expect(() => mutex.acquire({ signal: "stop" as unknown as AbortSignal })).toThrow(
        new TypeError('Expected `options.signal` to be an AbortSignal, got `"stop"` (string)'),
      );
      expect(isHeld(mutex)).toBe(false);
    });

    it("gives a failed acquire() and takes no token when the signal has already aborted", () => {
      const mutex = make();
      const controller = new AbortController();
      controller.abort("too late");
      const d = mutex.acquire({ signal: controller.signal });
      expect((failureResultOf(d, CancelledError).value as CancelledError).cause).toBe("too late");
      expect(isHeld(mutex)).toBe(false);
    });

    it("throws when released while nobody holds it", () => {
      const mutex = make();
      expect(() => mutex.release()).toThrow(Error);
    });

    it("hands the mutex over a million times without growing the stack", () => {
      // Twisted recurses here (its issue #9304): each holder releases inside the hand-off.
      const mutex = make();
      let runs = 0;
      const n = 1_000_000;
      void mutex.acquire(); // hold it while the others queue
      for (let i = 0; i < n; i++) void mutex.run(() => void runs++);
      mutex.release();
      expect(runs).toBe(n);
      expect(isHeld(mutex)).toBe(false);
    });
  });
}
