// What a pending Deferred waits on, and how to cancel that: one protocol for every kind of wait.
//
// A Deferred's `_link` says it. Before the Deferred fires, `_link` is its canceller (a function
// the user gave), a `Wait` (an object: a combinator waiting on its inputs, deferLater on a
// clock call, and the coroutines, lock waiters and queue gets to come), or undefined. After it
// fires, `_link` is the Deferred its chain is paused on (a step returned it), or undefined.
// `cancel()` walks down the fired links and then cancels the first unfired Deferred through
// its Wait or canceller; introspection ("why is this pending?") reads the same field.
//
// Plain method names, not symbols: two copies of deferkit in one process agree on them, and a
// class or object literal keyed by a computed symbol counts as a side effect to bundlers (esbuild
// keeps it, and everything it references, in builds that never use it).
import type { Deferred } from "../deferred.js";
import { NO_STEP, SUPPRESS } from "./state.js";

/**
 * What an unfired Deferred is waiting on. One object may serve many Deferreds (it is given the
 * Deferred), so that a combinator needs no closure per instance.
 * @internal
 */
export interface Wait {
  /** The Deferreds, clock calls or other things `d` waits on now (for introspection). */
  _waitsOn(d: Deferred<unknown>): readonly unknown[];
  /**
   * Cancels what `d` waits on (called by `d.cancel()` while `d` has no result). Returns `true`
   * when `cancel()` is done; `false` to have it errback `d` with `CancelledError` if this did
   * not fire it.
   */
  _cancelWait(d: Deferred<unknown>): boolean;
}

/**
 * A Deferred fed by a Promise or other thenable (`Deferred.fromPromise`, a thenable a step
 * returned or a coroutine yielded). It only names the wait (describeWaiting): the thenable
 * cannot be cancelled, so `cancel()` fails the Deferred and ignores the late settlement, as it
 * does for a Deferred with no canceller. @internal
 */
export const PROMISE_WAIT: Wait = {
  _waitsOn: () => [],
  _cancelWait: (d) => {
    d._state |= SUPPRESS;
    return false;
  },
};

/** Whether `link` (a `_link` before firing) is a Wait rather than a canceller. @internal */
export function isWait(link: unknown): link is Wait {
  return typeof link === "object" && link !== null;
}

/** Makes a new, unfired `d` wait through `wait`. @internal */
export function setWait(d: Deferred<unknown>, wait: Wait): void {
  d._link = wait;
}

/** What `d` waits on now: nothing once it has a result that waits on nothing. @internal */
export function waitsOf(d: Deferred<unknown>): readonly unknown[] {
  const link = d._link;
  if (link === undefined) return [];
  if (d.called) return [link]; // the Deferred its chain is paused on
  return isWait(link) ? link._waitsOn(d) : [];
}

/**
 * Whether `start` waits on `target`, directly or through other Deferreds (a step's returned
 * Deferred, a combinator's inputs, what a coroutine yielded): if so, `target` waiting on
 * `start` would close a cycle that can never fire. Returns how many Deferreds the shortest
 * such path goes through before `target` (`start` included), or 0 when there is none. A walk
 * over everything `start` waits on: only debugging mode pays it (runner's adopt, coroutines).
 * @internal
 */
export function cycleLength(start: Deferred<unknown>, target: Deferred<unknown>): number {
  let level: unknown[] = [start];
  const seen = new Set<unknown>(level);
  for (let depth = 1; level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const d of level) {
      // Not every thing waited on is a Deferred (a timer's call, a lock): those have no
      // `_link`, so waitsOf() finds nothing further behind them.
      for (const w of waitsOf(d as Deferred<unknown>)) {
        if (w === target) return depth;
        if (!seen.has(w)) {
          seen.add(w);
          next.push(w);
        }
      }
    }
    level = next;
  }
  return 0;
}

/**
 * Whether `d` has a step left to run (after the one running, if any): `stepsWaiting(d) > 0`
 * (deferred.ts, which counts them for toString) without walking the steps. Whatever waits on a
 * Deferred (a Deferred paused on it, a combinator, a coroutine, chainDeferred) does so through
 * a step it added: a Deferred with none left is waited on by nothing. @internal
 */
export function hasSteps(d: Deferred<unknown>): boolean {
  // A lone waiter in `_steps` always sits behind the inline step (see pushStep), so `_args`
  // answers for it: past that, `_steps` is an array, consumed up to `_head`.
  return d._args !== NO_STEP || (d._steps !== null && d._head < (d._steps as unknown[]).length);
}

/** The TypeError that fails a chain which would close a cycle of `length` other Deferreds. @internal */
export function cycleError(length: number): TypeError {
  return new TypeError(
    `A step returned a Deferred that waits on this one (through ${length} other Deferred${length === 1 ? "" : "s"}): the chain would wait for itself forever`,
  );
}
