// The public hooks for debugging and for failures nobody handled. The bookkeeping behind
// them (what each Deferred records, the FinalizationRegistry) is in internal/unhandled.ts.
import type { Deferred } from "./deferred.js";
import type { Failure } from "./failure.js";
import { assertBoolean, formatValue } from "./internal/checks.js";
import { flushUnhandled, swapHandler } from "./internal/unhandled.js";
import { cycleError, cycleLength, hasSteps } from "./internal/waits.js";

/**
 * Where a Deferred was created and first fired, when `setDebugging(true)` was on.
 *
 * @example
 * ```ts
 * setDebugging(true);
 * let info: DebugInfo | undefined;
 * const restore = onUnhandledFailure((_failure, debugInfo) => { info = debugInfo; });
 * new Deferred<number>((self) => { self.callback(0); throw new Error("x"); }).cancel();
 * restore();
 * setDebugging(false);
 * typeof info?.createdAt; // => "string"
 * ```
 */
export interface DebugInfo {
  /** The stack at `new Deferred()`, or `undefined` when debugging was off then. */
  readonly createdAt: string | undefined;
  /** The stack at the first `callback()`/`errback()`, or `undefined` when debugging was off then. */
  readonly firstFiredAt: string | undefined;
}

/**
 * Receives each failure that was still unhandled when its Deferred was garbage-collected.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const log: UnhandledFailureHandler = (failure) => { lines.push(failure.toString()); };
 * const restore = onUnhandledFailure(log);
 * restore();
 * ```
 */
export type UnhandledFailureHandler = (failure: Failure, debugInfo: DebugInfo) => void;

let debugging = false;
/** Deferreds made since trackPendingWork() (deferkit/testing), or `null` when not tracking. */
let tracked: WeakRef<object>[] | null = null;
/**
 * Whether a new Deferred has anything to record (debugging or tracking on): the constructor
 * reads this one flag, so production pays one test per Deferred for both.
 */
let hooked = false;
/**
 * While debugging: the check `adopt` and coroutines make before a chain waits on a Deferred.
 * Set by setDebugging, so that a bundle which never turns debugging on has no cycle search.
 */
let waitCheck: ((inner: Deferred<unknown>, waiter: Deferred<unknown>) => TypeError | null) | null = null;

/**
 * Turns debug mode on or off. When on, each Deferred records the stack where it was created
 * and where it was first fired; both appear in `AlreadyCalledError` messages and in reports of
 * unhandled failures.
 *
 * Twisted: `defer.setDebugging`. **Gotchas:** it costs two stack captures per Deferred, so keep
 * it for tests and debugging sessions; it affects Deferreds created after the call. `on` must
 * be a boolean (a TypeError otherwise, where Twisted takes any truthy value).
 *
 * @example
 * ```ts
 * setDebugging(true);
 * const d = new Deferred<number>();
 * d.callback(1);
 * let message = "";
 * try { d.callback(2); } catch (e) { message = (e as Error).message; }
 * setDebugging(false);
 * message.includes("first fired at"); // => true
 * ```
 */
export function setDebugging(on: boolean): void {
  assertBoolean(on, "on");
  debugging = on;
  hooked = on || tracked !== null;
  waitCheck = on ? cycleCheck : null;
}

/**
 * Whether debug mode is on (see `setDebugging`).
 *
 * @example
 * ```ts
 * getDebugging(); // => false
 * ```
 */
export function getDebugging(): boolean {
  return debugging;
}

/**
 * Sets the one hook that receives failures nobody handled: each Deferred that is
 * garbage-collected while its chain ends in an unhandled failure is reported once. The default
 * writes the failure's traceback with `console.error`. Pass `null` to restore the default.
 * Returns a function that puts back the handler that was there before. A handler that throws
 * does not lose the failure: the default reports it, then its own error is printed.
 *
 * Twisted: the "Unhandled error in Deferred" log message. **Gotchas:** reports come when the
 * garbage collector runs, which may be long after the Deferred was dropped (or never, if the
 * program exits first); a failure observed with `then()`/`await` counts as handled.
 *
 * @example
 * ```ts
 * const seen: string[] = [];
 * const restore = onUnhandledFailure((failure) => { seen.push(failure.getErrorMessage()); });
 * // Reports usually come when a Deferred is collected, or at exit; this one comes at once: a
 * // canceller that fires its Deferred and then throws leaves the error nowhere else to go.
 * new Deferred<number>((self) => { self.callback(0); throw new Error("canceller broke"); }).cancel();
 * restore(); // back to the handler before
 * seen; // => ["canceller broke"]
 * ```
 */
export function onUnhandledFailure(newHandler: UnhandledFailureHandler | null): () => void {
  if (newHandler !== null && typeof newHandler !== "function") {
    throw new TypeError(`Expected \`handler\` to be a function or null, got ${formatValue(newHandler)}`);
  }
  const previous = swapHandler(newHandler);
  return () => {
    swapHandler(previous);
  };
}

/**
 * Every failure that ends a chain with nobody to handle it, as of now, for a test to check:
 * those the garbage collector reported since the previous call (once a first call has asked
 * for them), then those not reported yet, in the order their chains ended. Each of the latter
 * now counts as handled and is never reported. Unlike a report, this does not depend on when
 * the collector runs, so a test suite can fail the test that leaves a failure behind.
 *
 * Twisted: trial's `flushLoggedErrors`. Exported by `deferkit/testing`.
 *
 * **Gotchas:** a chain still waiting (on another Deferred, a Promise, a timer) has not failed
 * yet, and is not in the list until it does.
 *
 * @example
 * ```ts
 * fail(new Error("forgotten"));
 * fail(new Error("handled")).addErrback(() => "fine");
 * flushUnhandledFailures().map((f) => f.getErrorMessage()); // => ["forgotten"]
 * flushUnhandledFailures(); // => []
 * ```
 */
export function flushUnhandledFailures(): Failure[] {
  return flushUnhandled();
}

/**
 * @internal While debugging, checks that `waiter` may wait on `inner`: a TypeError when
 * `inner` waits on `waiter` already (a cycle), else `null`. `null` itself when not debugging.
 */
export function getWaitCheck(): ((inner: Deferred<unknown>, waiter: Deferred<unknown>) => TypeError | null) | null {
  return waitCheck;
}

function cycleCheck(inner: Deferred<unknown>, waiter: Deferred<unknown>): TypeError | null {
  // Nothing waits on a waiter with no step left, so no cycle can close through it: no walk.
  // This keeps a chain built from the innermost Deferred out (each level's step returns the
  // chain below, and the level has no other step) linear; a walk at every level would visit
  // every level below, quadratic in the depth.
  if (!hasSteps(waiter)) return null;
  const length = cycleLength(inner, waiter);
  return length === 0 ? null : cycleError(length);
}

/** @internal Whether the Deferred constructor must call `hookNewDeferred`. */
export function isHooked(): boolean {
  return hooked;
}

/** @internal Records a new Deferred for assertNoPendingWork, while tracking is on. */
export function trackNew(d: object): void {
  if (tracked !== null) tracked.push(new WeakRef(d));
}

/** @internal Starts recording new Deferreds (dropping any recorded before). */
export function startTracking(): void {
  tracked = [];
  hooked = true;
}

/** @internal Stops recording; gives the recorded Deferreds that are still alive, oldest first. */
export function stopTracking(): object[] {
  const refs = tracked ?? [];
  tracked = null;
  hooked = debugging;
  const alive: object[] = [];
  for (const ref of refs) {
    const d = ref.deref();
    if (d !== undefined) alive.push(d);
  }
  return alive;
}
