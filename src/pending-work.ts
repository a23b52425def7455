// trackPendingWork / assertNoPendingWork (deferkit/testing): the Deferreds a test made and
// left without a result, each with describeWaiting's account of why.
import { Deferred } from "./deferred.js";
import { startTracking, stopTracking } from "./debug.js";
import { waitsOf } from "./internal/waits.js";
import { describeWaiting } from "./waiting.js";

/**
 * Starts recording every Deferred created from now on, for `assertNoPendingWork()` (call them
 * around each test, e.g. in `beforeEach`/`afterEach`). Calling it again starts over.
 *
 * The record holds the Deferreds weakly (one dropped by the code under test is not kept alive,
 * nor reported) and does not turn debugging on. Outside tracking, a new Deferred pays nothing
 * more than the debugging check it already makes.
 *
 * @example
 * ```ts
 * trackPendingWork();
 * const d = new Deferred<number>();
 * d.callback(1);
 * assertNoPendingWork(); // => undefined
 * ```
 */
export function trackPendingWork(): void {
  startTracking();
}

/**
 * Stops the tracking `trackPendingWork()` started, and throws an `Error` if a Deferred created
 * since is still without its result: the message shows each such chain from its top (a
 * Deferred nothing else pending waits on) through `describeWaiting`, down to what would fire
 * it (a lock held, a timer not due, a Deferred nobody fires, a cycle).
 *
 * A Deferred that is pending on purpose at the end of a test (a server's "closed" Deferred)
 * should be fired or cancelled by the test's cleanup before this runs.
 *
 * @example
 * ```ts
 * trackPendingWork();
 * const lock = new DeferredLock();
 * lock.acquire();
 * lock.acquire(); // waits forever: nobody releases
 * let message = "";
 * try { assertNoPendingWork(); } catch (e) { message = (e as Error).message; }
 * message.split("\n")[2]; // => "DeferredLock#acquire(): the lock is held, 0 waiters ahead"
 * ```
 */
export function assertNoPendingWork(): void {
  const pending = stopTracking().filter(
    (d): d is Deferred<unknown> => d instanceof Deferred && hasNoResult(d),
  );
  if (pending.length === 0) return;
  const roots = chainTops(pending);
  const n = roots.length;
  const entries = roots.map((d) => String(describeWaiting(d)));
  throw new Error(`${n} Deferred${n === 1 ? "" : "s"} still pending at the end of the test:\n\n${entries.join("\n\n")}`);
}

/** Not fired, or fired and paused (waiting on another Deferred counts as a pause). */
function hasNoResult(d: Deferred<unknown>): boolean {
  return !d.called || d.paused > 0;
}

/**
 * The Deferreds of `pending` that no other one of them waits on, oldest first; then, for
 * pending ones that no such top reaches (members of a cycle), the oldest of each.
 */
function chainTops(pending: Deferred<unknown>[]): Deferred<unknown>[] {
  const waitedOn = new Set<unknown>();
  for (const d of pending) for (const w of waitsOf(d)) waitedOn.add(w);
  const tops = pending.filter((d) => !waitedOn.has(d));
  const reached = new Set<unknown>();
  const reach = (from: Deferred<unknown>): void => {
    const stack: unknown[] = [from];
    while (stack.length > 0) {
      const d = stack.pop();
      if (reached.has(d)) continue;
      reached.add(d);
      if (d instanceof Deferred) stack.push(...waitsOf(d));
    }
  };
  tops.forEach(reach);
  for (const d of pending) {
    if (!reached.has(d)) {
      tops.push(d);
      reach(d);
    }
  }
  return tops;
}
