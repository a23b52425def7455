import { AlreadyCalledError, CancelledError } from "./errors.js";
import { Failure } from "./failure.js";
import { assertFunction, assertNumber, describe } from "./internal/describe.js";
import { realClock, type IClock } from "./clock.js";
import { addTimeout, type OnTimeoutCancel } from "./internal/timeout.js";
import { getDebugging } from "./debug.js";
import { captureStack, Extra, NO_DEBUG_INFO, reportUnhandled, watch } from "./internal/unhandled.js";

/**
 * What a chain carries on after a step that returned `U`: a returned Deferred or PromiseLike
 * is waited for, and a returned `Failure` switches to the errbacks, so neither is a value.
 */
export type StepResult<U> = Exclude<Awaited<U>, Failure>;

/** A function that a Deferred calls on `cancel()` while it has no result yet. */
export type Canceller<T> = (deferred: Deferred<T>) => void;

// _state: flag bits, and the pause count above them. One small integer instead of four
// booleans and a counter keeps a Deferred at 10 fields, and lets the hot paths ask "fired,
// not running, not paused?" with one load and one compare: (_state & READY_MASK) === CALLED.
const CALLED = 1; // callback() or errback() has been invoked
const RUNNING = 2; // one of this Deferred's steps is running (a CHAIN step: until its target's run ends)
const SUPPRESS = 4; // cancelled without a canceller: ignore one late callback()/errback()
const QUEUED = 8; // waiting in `pendingChecks` for the unhandled-failure check
const PAUSE = 16; // one pause() (or the runner's wait on the Deferred in `_link`); _state >>> 4 is the count
const READY_MASK = ~(SUPPRESS | QUEUED);
// "Has a result and is not paused", running or not: what a step's returned Deferred must be for
// its result to be taken at once (adopt).
const TAKE_MASK = ~(SUPPRESS | QUEUED | RUNNING);

// Steps: the oldest pending step sits in three fields of the Deferred (_cb, _eb, _args), so a
// Deferred with one step allocates nothing more (bench S1, S7); further steps go to a flat
// array: a plain callback as one slot (the function), any other step as four slots
// [null, onResult, onFailure, args]. `_args === NO_STEP` marks the inline slot empty. These two markers stand in the function slots of internal steps and are never
// called. CONTINUE: hand the result to the Deferred in the args slot, which is paused waiting
// for it. CHAIN: fire the Deferred in the args slot with the result (chainDeferred).
const NO_STEP: unknown[] = [];
function CONTINUE(): void {}
function CHAIN(): void {}
// In the args slot, OBSERVE marks an observer (then/asPromise, Promise adoption): its two
// functions get the value or the failure's value, and the result stays as it was.
const OBSERVE: unknown[] = [];

type AnyStep = (result: unknown, ...args: unknown[]) => unknown;

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
  /** @internal Bits CALLED | RUNNING | SUPPRESS | QUEUED, plus PAUSE times the pause count. */
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
   * other step four: `null`, onResult, onFailure, args.
   */
  _steps: unknown[] | null;
  /** @internal Index of the next step's first slot in `_steps`. */
  _head: number;
  /**
   * @internal Before the Deferred fires, its canceller; after, the Deferred it is paused waiting
   * on (a step returned it). One field for both, as their lifetimes never overlap: 8 bytes
   * less per Deferred (bench S7). The canceller is typed for `unknown` so that `Deferred<T>`
   * stays covariant in `T`.
   */
  _link: Canceller<unknown> | Deferred<unknown> | undefined;
  /** @internal Debug stacks and unhandled-failure bookkeeping, for the few that need them. */
  _extra: Extra | null;

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
    this._extra = null;
    if (getDebugging()) this._extra = debugExtra();
  }

  /** `true` once `callback()` or `errback()` has been invoked (even while the chain waits). */
  get called(): boolean {
    return (this._state & CALLED) !== 0;
  }

  /** How many `pause()` calls are not yet matched by `unpause()`, plus one while waiting on a Deferred a step returned. */
  get paused(): number {
    return this._state >>> 4;
  }

  /**
   * Fires the Deferred with a success: the chain runs now, inside this call.
   *
   * Throws `AlreadyCalledError` if it was fired before (except once after a `cancel()` of a
   * Deferred without canceller), and `TypeError` for a Deferred result (use `chainDeferred`).
   */
  callback(result: T): void {
    if (result instanceof Deferred) {
      throw new TypeError(
        "Expected `result` not to be a Deferred: a Deferred cannot be fired with another Deferred; use `other.chainDeferred(d)` to pass one's result to the other",
      );
    }
    this._fire(result);
  }

  /**
   * Fires the Deferred with a failure: `reason` is wrapped in a `Failure` unless it is one.
   * Same rules as `callback()` for a second call.
   */
  errback(reason?: unknown): void {
    this._fire(reason instanceof Failure ? reason : new Failure(reason));
  }

  /**
   * @internal Fires the Deferred. V8 inlines a method into its caller only while the caller's
   * budget of inlined bytecode lasts, and dead branches count too: so this keeps only the
   * hot case (one plain step held inline: bench S1) and leaves the rest to `fireSlow`.
   */
  _fire(result: unknown): void {
    const state = this._state;
    if ((state & CALLED) !== 0) return this._fireAgain(state);
    markFired(this, state);
    this._result = result;
    // Anything but one inline step with no extra argument or a combinator's index (bench S4)?
    // (State 0: it was neither paused nor fired.)
    const args = this._args;
    if ((args !== undefined && typeof args !== "number") || this._steps !== null || state !== 0) return fireSlow(this);
    const fn = result instanceof Failure ? this._eb : this._cb;
    this._cb = this._eb = undefined;
    this._args = NO_STEP;
    if (fn === undefined) return settle(this);
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
      this._finishRun(r, result);
    }
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
    if (onFailure !== undefined && onFailure !== null && typeof onFailure !== "function") {
      assertFunction(onFailure, "onFailure");
    }
    return this._add(onResult as AnyStep, (onFailure ?? undefined) as AnyStep | undefined, undefined);
  }

  /** @internal A second callback()/errback(): dropped once after a canceller-less cancel(), else an error. */
  _fireAgain(state: number): void {
    if ((state & SUPPRESS) === 0) throw alreadyCalled(this);
    // Twisted's _suppressAlreadyCalled: the canceller-less cancel() already fired this Deferred
    // with CancelledError; the operation's own late result is expected, and dropped once.
    this._state = state & ~SUPPRESS;
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
    // Fast path (bench S2): fired with a success, not running, not paused, no extra arguments:
    // the step runs now and is never stored. Kept to few bytecodes so that V8 inlines it into
    // a chain of calls; everything else is in `_addSlow`. `arguments` rather than a rest
    // parameter: V8 reads its length without allocating, and copies it only in `restArgs`.
    const input = this._result;
    if (arguments.length !== 1 || this._state !== CALLED || input instanceof Failure) {
      // eslint-disable-next-line prefer-rest-params
      return this._addSlow(fn as AnyStep, undefined, arguments.length === 1 ? undefined : restArgs(arguments));
    }
    this._state = 3; // CALLED | RUNNING, as literals: fewer bytecodes, so V8 inlines more calls
    let r: unknown;
    try {
      r = (fn as AnyStep)(input);
    } catch (e) {
      r = this._caught(e, fn);
    }
    this._result = r;
    this._state -= 2; // RUNNING (a step cannot clear it: runs of this Deferred see it and return)
    // A primitive needs no adoption and is no failure; and the result before it was no failure
    // either, so settle() has nothing to clear (it cleared any failure report when that result
    // arrived). Steps that `fn` added sit in the inline slot.
    if (typeof r === "object" || typeof r === "function" || this._args !== NO_STEP) return this._finishRun(r, input);
    return this;
  }

  /** @internal What a fast-path step threw, as a Failure; a non-function step is the caller's error. */
  _caught(e: unknown, fn: unknown): Failure {
    if (typeof fn !== "function") {
      this._state &= ~RUNNING;
      assertFunction(fn, "fn");
    }
    return asFailure(e);
  }

  /** @internal addCallback/addErrback/addBoth off the fast path: check, then run or queue. */
  _addSlow(onResult: AnyStep | undefined, onFailure: AnyStep | undefined, args: unknown[] | undefined): this {
    const fn = onResult ?? onFailure;
    if (typeof fn !== "function") assertFunction(fn, "fn");
    if (this._state === 0 && this._args === NO_STEP) {
      // The first step of a pending Deferred (bench S1) goes in the inline slot. Only this
      // case is here, to keep the method small for V8 to inline (see _fire).
      this._cb = onResult;
      this._eb = onFailure;
      this._args = args;
      return this;
    }
    return this._addMore(onResult, onFailure, args);
  }

  /** @internal The rest of _addSlow: queue behind other steps, or run now. */
  _addMore(onResult: AnyStep | undefined, onFailure: AnyStep | undefined, args: unknown[] | undefined): this {
    const state = this._state;
    if ((state & CALLED) === 0) {
      pushStep(this, onResult, onFailure, args); // pending (bench S3)
      return this;
    }
    // A failure passing by a callback (bench S5): nothing to run or store.
    if (onFailure === undefined && (state & READY_MASK) === CALLED && this._result instanceof Failure) return this;
    return this._add(onResult, onFailure, args) as unknown as this;
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
    return this._add(undefined, fn as AnyStep, args.length === 0 ? undefined : args);
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
    return this._add(fn as AnyStep, fn as AnyStep, args.length === 0 ? undefined : args);
  }

  /** @internal Appends a step and runs it if the Deferred can run now. */
  _add<R>(onResult: AnyStep | undefined, onFailure: AnyStep | undefined, args: unknown[] | undefined): Deferred<R> {
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
      return this._after(r, result) as unknown as Deferred<R>;
    }
    pushStep(this, onResult, onFailure, args);
    return this as unknown as Deferred<R>;
  }

  /**
   * @internal For combinators: a step `fn(resultOrFailure, index)` whose one extra argument is a
   * small integer, kept in the args slot as it is: no argument array per input (bench S4).
   */
  _addIndexed(fn: (result: unknown, index: number) => unknown, index: number): void {
    this._add(fn as AnyStep, fn as AnyStep, index as unknown as unknown[]);
  }

  /** @internal A fast-path step given `input` returned (or threw) `r`: record it and finish the run. */
  _after(r: unknown, input: unknown): this {
    this._result = r;
    this._state &= ~RUNNING;
    return this._finishRun(r, input);
  }

  /** @internal After a fast-path step: adopt what it returned, run what it queued, track a failure. */
  _finishRun(r: unknown, input: unknown): this {
    if (typeof r === "object" ? r !== null : typeof r === "function") adopt(this, r as object, input);
    if (this._args !== NO_STEP || this._steps !== null) runCallbacks(this); // the step added steps
    else settle(this);
    return this;
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
      throw new TypeError(`Expected \`other\` to be a Deferred, got ${describe(other)}`);
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
    const own = (this._state >>> 4) - (waiting ? 1 : 0);
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
        // A combinator (DeferredList, gatherResults) cancels its inputs in its own cancel().
        next.cancel();
        return;
      }
      target = next;
      if ((++hops & 1) === 0) behind = behind._link as Deferred<unknown>;
      if (target === behind) return;
    }
    const canceller = target._link as Canceller<unknown> | undefined; // not fired yet
    if (canceller === undefined) {
      target._state |= SUPPRESS;
    } else {
      try {
        canceller(target);
      } catch (e) {
        if ((target._state & CALLED) === 0) target.errback(e);
        else reportUnhandled(Failure.from(e), target._extra ?? NO_DEBUG_INFO);
        return;
      }
    }
    if ((target._state & CALLED) === 0) target.errback(new CancelledError("Deferred was cancelled"));
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
    assertNumber(ms, "ms");
    if (clock === null || typeof clock !== "object" || typeof clock.callLater !== "function") {
      throw new TypeError(`Expected \`clock\` to be an IClock, got ${describe(clock)}`);
    }
    if (onTimeoutCancel !== undefined) assertFunction(onTimeoutCancel, "onTimeoutCancel");
    addTimeout(this, ms, clock, onTimeoutCancel);
    return this;
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

  /**
   * A Deferred that fires with the promise's outcome: its value, or a failure wrapping its
   * rejection reason. A Deferred is returned as it is.
   *
   * Twisted: `Deferred.fromFuture`. **Gotchas:** a Promise cannot be cancelled: `cancel()` fires
   * the Deferred with `CancelledError` and the promise's later outcome is ignored.
   *
   * @example
   * ```ts
   * const d = Deferred.fromPromise(Promise.resolve(5));
   * (await d); // => 5
   * ```
   */
  static fromPromise<T>(promise: PromiseLike<T>): Deferred<T> {
    if (promise instanceof Deferred) return promise as Deferred<T>;
    const then = thenOf(promise);
    if (then === undefined) {
      throw new TypeError(`Expected \`promise\` to be a PromiseLike, got ${describe(promise)}`);
    }
    return fromThen(promise, then);
  }

  /** `Deferred<pending>`, `Deferred<called: result>`, for debugging output. */
  toString(): string {
    if ((this._state & CALLED) === 0) return "Deferred<pending>";
    if (this._link !== undefined) return "Deferred<waiting on another Deferred>";
    return `Deferred<called: ${this._result instanceof Failure ? this._result.toString() : describe(this._result)}>`;
  }
}

/** A method's arguments after its first (the step), as an array. */
function restArgs(args: IArguments): unknown[] {
  const rest: unknown[] = [];
  for (let i = 1; i < args.length; i++) rest.push(args[i]);
  return rest;
}

// The constructor's rare branches, out of line: a small constructor is inlined into its callers.
function badCanceller(canceller: unknown): never {
  throw new TypeError(`Expected \`canceller\` to be a function or undefined, got ${describe(canceller)}`);
}

/** Debug mode: a new Deferred's bookkeeping, with where it was created. */
function debugExtra(): Extra {
  const extra = new Extra();
  extra.createdAt = captureStack(1);
  return extra;
}

/** `_fire` for every case but one inline step of an unpaused Deferred: no step, several, or paused. */
function fireSlow(d: Deferred<unknown>): void {
  if (d._args === NO_STEP && d._steps === null) settle(d); // no step to run
  else runCallbacks(d);
}

/** What a step threw, as a Failure. */
function asFailure(e: unknown): Failure {
  return e instanceof Failure ? e : new Failure(e);
}

/** Calls a step with its extra arguments: none, one index (see _addIndexed), an array, or an observer's. */
function callStep(fn: AnyStep, result: unknown, args: unknown): unknown {
  if (args === undefined) return fn(result);
  if (typeof args === "number") return fn(result, args);
  if (args === OBSERVE) {
    observeNow(result, fn, fn); // fn is already the observer's function for this outcome
    return result; // unchanged, and (being the step's input) not adopted
  }
  return fn(result, ...(args as unknown[]));
}


/**
 * `value.then` when `value` is a thenable, else `undefined`. The property is read once (a
 * getter may differ or throw on a second read; Promises/A+ 2.3.3.1), and a throwing getter
 * throws here, for the caller to turn into a failure.
 */
function thenOf(value: unknown): ((...args: unknown[]) => unknown) | undefined {
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return undefined;
  const then = (value as { then?: unknown }).then;
  return typeof then === "function" ? (then as (...args: unknown[]) => unknown) : undefined;
}

/** A Deferred fed by `then.call(thenable, ...)`; extra or late calls of the thenable are ignored. */
function fromThen<T>(thenable: unknown, then: unknown): Deferred<T> {
  const d = new Deferred<T>();
  let done = false;
  try {
    (then as PromiseLike<T>["then"]).call(
      thenable,
      (value) => {
        if (done) return;
        done = true;
        if (value instanceof Deferred) {
          // Adopt its outcome as a Promise would, without taking its result away from it.
          value._observe(
            (v) => d._fire(v),
            (reason) => d._fire(new Failure(reason)),
          );
          return;
        }
        // A thenable fulfilled with another thenable: adopt that one too (Promises/A+ 2.3.3.3.1).
        let innerThen: unknown;
        try {
          innerThen = thenOf(value);
        } catch (e) {
          d._fire(new Failure(e));
          return;
        }
        if (innerThen !== undefined) fromThen(value, innerThen).chainDeferred(d);
        else d._fire(value);
      },
      (reason) => {
        if (done) return;
        done = true;
        d._fire(reason instanceof Failure ? reason : new Failure(reason));
      },
    );
  } catch (e) {
    if (!done) {
      done = true;
      d._fire(new Failure(e));
    }
  }
  return d;
}

function alreadyCalled(d: Deferred<unknown>): AlreadyCalledError {
  let message = "Deferred has already been called";
  const extra = d._extra;
  if (extra !== null) {
    if (extra.createdAt !== undefined) message += `\nIt was created at:\n${extra.createdAt}`;
    if (extra.firstFiredAt !== undefined) message += `\nIt was first fired at:\n${extra.firstFiredAt}`;
  } else {
    message += " (setDebugging(true) shows where it was created and first fired)";
  }
  return new AlreadyCalledError(message);
}

/** Queues a step. Compacts the array when most of it is consumed, so a queue never grows without bound. */
function pushStep(d: Deferred<unknown>, onResult: unknown, onFailure: unknown, args: unknown): void {
  let steps = d._steps;
  if (steps === null) {
    if (d._args === NO_STEP) {
      // The only pending step: keep it in the Deferred itself, no array.
      d._cb = onResult as AnyStep | undefined;
      d._eb = onFailure as AnyStep | undefined;
      d._args = args;
      return;
    }
    // One slot for a plain callback, four for any other step (see `_steps`): a 10-step chain's
    // array is then allocated twice, not three times, and is a third of the size (bench S3).
    d._steps = onFailure === undefined && args === undefined ? [onResult] : [null, onResult, onFailure, args];
    d._head = 0;
    return;
  }
  if (d._head >= 3072) steps = compactSteps(d, steps);
  if (onFailure === undefined && args === undefined) steps.push(onResult);
  else steps.push(null, onResult, onFailure, args);
}

/** A step that keeps adding steps to its own Deferred: drop the consumed prefix (O(1) amortised). */
function compactSteps(d: Deferred<unknown>, steps: unknown[]): unknown[] {
  const head = d._head;
  if (head * 2 < steps.length) return steps;
  const rest = steps.slice(head);
  d._steps = rest;
  d._head = 0;
  return rest;
}

/**
 * A step returned `r`, an object or function that is not a Failure. If it is a Deferred or a
 * PromiseLike, either take its result now or pause `d` until it has one.
 */
function adopt(d: Deferred<unknown>, r: object, input: unknown): void {
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
    if (then === undefined) return;
    inner = fromThen(r, then);
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
    if (inner._extra !== null) inner._extra.failure = null;
    return;
  }
  d._state += PAUSE;
  d._link = inner;
  pushStep(inner, CONTINUE, CONTINUE, d);
}

// Deferreds whose last run ended in an unhandled failure, to look at again in a microtask:
// by then most have been handled (an errback added right after firing), and those pay nothing.
let pendingChecks: Deferred<unknown>[] = [];
let checkScheduled = false;

/** Called whenever a run of `d` ends: keeps the unhandled-failure bookkeeping right. */
function settle(d: Deferred<unknown>): void {
  // Kept small (the failure branch is its own function) so that V8 inlines it on hot paths.
  const r = d._result;
  if (r instanceof Failure && !r._observed) queueCheck(d);
  else if (d._extra !== null) d._extra.failure = null;
}

/** `d`'s run ended in a failure nobody has handled yet: look at it again in a microtask. */
function queueCheck(d: Deferred<unknown>): void {
  if ((d._state & QUEUED) !== 0) return;
  d._state |= QUEUED;
  pendingChecks.push(d);
  if (!checkScheduled) {
    checkScheduled = true;
    queueMicrotask(checkPending);
  }
}

function checkPending(): void {
  const list = pendingChecks;
  pendingChecks = [];
  checkScheduled = false;
  for (let i = 0; i < list.length; i++) {
    const d = list[i]!;
    d._state &= ~QUEUED;
    const r = d._result;
    if (r instanceof Failure && !r._observed) {
      const extra = (d._extra ??= new Extra());
      extra.failure = r;
      watch(d, extra);
    }
  }
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
function runCallbacks(start: Deferred<unknown>): void {
  if ((start._state & RUNNING) !== 0) return; // its runner is further up the stack and will go on
  let current = start;
  // This run's part of the shared stack starts at `base` (a step may start a nested run).
  const base = runStack.length;
  for (;;) {
    current._state |= RUNNING;
    let next: Deferred<unknown> | null = null;
    while (current._state < PAUSE) {
      const result = current._result;
      const failed = result instanceof Failure;
      let fn: AnyStep | undefined;
      let args: unknown;
      if (current._args !== NO_STEP) {
        fn = failed ? current._eb : current._cb;
        args = current._args;
        current._cb = current._eb = undefined;
        current._args = NO_STEP;
      } else {
        const steps = current._steps;
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
      finish(current);
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
function markFired(d: Deferred<unknown>, state: number): void {
  d._state = state | CALLED;
  d._link = undefined; // the canceller is never needed again; let whatever it closes over go
  if (d._extra !== null && getDebugging()) d._extra.firstFiredAt = captureStack();
}

/** Hands `result` to an observer: the value, or the failure's value (which counts as handled). */
function observeNow(result: unknown, onValue: (value: unknown) => void, onReason: (reason: unknown) => void): void {
  if (result instanceof Failure) {
    result._observed = true;
    onReason(result.value);
  } else {
    onValue(result);
  }
}

/** A run of `d` is over for now. */
function finish(d: Deferred<unknown>): void {
  d._state &= ~RUNNING;
  const steps = d._steps;
  if (steps !== null && d._head >= steps.length) {
    d._steps = null;
    d._head = 0;
  }
  settle(d);
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
  if (d._extra === null && !(typeof result === "object" && result !== null)) {
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
  if (result instanceof Deferred) {
    // A Deferred cannot be a Deferred's result (callback() refuses it): say what to use instead.
    return fail(new TypeError("execute(): `fn` returned a Deferred; use maybeDeferred() for functions that return Deferreds"));
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
  if (result instanceof Deferred) return result as Deferred<StepResult<R>>;
  if (result instanceof Failure) return fail(result);
  let then: unknown;
  try {
    then = thenOf(result);
  } catch (e) {
    return fail(e); // a throwing `then` getter is the function's failure, not ours to throw
  }
  if (then !== undefined) return fromThen(result, then);
  return succeed(result as StepResult<R>);
}

/**
 * A Deferred for `value`: a Deferred itself, or a Deferred that adopts a PromiseLike (such as
 * the Promise an `async` function returns).
 *
 * Twisted: `defer.ensureDeferred` (there it takes coroutines). Throws `TypeError` for anything else.
 *
 * @example
 * ```ts
 * const d = ensureDeferred((async () => 3)());
 * (await d); // => 3
 * ```
 */
export function ensureDeferred<T>(value: PromiseLike<T> | Deferred<T>): Deferred<T> {
  if (value instanceof Deferred) return value;
  const then = thenOf(value);
  if (then === undefined) {
    throw new TypeError(`Expected \`value\` to be a Deferred or a PromiseLike, got ${describe(value)}`);
  }
  return fromThen(value, then);
}
