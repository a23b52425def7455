// The Deferred class and the factories that make one (succeed, fail, execute, maybeDeferred,
// ensureDeferred). The state bits and step markers are in internal/state.ts (with the map of
// the hot paths), the runner and step queue in internal/runner.ts, Promise interop in
// internal/thenable.ts, the unhandled-failure check in internal/unhandled.ts.
import { realClock, type IClock } from "./clock.js";
import { getDebugging, isHooked, trackNew } from "./debug.js";
import { Failure } from "./failure.js";
import type { AbortSignalLike, PlatformAbortSignal } from "./abort.js";
import {
  assertSignal,
  cancelledError,
  cancelOnAbort,
  fromAbortable,
  signalOnFailure,
  type FromPromiseOptions,
} from "./internal/abort.js";
import { assertClock, assertFunction, assertTime, formatValue } from "./internal/checks.js";
import {
  adopt,
  alreadyCalled,
  asFailure,
  callStep,
  markFired,
  observeNow,
  pushStep,
  runCallbacks,
  runFired,
} from "./internal/runner.js";
import { type AnyStep, CALLED, CHAIN, LONE_WAITER, NO_STEP, OBSERVE, PAUSE, READY_MASK, RUN_OVER, RUNNING, SUPPRESS } from "./internal/state.js";
import { render } from "./internal/render.js";
import { thenOf, toDeferred } from "./internal/thenable.js";
import { DEFERRED_BRAND, FAILURE_BRAND, hasBrand } from "./internal/brand.js";
import { addTimeout, type OnTimeoutCancel } from "./internal/timeout.js";
import { captureStack, Diagnostics, NO_DEBUG_INFO, reportUnhandled, trackUnhandled } from "./internal/unhandled.js";
import { isWait, type Wait } from "./internal/waits.js";

/**
 * What a chain carries on after a step that returned `U`: a returned Deferred or PromiseLike
 * is waited for, and a returned `Failure` switches to the errbacks, so neither is a value.
 *
 * @example
 * ```ts
 * const d = succeed(1).addCallback((n) => succeed(`${n}`)); // Deferred<StepResult<Deferred<string>>>
 * const s: string = successResultOf(d);
 * s; // => "1"
 * ```
 */
export type StepResult<U> = Exclude<Awaited<U>, Failure>;

/**
 * A function that a Deferred calls on `cancel()` while it has no result yet.
 *
 * @example
 * ```ts
 * const stop: Canceller<string> = (d) => d.errback(new Error("stopped"));
 * const d = new Deferred<string>(stop);
 * d.cancel();
 * failureResultOf(d).getErrorMessage(); // => "stopped"
 * ```
 */
export type Canceller<T> = (deferred: Deferred<T>) => void;

/**
 * A result that will arrive later, with a chain of callbacks and errbacks that run
 * synchronously the moment it exists.
 *
 * Twisted: `defer.Deferred`. Each step gets the current result and replaces it with its return
 * value; a step that throws (or returns a `Failure`) switches the chain to its errbacks; an
 * errback that returns normally recovers. A step that returns a Deferred or any PromiseLike
 * pauses the chain until that one has a result. `cancel()` reaches whatever the chain waits on.
 *
 * **Gotchas:** steps run *inside* `callback()`/`errback()`, or inside `addCallback()` when the
 * Deferred already has a result: there is no microtask hop. The chain is one mutable pipeline:
 * `addCallback` returns the same Deferred, not a new one. `then()`/`await` observe the chain's
 * current end without changing it. A step that returns the very value it was given passes it
 * on as a value, even a thenable one: only a newly returned PromiseLike is waited for.
 *
 * @example
 * ```ts
 * const d = new Deferred<number>();
 * const seen: string[] = [];
 * d.addCallback((n) => n * 2).addCallback((n) => { seen.push(`got ${n}`); });
 * d.callback(21); // the steps run here, synchronously
 * seen; // => ["got 42"]
 * ```
 */
export class Deferred<T> implements PromiseLike<T> {
  /**
   * A pending Deferred. `canceller`, if given, is called by `cancel()` while the Deferred has no
   * result; if it does not fire the Deferred, `cancel()` errbacks it with `CancelledError`.
   */
  constructor(canceller?: Canceller<T>) {
    if (canceller !== undefined && typeof canceller !== "function") badCanceller(canceller);
    this._state = 0;
    this._result = undefined;
    this._cb = undefined;
    this._eb = undefined;
    this._args = NO_STEP;
    this._steps = null;
    this._head = 0;
    this._link = canceller as Canceller<unknown> | undefined;
    this._diagnostics = null;
    if (isHooked()) hookNewDeferred(this as Deferred<unknown>);
  }

  /**
   * `true` once `callback()` or `errback()` has been invoked (even while the chain waits).
   *
   * @example
   * ```ts
   * const d = new Deferred<number>();
   * d.called; // => false
   * d.callback(1);
   * d.called; // => true
   * ```
   */
  get called(): boolean {
    return (this._state & CALLED) !== 0;
  }

  /**
   * How many `pause()` calls are not yet matched by `unpause()`, plus one while waiting on a Deferred a step returned.
   *
   * @example
   * ```ts
   * const d = succeed(1);
   * d.pause();
   * d.paused; // => 1
   * ```
   */
  get paused(): number {
    return this._state >>> 5;
  }

  /**
   * Fires the Deferred with a success: the chain runs now, inside this call.
   *
   * Throws `AlreadyCalledError` if it was fired before (except once after a `cancel()` of a
   * Deferred without canceller), and `TypeError` for a result that is itself pending work: a
   * Deferred (of any copy of deferkit) or any other thenable, such as a Promise. A result is a
   * value; to pass on another one's outcome use `other.chainDeferred(d)`, or
   * `Deferred.fromPromise(p).chainDeferred(d)` for a Promise. (Twisted asserts the same for a
   * Deferred; a step, unlike `callback()`, may return either and the chain waits for it.)
   *
   * @example
   * ```ts
   * const d = new Deferred<string>();
   * const seen: string[] = [];
   * d.addCallback((s) => { seen.push(s); });
   * d.callback("now"); // the step runs inside this call
   * seen; // => ["now"]
   * ```
   */
  callback(result: T): void {
    this._fire(typeof result === "object" && result !== null ? checkResult(result, "result") : result);
  }

  /**
   * Fires the Deferred with a failure: `reason` is wrapped in a `Failure` unless it is one (of
   * any copy of deferkit). Same rules as `callback()` for a second call.
   *
   * @example
   * ```ts
   * const d = new Deferred<number>();
   * d.errback(new RangeError("out of range"));
   * failureResultOf(d, RangeError).getErrorMessage(); // => "out of range"
   * ```
   */
  errback(reason?: unknown): void {
    this._fire(reason instanceof Failure ? reason : Failure.from(reason));
  }

  /**
   * Appends one step: `onResult` runs on a success, `onFailure` on a failure (a missing
   * `onFailure` passes the failure on). Returns this same Deferred, re-typed.
   *
   * Twisted: `Deferred.addCallbacks` (its separate argument lists are not carried over: use
   * closures, or `addCallback`/`addErrback` with extra arguments).
   *
   * @example
   * ```ts
   * const d = fail(new Error("nope")).addCallbacks(
   *   (n: number) => `value ${n}`,
   *   (f) => `recovered from ${f.getErrorMessage()}`,
   * );
   * successResultOf(d); // => "recovered from nope"
   * ```
   */
  addCallbacks<U, V = never>(
    onResult: (result: T) => U,
    onFailure?: ((failure: Failure) => V) | null,
  ): Deferred<StepResult<U> | StepResult<V>> {
    if (typeof onResult !== "function") assertFunction(onResult, "onResult");
    if (onFailure != null) assertFunction(onFailure, "onFailure"); // undefined and null: none
    return this._runOrQueue(onResult as AnyStep, (onFailure ?? undefined) as AnyStep | undefined, undefined);
  }

  /**
   * Appends a step that runs `fn(result, ...args)` on a success; failures pass by it.
   *
   * Twisted: `Deferred.addCallback`.
   *
   * @example
   * ```ts
   * const d = succeed(2).addCallback((n, times: number) => n * times, 21);
   * successResultOf(d); // => 42
   * ```
   */
  addCallback<U, A extends unknown[] = []>(fn: (result: T, ...args: A) => U, ...args: A): Deferred<StepResult<U>>;
  addCallback(fn: (result: never, ...args: never[]) => unknown): Deferred<unknown> {
    // Fast path (bench S2): fired with a success, not running, not paused, no extra arguments
    // (`_state` is exactly CALLED: FAILED is clear, see state.ts, so no `instanceof` here):
    // the step runs now and is never stored. Kept to few bytecodes so that V8 inlines it into
    // a chain of calls; everything else is in `_addStep`. `fn` is not checked here: calling a
    // non-function throws, and `_failureOf` turns that into the caller's TypeError, so the
    // check costs nothing when `fn` is a function. `arguments` rather than a rest
    // parameter: V8 reads its length without allocating, and copies it only in `restArgs`.
    if (arguments.length !== 1 || this._state !== CALLED) {
      // eslint-disable-next-line prefer-rest-params
      return this._addStep(fn as AnyStep, undefined, arguments.length === 1 ? undefined : restArgs(arguments));
    }
    const input = this._result;
    this._state = 3; // CALLED | RUNNING, as literals: fewer bytecodes, so V8 inlines more calls
    let r: unknown;
    try {
      r = (fn as AnyStep)(input);
    } catch (e) {
      r = this._failureOf(e, fn);
    }
    this._result = r;
    this._state -= 2; // RUNNING (a step cannot clear it: runs of this Deferred see it and return)
    // A primitive needs no adoption and is no failure; and the result before it was no failure
    // either, so trackUnhandled() has nothing to clear (it cleared any failure report when that result
    // arrived). Steps that `fn` added sit in the inline slot.
    if (typeof r === "object" || typeof r === "function" || this._args !== NO_STEP) return this._continueAfterStep(r, input);
    return this;
  }

  /**
   * Appends a step that runs `fn(failure, ...args)` on a failure; successes pass by it. An
   * errback that returns normally recovers: the chain carries on with its return value.
   *
   * Twisted: `Deferred.addErrback`.
   *
   * @example
   * ```ts
   * const d = fail(new Error("offline")).addErrback((f) => f.getErrorMessage().length);
   * successResultOf(d); // => 7
   * ```
   */
  addErrback<U, A extends unknown[] = []>(
    fn: (failure: Failure, ...args: A) => U,
    ...args: A
  ): Deferred<T | StepResult<U>>;
  addErrback(fn: (failure: never, ...args: never[]) => unknown, ...args: unknown[]): Deferred<unknown> {
    if (typeof fn !== "function") assertFunction(fn, "fn");
    return this._runOrQueue(undefined, fn as AnyStep, args.length === 0 ? undefined : args);
  }

  /**
   * Appends a step that runs `fn(resultOrFailure, ...args)` either way, like `finally` that
   * can also change the result.
   *
   * Twisted: `Deferred.addBoth`.
   *
   * @example
   * ```ts
   * const d = fail(new Error("x")).addBoth((r) => (r instanceof Failure ? "failed" : "ok"));
   * successResultOf(d); // => "failed"
   * ```
   */
  addBoth<U, A extends unknown[] = []>(
    fn: (result: T | Failure, ...args: A) => U,
    ...args: A
  ): Deferred<StepResult<U>>;
  addBoth(fn: (result: never, ...args: never[]) => unknown, ...args: unknown[]): Deferred<unknown> {
    if (typeof fn !== "function") assertFunction(fn, "fn");
    return this._runOrQueue(fn as AnyStep, fn as AnyStep, args.length === 0 ? undefined : args);
  }

  /**
   * Passes this Deferred's result on to `other`: when this one fires, `other` fires with the
   * same result, and this chain carries on with `undefined`. Returns this Deferred.
   *
   * Twisted: `Deferred.chainDeferred`, without its recursion: a chain of a million
   * `chainDeferred` calls fires in a loop.
   *
   * @example
   * ```ts
   * const a = new Deferred<number>();
   * const b = new Deferred<number>();
   * a.chainDeferred(b);
   * a.callback(7);
   * successResultOf(b); // => 7
   * ```
   */
  chainDeferred(other: Deferred<T>): Deferred<undefined> {
    if (!(other instanceof Deferred)) {
      throw new TypeError(`Expected \`other\` to be a Deferred, got ${formatValue(other)}`);
    }
    if (other === (this as unknown)) {
      throw new TypeError("Expected `other` to be another Deferred: a Deferred cannot be chained to itself");
    }
    pushStep(this, CHAIN, CHAIN, other as unknown as unknown[]);
    if ((this._state & READY_MASK) === CALLED) runCallbacks(this);
    return this as unknown as Deferred<undefined>;
  }

  /**
   * Stops the chain from running until a matching `unpause()`; the count nests.
   *
   * Twisted: `Deferred.pause`.
   *
   * @example
   * ```ts
   * const d = succeed(1);
   * d.pause();
   * const seen: number[] = [];
   * d.addCallback((n) => { seen.push(n); });
   * seen.length; // => 0
   * d.unpause(); // the step runs here
   * seen.length; // => 1
   * ```
   */
  pause(): void {
    this._state += PAUSE;
  }

  /**
   * Undoes one `pause()`; when none are left and the Deferred has a result, the chain runs now.
   * Throws `Error` when there is no `pause()` to undo (Twisted lets the count go negative).
   *
   * @example
   * ```ts
   * const d = succeed(1);
   * d.pause();
   * d.addCallback((n) => n + 1);
   * assertNoResult(d);
   * d.unpause();
   * successResultOf(d); // => 2
   * ```
   */
  unpause(): void {
    // The pause taken while waiting on a Deferred (`_link`, once fired) is the runner's, not
    // the caller's: adopt() takes it together with setting `_link`, and CONTINUE gives both back.
    const waiting = (this._state & CALLED) !== 0 && this._link !== undefined;
    const own = (this._state >>> 5) - (waiting ? 1 : 0);
    if (own <= 0) throw new Error("Deferred.unpause() called without a matching pause()");
    this._state -= PAUSE;
    if ((this._state & READY_MASK) === CALLED) runCallbacks(this);
  }

  /**
   * Cancels the operation this Deferred stands for.
   *
   * Twisted: `Deferred.cancel`. If it has no result yet, the canceller runs (once); if that did
   * not fire it, it errbacks with `CancelledError`. If it is waiting on a Deferred that a step
   * returned, that one is cancelled instead (however deep the wait, without recursion). If it
   * already has a result, or the waits form a cycle that can never fire, nothing happens.
   *
   * **Gotchas:** without a canceller, the operation's own late `callback()`/`errback()` is
   * ignored once rather than throwing `AlreadyCalledError`. A canceller that throws does not
   * leave the Deferred hanging: if the Deferred has no result yet, it errbacks with what was
   * thrown; otherwise the error goes to the `onUnhandledFailure` hook. `cancel()` never throws.
   *
   * @example
   * ```ts
   * const d = new Deferred<string>(() => { /* abort the request *\/ });
   * d.cancel();
   * failureResultOf(d, CancelledError).getErrorMessage(); // => "Deferred was cancelled"
   * ```
   */
  cancel(): void {
    let target: Deferred<unknown> = this as Deferred<unknown>;
    // Walk down the waits in a loop: a million-deep wait must not recurse. `behind` follows at
    // half speed and meets `target` only if the waits form a cycle, where nothing is left to
    // cancel (no member can ever fire); Twisted recurses there until RecursionError.
    let behind = target;
    let hops = 0;
    while ((target._state & CALLED) !== 0) {
      const next = target._link as Deferred<unknown> | undefined; // fired: what it waits on
      if (next === undefined) return;
      if (next.cancel !== Deferred.prototype.cancel) {
        // A user's subclass with its own cancel(): let it decide.
        next.cancel();
        return;
      }
      target = next;
      if ((++hops & 1) === 0) behind = behind._link as Deferred<unknown>;
      if (target === behind) return;
    }
    const link = target._link as Canceller<unknown> | Wait | undefined; // not fired yet
    if (link === undefined) {
      target._state |= SUPPRESS;
    } else {
      try {
        if (isWait(link)) {
          if (link._cancelWait(target)) return;
        } else {
          link(target);
        }
      } catch (e) {
        if ((target._state & CALLED) === 0) target.errback(e);
        else reportUnhandled(Failure.from(e), target._diagnostics ?? NO_DEBUG_INFO);
        return;
      }
    }
    if ((target._state & CALLED) === 0) target.errback(cancelledError());
  }

  /**
   * Cancels this Deferred if it has no result `ms` milliseconds from now on `clock` (default:
   * `realClock`); a `CancelledError` caused by the timeout becomes a `TimeoutError`. Returns
   * this Deferred.
   *
   * Twisted: `Deferred.addTimeout`. `onTimeoutCancel(result, ms)`, if given, replaces the
   * conversion to `TimeoutError`: it is called only when the timeout fired, with whatever the
   * result is then, and its return value (or throw) becomes the result.
   *
   * **Gotchas:** the steps that do this are appended to the chain now, so steps added before
   * `addTimeout` see the raw `CancelledError` and steps added after see the `TimeoutError`.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * const d = new Deferred<string>().addTimeout(5000, clock);
   * clock.advance(5000);
   * failureResultOf(d, TimeoutError).getErrorMessage(); // => "Deferred timed out after 5000 ms"
   * ```
   */
  addTimeout(ms: number, clock: IClock = realClock, onTimeoutCancel?: OnTimeoutCancel<T>): Deferred<T> {
    assertTime(ms, "ms");
    assertClock(clock, "clock");
    if (onTimeoutCancel !== undefined) assertFunction(onTimeoutCancel, "onTimeoutCancel");
    addTimeout(this, ms, clock, onTimeoutCancel);
    return this;
  }

  /**
   * Cancels this Deferred when `signal` aborts (at once, if it already has). The
   * `CancelledError` this makes (and those of whatever it waits on) has the signal's `reason` as
   * its `cause`. Returns this Deferred.
   *
   * **Gotchas:** like `addTimeout`, this appends a step now: the signal's listener is removed
   * when the chain gets past it, so a long-lived signal does not collect listeners from the
   * Deferreds tied to it. For `deferLater`, a coroutine or anything else that returns a
   * Deferred, call it on what is returned.
   *
   * @example
   * ```ts
   * const controller = new AbortController();
   * const d = new Deferred<string>().cancelOn(controller.signal);
   * controller.abort("user left");
   * const error = failureResultOf(d, CancelledError).value;
   * error.cause; // => "user left"
   * ```
   */
  cancelOn(signal: AbortSignalLike): this {
    assertSignal(signal, "signal");
    cancelOnAbort(this as Deferred<unknown>, signal);
    return this;
  }

  /**
   * An AbortSignal that aborts when this chain fails at its current end (a cancellation
   * included), with the failure's value as its `reason`: hand it to `fetch` and the other
   * platform APIs that take one, so that they stop with the Deferred.
   *
   * **Gotchas:** it appends a step now (as `addTimeout` does): a failure that an earlier step
   * recovers from does not abort it, and nor does one that a later step makes. Each call makes
   * a new signal. Needs the platform's `AbortController`.
   *
   * @example
   * ```ts
   * const d = new Deferred<string>();
   * const signal = d.asSignal();
   * d.cancel();
   * signal.aborted; // => true
   * ```
   */
  asSignal(): PlatformAbortSignal {
    return signalOnFailure(this as Deferred<unknown>);
  }

  /**
   * Promise interop, so that `await d` works: observes the chain's current end without changing
   * it. A failure arrives as its `value` (what was thrown or errbacked), so `await` throws what a
   * Promise would, and a failure observed this way counts as handled. Promises/A+ compliant.
   *
   * @example
   * ```ts
   * const d = new Deferred<number>();
   * const p = d.then((n) => n + 1);
   * d.callback(1);
   * (await p); // => 2
   * ```
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    // Promises/A+ allows no cheaper `then` than a native one: callbacks must run in a later
    // job, and `await d` of any non-native thenable costs two jobs more than `await p` (bench
    // S8). So the work is handed to a native Promise of the chain's current end.
    return this.asPromise().then(onFulfilled, onRejected);
  }

  /**
   * `then(undefined, onRejected)`: a native Promise, observing the chain's current end as
   * `then` does (the chain is not changed; the failure counts as handled). With `finally`, it
   * lets a Deferred stand wherever code expects a Promise.
   *
   * @example
   * ```ts
   * const p = fail(new Error("down")).catch((e) => `recovered from ${(e as Error).message}`);
   * (await p); // => "recovered from down"
   * ```
   */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  /**
   * A native Promise that settles as the chain's current end does, after `onFinally` ran (and
   * any Promise it returned settled), as `Promise#finally`. Observes like `then`: the chain is
   * not changed, and a failure counts as handled by this observer.
   *
   * @example
   * ```ts
   * const log: string[] = [];
   * const p = succeed(1).finally(() => { log.push("cleanup"); });
   * (await p); // => 1
   * log; // => ["cleanup"]
   * ```
   */
  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.asPromise().finally(onFinally);
  }

  /**
   * A native Promise of the chain's current end (see `then`); the chain is not changed.
   *
   * @example
   * ```ts
   * const p: Promise<string> = succeed("hi").asPromise();
   * (await p); // => "hi"
   * ```
   */
  asPromise(): Promise<T> {
    if ((this._state & READY_MASK) === CALLED) {
      // The result is here and nothing is queued (bench S8, `await d`): the chain's current end
      // is the result itself, so no observing step, executor or resolving functions are needed.
      const result = this._result;
      if (!(result instanceof Failure)) return Promise.resolve(result as T);
      result._observed = true;
      return Promise.reject(result.value);
    }
    return new Promise<T>((resolve, reject) => this._observe(resolve as (value: unknown) => void, reject));
  }

  /**
   * A Deferred that fires with the promise's outcome: its value, or a failure wrapping its
   * rejection reason. A Deferred is returned as it is.
   *
   * Twisted: `Deferred.fromFuture`. A Promise cannot be cancelled: `cancel()` fires the
   * Deferred with `CancelledError` and the promise's later outcome is ignored. To stop the work
   * too, give what stops it, `{ abort: controller }` (or a function), or pass a function
   * `(signal) => promise`: it is called now with a fresh `AbortSignal`, which `cancel()` aborts.
   * Either way the settlement that the abort causes (`AbortError`) is dropped, never reported.
   *
   * **Gotchas:** wrapping by hand, `new Deferred(() => ctrl.abort())` fed by
   * `p.then((v) => d.callback(v), (e) => d.errback(e))`, crashes Node after `cancel()`: the
   * abort rejects `p`, and the late `errback()` throws `AlreadyCalledError` inside a promise
   * reaction, an unhandled rejection. Use the forms above.
   *
   * @example
   * ```ts
   * const d = Deferred.fromPromise(Promise.resolve(5));
   * (await d); // => 5
   * let aborted = false;
   * const work = Deferred.fromPromise((signal) => new Promise((_, reject) => {
   *   signal.addEventListener("abort", () => { aborted = true; reject(new Error("AbortError")); });
   * }));
   * work.cancel();
   * aborted; // => true
   * failureResultOf(work, CancelledError).type; // => CancelledError
   * ```
   */
  static fromPromise<T>(promise: PromiseLike<T>, options?: FromPromiseOptions): Deferred<T>;
  /** Calls `start(signal)` now: `cancel()` aborts that signal (see above). */
  static fromPromise<T>(start: (signal: PlatformAbortSignal) => PromiseLike<T>): Deferred<T>;
  static fromPromise<T>(
    promise: PromiseLike<T> | ((signal: PlatformAbortSignal) => PromiseLike<T>),
    options?: FromPromiseOptions,
  ): Deferred<T> {
    if (typeof promise === "function" || options !== undefined) return fromAbortable<T>(promise, options);
    const d = toDeferred(promise);
    if (d === undefined) {
      throw new TypeError(`Expected \`promise\` to be a PromiseLike, got ${formatValue(promise)}`);
    }
    return d as Deferred<T>;
  }

  /**
   * Whether `value` is a Deferred of this or of any other copy of deferkit (an ESM and a
   * CommonJS build loaded side by side), where `instanceof` only knows this copy's class.
   * Every API of deferkit accepts the other copy's Deferreds and Failures as its own.
   *
   * @example
   * ```ts
   * Deferred.is(succeed(1)); // => true
   * Deferred.is(Promise.resolve(1)); // => false
   * ```
   */
  static is(value: unknown): value is Deferred<unknown> {
    return value instanceof Deferred || hasBrand(value, DEFERRED_BRAND);
  }

  /**
   * The Deferred's state for people, in the spirit of Twisted's repr: pending, paused, waiting
   * on another Deferred, or fired with its current result (rendered shortly) or failure; the
   * steps waiting to run; and under `setDebugging(true)` where it was created. Node's
   * `console.log` and `util.inspect` show the same (not the internal fields).
   *
   * @example
   * ```ts
   * String(succeed({ user: null })); // => "Deferred<called: { user: null }>"
   * String(new Deferred().addCallback(String)); // => "Deferred<pending, 1 step waiting>"
   * String(fail(new Error("boom"))); // => "Deferred<called: [Failure Error: boom]>"
   * ```
   */
  toString(): string {
    const state = this._state;
    const paused = state >>> 5 !== 0; // the pause count sits above the flags (state.ts)
    const parts: string[] = [];
    if ((state & CALLED) === 0) parts.push("pending");
    else if (this._link !== undefined) parts.push("waiting on another Deferred");
    else if (paused) parts.push("paused");
    const steps = stepsWaiting(this);
    if (steps > 0) parts.push(`${steps} step${steps === 1 ? "" : "s"} waiting`);
    if ((state & CALLED) !== 0 && this._link === undefined) {
      const r = this._result;
      const shown = r instanceof Failure ? r.toString() : render(r);
      parts.push(paused ? `current result: ${shown}` : `called: ${shown}`);
    }
    const createdAt = this._diagnostics?.createdAt;
    if (createdAt !== undefined) parts.push(`created at ${createdAt.split("\n")[0]!.trim().replace(/^at /, "")}`);
    return `Deferred<${parts.join(", ")}>`;
  }

  /** @internal Node's `util.inspect` (and so `console.log`) shows `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  // Internals from here on: fields and methods for the rest of deferkit, not for users.
  // (Fields are declared, not initialised, here: with useDefineForClassFields off (tsconfig),
  // the constructor alone creates them, in one order, so every Deferred has one hidden class.)

  /** @internal Bits CALLED | RUNNING | SUPPRESS | QUEUED | FAILED, plus PAUSE times the pause count. */
  _state: number;
  /** @internal The current result: a value, a Failure, or (while waiting) the awaited Deferred. */
  _result: unknown;
  /** @internal The oldest pending step's onResult (see NO_STEP). */
  _cb: AnyStep | undefined;
  /** @internal The oldest pending step's onFailure. */
  _eb: AnyStep | undefined;
  /** @internal The oldest pending step's extra arguments (or target); NO_STEP when there is none. */
  _args: unknown;
  /**
   * @internal Later pending steps, from `_head` on; `null` when there are none. A plain
   * callback (no errback, no extra arguments: most steps) takes one slot, the function; any
   * other step four: `null`, onResult, onFailure, args. When `_head` is LONE_WAITER, the
   * Deferred waiting on this one, held as it is: a wait behind the inline step allocates no
   * array (see pushStep).
   */
  _steps: unknown[] | Deferred<unknown> | null;
  /** @internal Index of the next step's first slot in `_steps`, or LONE_WAITER. */
  _head: number;
  /**
   * @internal What the Deferred waits on (see internal/waits.ts). Before it fires: its canceller,
   * or a Wait (a combinator's inputs, a timer); after: the Deferred it is paused waiting on (a
   * step returned it). One field for all, as their lifetimes never overlap: 8 bytes less per
   * Deferred (bench S7). The canceller is typed for `unknown` so that `Deferred<T>` stays
   * covariant in `T`.
   */
  _link: Canceller<unknown> | Wait | Deferred<unknown> | undefined;
  /** @internal Debug stacks and unhandled-failure bookkeeping, for the few that need them. */
  _diagnostics: Diagnostics | null;

  /**
   * @internal Fires the Deferred. V8 inlines a method into its caller only while the caller's
   * budget of inlined bytecode lasts, and dead branches count too: so this keeps only the
   * hot case (one plain step held inline: bench S1) and leaves the rest to `runFired`.
   */
  _fire(result: unknown): void {
    const state = this._state;
    if ((state & CALLED) !== 0) return this._secondFire(state);
    markFired(this, state);
    this._result = result;
    // Anything but one inline step with no extra argument or a combinator's index (bench S4)?
    // (State 0: it was neither paused nor fired.)
    const args = this._args;
    if ((args !== undefined && typeof args !== "number") || this._steps !== null || state !== 0) return runFired(this);
    const fn = result instanceof Failure ? this._eb : this._cb;
    this._cb = this._eb = undefined;
    this._args = NO_STEP;
    if (fn === undefined) return trackUnhandled(this);
    this._state = 3; // CALLED | RUNNING, as a literal: fewer bytecodes
    let r: unknown;
    try {
      r = args === undefined ? fn(result) : fn(result, args);
    } catch (e) {
      r = asFailure(e);
    }
    this._result = r;
    this._state &= ~RUNNING;
    // A primitive needs no adoption, and a Deferred fired just now has no failure report to
    // clear: unless the step added steps, the run is over.
    if (typeof r === "object" || typeof r === "function" || this._args !== NO_STEP || this._steps !== null) {
      this._continueAfterStep(r, result);
    }
  }

  /** @internal A second callback()/errback(): dropped once after a canceller-less cancel(), else an error. */
  _secondFire(state: number): void {
    if ((state & SUPPRESS) === 0) throw alreadyCalled(this);
    // Twisted's _suppressAlreadyCalled: the canceller-less cancel() already fired this Deferred
    // with CancelledError; the operation's own late result is expected, and dropped once.
    this._state = state & ~SUPPRESS;
  }

  /** @internal What a fast-path step threw, as a Failure; a non-function step is the caller's error. */
  _failureOf(e: unknown, fn: unknown): Failure {
    if (typeof fn !== "function") {
      this._state &= ~RUNNING;
      assertFunction(fn, "fn");
    }
    return asFailure(e);
  }

  /** @internal addCallback/addErrback/addBoth off the fast path: check, then run or queue. */
  _addStep(onResult: AnyStep | undefined, onFailure: AnyStep | undefined, args: unknown[] | undefined): this {
    const fn = onResult ?? onFailure;
    if (typeof fn !== "function") badStep(onResult, onFailure);
    if (this._state === 0) {
      // Pending, not paused. The first step goes in the inline slot here, as pushStep would put
      // it, without the call (bench S1); later ones queue behind it (bench S3).
      if (this._args === NO_STEP) {
        this._cb = onResult;
        this._eb = onFailure;
        this._args = args;
      } else {
        pushStep(this, onResult, onFailure, args);
      }
      return this;
    }
    return this._appendStep(onResult, onFailure, args);
  }

  /** @internal The rest of _addStep: a paused or fired Deferred queues the step, or runs it now. */
  _appendStep(onResult: AnyStep | undefined, onFailure: AnyStep | undefined, args: unknown[] | undefined): this {
    const state = this._state;
    if ((state & CALLED) === 0) {
      pushStep(this, onResult, onFailure, args); // paused before it fired
      return this;
    }
    // A failure passing by a callback (bench S5): nothing to run or store.
    if (onFailure === undefined && (state & READY_MASK) === CALLED && this._result instanceof Failure) return this;
    return this._runOrQueue(onResult, onFailure, args) as unknown as this;
  }

  /** @internal Appends a step and runs it if the Deferred can run now. */
  _runOrQueue<R>(onResult: AnyStep | undefined, onFailure: AnyStep | undefined, args: unknown[] | undefined): Deferred<R> {
    const state = this._state;
    if ((state & READY_MASK) === CALLED) {
      // Fast path (bench S1, S2, S5): fired, not running, not paused, hence nothing queued
      // (steps never wait on a Deferred that can run): the step runs now and is never stored.
      const result = this._result;
      const fn = result instanceof Failure ? onFailure : onResult;
      if (fn === undefined) return this as unknown as Deferred<R>;
      // RUNNING makes a step that adds steps to this Deferred queue them behind itself.
      this._state = state | RUNNING;
      let r: unknown;
      try {
        r = callStep(fn, result, args);
      } catch (e) {
        r = asFailure(e);
      }
      return this._stepDone(r, result) as unknown as Deferred<R>;
    }
    pushStep(this, onResult, onFailure, args);
    return this as unknown as Deferred<R>;
  }

  /**
   * @internal For combinators: a step `fn(resultOrFailure, index)` whose one extra argument is a
   * small integer, kept in the args slot as it is: no argument array per input (bench S4).
   */
  _addIndexed(fn: (result: unknown, index: number) => unknown, index: number): void {
    this._runOrQueue(fn as AnyStep, fn as AnyStep, index as unknown as unknown[]);
  }

  /** @internal A fast-path step given `input` returned (or threw) `r`: record it and finish the run. */
  _stepDone(r: unknown, input: unknown): this {
    this._result = r;
    this._state &= RUN_OVER;
    return this._continueAfterStep(r, input);
  }

  /** @internal After a fast-path step: adopt what it returned, run what it queued, track a failure. */
  _continueAfterStep(r: unknown, input: unknown): this {
    if (typeof r === "object" ? r !== null : typeof r === "function") adopt(this, r as object, input);
    if (this._args !== NO_STEP || this._steps !== null) runCallbacks(this); // the step added steps
    else trackUnhandled(this);
    return this;
  }

  /**
   * @internal Calls `onValue(result)` or `onReason(failure.value)` once the chain's current
   * end is reached (now, if it already is), leaving the result as it is: a thenable value is
   * not adopted, and the failure counts as handled.
   */
  _observe(onValue: (value: unknown) => void, onReason: (reason: unknown) => void): void {
    if ((this._state & READY_MASK) === CALLED) {
      observeNow(this._result, onValue, onReason);
      return;
    }
    pushStep(this, onValue, onReason, OBSERVE);
  }

  /** @internal The result, if the chain has one now (fired, not running, not paused); else `none`. */
  _peek<N>(none: N): unknown {
    return (this._state & READY_MASK) === CALLED ? this._result : none;
  }
}

/** How many steps `d` holds that have not run yet. */
function stepsWaiting(d: Deferred<unknown>): number {
  let n = d._args === NO_STEP ? 0 : 1;
  const steps = d._steps;
  if (d._head === LONE_WAITER) {
    n++; // one waiter, held without an array
  } else if (Array.isArray(steps)) {
    // A step is one slot (a callback alone) or four (first slot null: cb, eb, args).
    for (let i = d._head; i < steps.length; i += steps[i] === null ? 4 : 1) n++;
  }
  return n;
}

/** A method's arguments after its first (the step), as an array. */
function restArgs(args: IArguments): unknown[] {
  const rest: unknown[] = [];
  for (let i = 1; i < args.length; i++) rest.push(args[i]);
  return rest;
}

// Every copy of deferkit marks its Deferreds the same way, so each recognises the others'.
Object.defineProperty(Deferred.prototype, DEFERRED_BRAND, { value: true });

// Optimised code that works on Deferreds depends, weakly, on their hidden class. When a full
// collection frees every Deferred a program made (a burst of work that ended), V8 frees that
// hidden class too and throws away the optimised runner, constructor, callback and addCallback
// ("weak objects" in --trace-deopt): the next burst pays for the warm-up again (bench S6, S6r).
// One Deferred that lives as long as the class keeps the hidden class, and the code, alive.
// (Kept on the class by defineProperty, a call bundlers keep; an unused const they drop.)
Object.defineProperty(Deferred, "_hiddenClassAnchor", { value: new Deferred<never>() });

/**
 * callback()'s (and DeferredQueue#put's) check of an object, out of line so that callback()
 * stays small: a thenable (a Deferred of any copy, a Promise) is pending work, not a result,
 * and another copy's Failure becomes this copy's, as `errback()` would make it.
 * @internal
 */
export function checkResult(result: object, name: string): unknown {
  if (hasBrand(result, FAILURE_BRAND)) return Failure.from(result);
  let then: unknown;
  try {
    then = (result as { then?: unknown }).then;
  } catch {
    // A throwing `then` getter: not a thenable we can tell apart; a value like any other.
  }
  if (typeof then !== "function") return result;
  if (Deferred.is(result)) {
    throw new TypeError(
      `Expected \`${name}\` not to be a Deferred: a Deferred cannot be fired with another Deferred; use \`other.chainDeferred(d)\` to pass one's result to the other`,
    );
  }
  throw new TypeError(
    `Expected \`${name}\` not to be a Promise or other thenable, got ${formatValue(result)}: a Deferred's result is a value; use \`Deferred.fromPromise(p).chainDeferred(d)\` to pass a Promise's outcome on`,
  );
}

/** addCallback/addErrback/addBoth given a non-function: the TypeError shows what it was (a null too). */
function badStep(onResult: unknown, onFailure: unknown): void {
  assertFunction(onResult !== undefined ? onResult : onFailure, "fn");
}

// The constructor's rare branches, out of line: a small constructor is inlined into its callers.
function badCanceller(canceller: unknown): never {
  throw new TypeError(`Expected \`canceller\` to be a function or undefined, got ${formatValue(canceller)}`);
}

/** Debugging or pending-work tracking is on: record the new Deferred for them. */
function hookNewDeferred(d: Deferred<unknown>): void {
  if (getDebugging()) d._diagnostics = debugDiagnostics();
  trackNew(d);
}

/** Debug mode: a new Deferred's bookkeeping, with where it was created. */
function debugDiagnostics(): Diagnostics {
  const diagnostics = new Diagnostics();
  diagnostics.createdAt = captureStack(2); // past debugDiagnostics, hookNewDeferred, the constructor
  return diagnostics;
}

/**
 * An already-fired Deferred with a success.
 *
 * Twisted: `defer.succeed`.
 *
 * @example
 * ```ts
 * successResultOf(succeed(1).addCallback(String)); // => "1"
 * ```
 */
export function succeed<T>(result: T): Deferred<T> {
  const d = new Deferred<T>();
  if (d._diagnostics === null && !(typeof result === "object" && result !== null)) {
    // A primitive is neither a Deferred nor a Failure, and there are no steps yet: just set it.
    d._state = CALLED;
    d._result = result;
  } else {
    d.callback(result);
  }
  return d;
}

/**
 * An already-fired Deferred with a failure; `reason` is wrapped in a `Failure` unless it is one.
 *
 * Twisted: `defer.fail`. **Gotchas:** add an errback (or `await` it) before the garbage
 * collector finds it, or its failure is reported as unhandled.
 *
 * @example
 * ```ts
 * failureResultOf(fail(new RangeError("r")), RangeError).getErrorMessage(); // => "r"
 * ```
 */
export function fail<T = never>(reason?: unknown): Deferred<T> {
  const d = new Deferred<T>();
  d.errback(reason);
  return d;
}

/**
 * Calls `fn(...args)` now and returns a fired Deferred with its return value, or with its
 * failure if it threw.
 *
 * Twisted: `defer.execute`. **Gotchas:** a returned PromiseLike is not waited for (it becomes
 * the result as it is), and a returned Deferred gives a failed Deferred with a `TypeError`:
 * use `maybeDeferred` for functions that may return either.
 *
 * @example
 * ```ts
 * successResultOf(execute(Math.max, 3, 9)); // => 9
 * failureResultOf(execute(() => JSON.parse("{")), SyntaxError).type; // => SyntaxError
 * ```
 */
export function execute<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Deferred<R> {
  assertFunction(fn, "fn");
  let result: R;
  try {
    result = fn(...args);
  } catch (e) {
    return fail(e);
  }
  let then: unknown;
  try {
    then = thenOf(result);
  } catch (e) {
    return fail(e);
  }
  if (then !== undefined) {
    // Pending work cannot be a Deferred's result (callback() refuses it): say what to use instead.
    return fail(
      new TypeError("execute(): `fn` returned a Deferred or a PromiseLike; use maybeDeferred() for functions that return one"),
    );
  }
  return succeed(result);
}

/**
 * Calls `fn(...args)` now and gives its outcome as a Deferred, whatever kind it is: a returned
 * Deferred is passed through, a PromiseLike is adopted, a returned `Failure` or a throw becomes
 * a failed Deferred, any other value a succeeded one.
 *
 * Twisted: `defer.maybeDeferred`.
 *
 * @example
 * ```ts
 * successResultOf(maybeDeferred(() => 5)); // => 5
 * successResultOf(maybeDeferred(() => succeed("d"))); // => "d"
 * failureResultOf(maybeDeferred(() => { throw new TypeError("t"); }), TypeError).getErrorMessage(); // => "t"
 * ```
 */
export function maybeDeferred<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Deferred<StepResult<R>> {
  assertFunction(fn, "fn");
  let result: unknown;
  try {
    result = fn(...args);
  } catch (e) {
    return fail(e);
  }
  // A Deferred as it is, a PromiseLike adopted; anything else, a Failure of any copy included,
  // goes through succeed(), whose callback() makes a Failure the failure.
  let d: Deferred<unknown> | undefined;
  try {
    d = toDeferred(result);
  } catch (e) {
    return fail(e); // a throwing `then` getter is the function's failure, not ours to throw
  }
  return (d ?? succeed(result)) as Deferred<StepResult<R>>;
}
