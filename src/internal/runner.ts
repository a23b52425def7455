// The chain runner: runs a Deferred's steps, and hands results between Deferreds in a loop.
//
// Every run ends in `endRun` (or, on the fast paths of deferred.ts, in the inlined copy of it,
// `Deferred#_continueAfterStep`), which clears RUNNING and hands the result to the
// unhandled-failure check. See state.ts for the state bits and the map of the hot paths.
//
// This module and deferred.ts import each other: the runner needs the class (instanceof), the
// class needs the runner. Neither uses the other while it is being evaluated, so the cycle is
// harmless (rollup mentions it).
import { getDebugging, getWaitCheck } from "../debug.js";
import { Deferred } from "../deferred.js";
import { AlreadyCalledError } from "../errors.js";
import { Failure } from "../failure.js";
import {
  type AnyStep,
  CALLED,
  CHAIN,
  CONTINUE,
  LONE_WAITER,
  NO_STEP,
  OBSERVE,
  PAUSE,
  RUN_OVER,
  RUNNING,
  SUPPRESS,
  TAKE_MASK,
} from "./state.js";
import { fromForeign, fromThen, thenOf } from "./thenable.js";
import { DEFERRED_BRAND, FAILURE_BRAND, hasBrand, type ForeignDeferred } from "./brand.js";
import { captureStack, trackUnhandled } from "./unhandled.js";

/** `_fire` for every case but one inline step of an unpaused Deferred: no step, several, or paused. */
export function runFired(d: Deferred<unknown>): void {
  if (d._args === NO_STEP && d._steps === null) trackUnhandled(d); // no step to run
  else runCallbacks(d);
}

/** What a step threw, as a Failure. */
export function asFailure(e: unknown): Failure {
  return e instanceof Failure ? e : new Failure(e);
}

/** Calls a step with its extra arguments: none, one index (see _addIndexed), an array, or an observer's. */
export function callStep(fn: AnyStep, result: unknown, args: unknown): unknown {
  if (args === undefined) return fn(result);
  if (typeof args === "number") return fn(result, args);
  if (args === OBSERVE) {
    observeNow(result, fn, fn); // fn is already the observer's function for this outcome
    return result; // unchanged, and (being the step's input) not adopted
  }
  return fn(result, ...(args as unknown[]));
}

/** The error of a second callback()/errback(), saying where the first came from in debug mode. */
export function alreadyCalled(d: Deferred<unknown>): AlreadyCalledError {
  let message = "Deferred has already been called";
  // (A Deferred can have a diagnostics record with no stack in it: the unhandled-failure check
  // gives one to every Deferred it watches. Then the hint is what helps.)
  const createdAt = d._diagnostics?.createdAt;
  const firstFiredAt = d._diagnostics?.firstFiredAt;
  if (createdAt !== undefined) message += `\nIt was created at:\n${createdAt}`;
  if (firstFiredAt !== undefined) message += `\nIt was first fired at:\n${firstFiredAt}`;
  if (createdAt === undefined && firstFiredAt === undefined) {
    message += " (setDebugging(true) shows where it was created and first fired)";
  }
  return new AlreadyCalledError(message);
}

/** Queues a step. Compacts the array when most of it is consumed, so a queue never grows without bound. */
export function pushStep(d: Deferred<unknown>, onResult: unknown, onFailure: unknown, args: unknown): void {
  const steps = d._steps;
  if (steps === null) {
    if (d._args === NO_STEP) {
      // The only pending step: keep it in the Deferred itself, no array.
      d._cb = onResult as AnyStep | undefined;
      d._eb = onFailure as AnyStep | undefined;
      d._args = args;
      return;
    }
    // A wait behind the inline step (the usual shape: a pending Deferred with a step of its own,
    // returned by another chain's step) is held as it is, with no array (bench S7w): `_steps`
    // is the waiter and `_head` is LONE_WAITER. The runner moves it to the inline slot when it
    // takes the inline step, so its loop over the array never meets one.
    if (onResult === CONTINUE) {
      d._steps = args as Deferred<unknown>;
      d._head = LONE_WAITER;
      return;
    }
    // One slot for a plain callback, four for any other step (see `_steps`): a 10-step chain's
    // array is then allocated twice, not three times, and is a third of the size (bench S3).
    d._steps = onFailure === undefined && args === undefined ? [onResult] : [null, onResult, onFailure, args];
    d._head = 0;
    return;
  }
  // Compaction is considered only past 3072 consumed slots: a chain of ordinary length never
  // pays for it, and a step that keeps adding steps to its own Deferred (a loop written as a
  // chain) keeps its array at most about twice its live size. A lone waiter (negative head)
  // becomes an array there too.
  const head = d._head;
  const array = head >= 3072 || head < 0 ? reshapeSteps(d, steps) : (steps as unknown[]);
  if (onFailure === undefined && args === undefined) array.push(onResult);
  else array.push(null, onResult, onFailure, args);
}

/**
 * Off pushStep's path: a lone waiter becomes an ordinary four-slot step, so that a step can be
 * added behind it; and a step that keeps adding steps to its own Deferred drops the consumed
 * prefix (O(1) amortised).
 */
function reshapeSteps(d: Deferred<unknown>, steps: unknown[] | Deferred<unknown>): unknown[] {
  const head = d._head;
  if (head === LONE_WAITER) {
    const array = (d._steps = [null, CONTINUE, CONTINUE, steps]);
    d._head = 0;
    return array;
  }
  const array = steps as unknown[];
  if (head * 2 < array.length) return array;
  const rest = array.slice(head);
  d._steps = rest;
  d._head = 0;
  return rest;
}

/**
 * A step returned `r`, an object or function that is not a Failure. If it is a Deferred or a
 * PromiseLike, either take its result now or pause `d` until it has one.
 */
export function adopt(d: Deferred<unknown>, r: object, input: unknown): void {
  // A step that returns the very value it was given passes it on: only a new PromiseLike is
  // waited for (so an observer or a combinator's pass-through step never adopts a thenable
  // that was the chain's value).
  if (r === input) return;
  let inner: Deferred<unknown>;
  if (r instanceof Deferred) {
    inner = r;
  } else if (r instanceof Failure) {
    return;
  } else {
    let then: unknown;
    try {
      then = thenOf(r);
    } catch (e) {
      d._result = new Failure(e);
      return;
    }
    if (then === undefined) {
      // Another copy's Failure switches the chain to its errbacks, as this copy's does.
      if (hasBrand(r, FAILURE_BRAND)) d._result = Failure.from(r);
      return;
    }
    inner = hasBrand(r, DEFERRED_BRAND) ? fromForeign(r as ForeignDeferred) : fromThen(r, then);
  }
  if (inner === d) {
    d._result = new Failure(
      new TypeError("A step returned the Deferred it belongs to: its chain would wait for itself forever"),
    );
    return;
  }
  if ((inner._state & TAKE_MASK) === CALLED) {
    // It has a result and is not paused: take it (Twisted: "steal it"). The inner chain ends in
    // `undefined`, so its failure, if any, is now ours to report, not its. A Deferred that is
    // running counts too, as in Twisted (only a paused one is waited on): its current result is
    // the input of the step that is running, and that step's return value becomes its result.
    d._result = inner._result;
    inner._result = undefined;
    if (inner._diagnostics !== null) inner._diagnostics.failure = null;
    return;
  }
  const check = getWaitCheck(); // set while debugging: a cycle would never fire
  if (check !== null) {
    const cycle = check(inner, d);
    if (cycle !== null) {
      d._result = new Failure(cycle);
      return;
    }
  }
  d._state += PAUSE;
  d._link = inner;
  pushStep(inner, CONTINUE, CONTINUE, d);
}

// Deferreds that runCallbacks switched away from, to come back to; shared by all runs (each
// knows where its part starts) so that a wait or a chainDeferred allocates no array.
const runStack: Deferred<unknown>[] = [];

/**
 * The chain runner. Runs `start`'s steps, and when a step hands a result to another Deferred
 * (CONTINUE, CHAIN), switches to that one in this same loop instead of recursing, so waits and
 * chainDeferred calls of any depth run in constant native stack. `runStack` holds the
 * Deferreds it switched away from; it stays empty for straight chains.
 */
export function runCallbacks(start: Deferred<unknown>): void {
  if ((start._state & RUNNING) !== 0) return; // its runner is further up the stack and will go on
  let current = start;
  // This run's part of the shared stack starts at `base` (a step may start a nested run).
  const base = runStack.length;
  for (;;) {
    current._state |= RUNNING;
    let next: Deferred<unknown> | null = null;
    while (current._state < PAUSE) {
      const result = current._result;
      // (Most results are primitives: `typeof` rules them out for less than `instanceof` costs.)
      const failed = typeof result === "object" && result instanceof Failure;
      let fn: AnyStep | undefined;
      let args: unknown;
      if (current._args !== NO_STEP) {
        fn = failed ? current._eb : current._cb;
        args = current._args;
        if (current._head !== LONE_WAITER) {
          current._cb = current._eb = undefined;
          current._args = NO_STEP;
        } else {
          // The lone waiter behind it (see pushStep) becomes the inline step.
          current._cb = current._eb = CONTINUE;
          current._args = current._steps;
          current._steps = null;
          current._head = 0;
        }
      } else {
        const steps = current._steps as unknown[] | null;
        if (steps === null) break;
        const i = current._head;
        if (i >= steps.length) {
          current._steps = null;
          current._head = 0;
          break;
        }
        // Clear the slots so that consumed steps do not keep their closures alive.
        const first = steps[i];
        if (first !== null) {
          fn = failed ? undefined : (first as AnyStep);
          args = undefined;
          steps[i] = undefined;
          current._head = i + 1;
        } else {
          fn = steps[failed ? i + 2 : i + 1] as AnyStep | undefined;
          args = steps[i + 3];
          steps[i + 1] = steps[i + 2] = steps[i + 3] = undefined;
          current._head = i + 4;
        }
      }
      if (fn === undefined) continue;
      if (fn === CONTINUE || fn === CHAIN) {
        const target = args as Deferred<unknown>;
        if (fn === CONTINUE) {
          target._state -= PAUSE;
          target._link = undefined;
          // Handing its result on is not one of `current`'s steps: it stops counting as running
          // (Twisted's _runningCallbacks is set only around a step), so a step that the waiter's
          // chain adds to it runs at once, as in Twisted. Its remaining steps run when the
          // waiter's run is over (below).
          current._state &= ~RUNNING;
          current._result = undefined;
        } else if ((target._state & CALLED) !== 0) {
          if ((target._state & SUPPRESS) === 0) {
            current._result = new Failure(alreadyCalled(target));
            continue;
          }
          target._state &= ~SUPPRESS;
          current._result = undefined;
          continue;
        } else {
          markFired(target, target._state);
        }
        // CHAIN is a step of `current` (Twisted's chainDeferred calls `other.callback` from a
        // step): it stays running, and keeps its result, until `target`'s run ends; then its
        // result becomes `undefined`, that step's return value (see where it is popped).
        target._result = result;
        next = target;
        break;
      }
      let r: unknown;
      try {
        r = callStep(fn, result, args);
      } catch (e) {
        r = asFailure(e);
      }
      current._result = r;
      if (typeof r === "object" ? r !== null : typeof r === "function") adopt(current, r as object, result);
    }
    if (next !== null) {
      // Come back to `current` after `next`, as Twisted does: its remaining steps run once
      // `next`'s run is over.
      runStack.push(current);
    } else {
      endRun(current);
    }
    if (next !== null && (next._state & RUNNING) === 0) {
      current = next;
      continue;
    }
    // (A `next` that is RUNNING would be mid-run further up; it cannot happen, since a CHAIN
    // target is unfired and a CONTINUE target is paused, but its own runner would go on.)
    if (runStack.length === base) return;
    current = runStack.pop()!;
    // Still running: it was suspended in a CHAIN step, whose return value is `undefined`. (A
    // Deferred that handed its result through CONTINUE stopped running then, and may have
    // been given a new result meanwhile by a step added to it, which must stay.)
    if ((current._state & RUNNING) !== 0) current._result = undefined;
  }
}

/** `d` (whose state is `state`) now has its result: callback(), errback() or a CHAIN step. */
export function markFired(d: Deferred<unknown>, state: number): void {
  d._state = state | CALLED;
  d._link = undefined; // the canceller is never needed again; let whatever it closes over go
  // Where frames are dropped by count: past _fire() and the callback() or errback() that called it.
  if (d._diagnostics !== null && getDebugging()) d._diagnostics.firstFiredAt = captureStack(2);
}

/** Hands `result` to an observer: the value, or the failure's value (which counts as handled). */
export function observeNow(result: unknown, onValue: (value: unknown) => void, onReason: (reason: unknown) => void): void {
  if (result instanceof Failure) {
    result._observed = true;
    onReason(result.value);
  } else {
    onValue(result);
  }
}

/** A run of `d` is over for now. */
export function endRun(d: Deferred<unknown>): void {
  d._state &= RUN_OVER;
  const steps = d._steps;
  const head = d._head;
  // (An array that is used up has a head past 0; a lone waiter's is negative.)
  if (head > 0 && head >= (steps as unknown[]).length) {
    d._steps = null;
    d._head = 0;
  }
  trackUnhandled(d);
}
