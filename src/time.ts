import { Deferred, maybeDeferred, type StepResult } from "./deferred.js";
import type { Failure } from "./failure.js";
import { assertBoolean, assertClock, assertFunction, assertTime, formatValue } from "./internal/checks.js";
import { delayedCallGone, realClock, type DelayedCall, type IClock } from "./clock.js";
import { setWait, type Wait } from "./internal/waits.js";

// ClockCall states.
const PENDING = 0;
const CALLED = 1;
const CANCELLED = 2;

/**
 * The pending calls of one Clock and its time. Kept apart from `Clock` so that its calls can
 * reach it without `Clock` exposing internals.
 */
class Schedule {
  now = 0;
  /** Ticket of the latest (re)scheduling: ties in time run in ticket order. */
  ticket = 0;
  /**
   * Pending calls sorted by (time, ticket), *latest first*: the next due call is at the end,
   * so `advance()` takes it with an O(1) `pop()` rather than an O(n) `shift()` (STYLE item 12).
   * Insertion and removal are a binary search plus one `splice`.
   */
  readonly calls: ClockCall[] = [];

  /** Where `call` goes: the index of the first call that runs before it. */
  private position(call: ClockCall): number {
    const calls = this.calls;
    let lo = 0;
    let hi = calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = calls[mid]!;
      if (other._time < call._time || (other._time === call._time && other._ticket < call._ticket)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  insert(call: ClockCall): void {
    call._ticket = this.ticket++;
    this.calls.splice(this.position(call), 0, call);
  }

  remove(call: ClockCall): void {
    // (time, ticket) is unique, so the call sits just before the place it would be inserted at.
    const i = this.position(call) - 1;
    if (this.calls[i] === call) this.calls.splice(i, 1);
  }
}

class ClockCall implements DelayedCall {
  _time: number;
  _ticket = 0;
  private state: 0 | 1 | 2 = PENDING;
  private fn: ((...args: unknown[]) => unknown) | null;
  private args: unknown[] | null;
  private readonly schedule: Schedule;

  constructor(schedule: Schedule, time: number, fn: (...args: unknown[]) => unknown, args: unknown[]) {
    this.schedule = schedule;
    this._time = time;
    this.fn = fn;
    this.args = args;
  }

  private check(what: string): void {
    if (this.state !== PENDING) throw delayedCallGone(what, this.state === CALLED);
  }

  /** Runs the call; `advance()` has already taken it off the schedule. */
  _run(): void {
    // Marked called before it runs, so that cancel()/reset()/delay() from inside it throw.
    this.state = CALLED;
    const fn = this.fn!;
    const args = this.args!;
    this.fn = this.args = null;
    if (args.length === 0) fn();
    else fn(...args);
  }

  cancel(): void {
    this.check("cancel");
    this.state = CANCELLED;
    this.fn = this.args = null; // let go of what the call closes over
    this.schedule.remove(this);
  }

  active(): boolean {
    return this.state === PENDING;
  }

  reset(ms: number): void {
    this.check("reset");
    assertTime(ms, "ms");
    this.schedule.remove(this);
    this._time = this.schedule.now + ms;
    this.schedule.insert(this);
  }

  delay(ms: number): void {
    this.check("delay");
    assertTime(ms, "ms");
    this.schedule.remove(this);
    this._time += ms;
    this.schedule.insert(this);
  }

  getTime(): number {
    return this._time;
  }
}

/**
 * A deterministic clock for tests: time starts at 0 and moves only when you call `advance()`
 * or `pump()`, which run the calls that have come due, synchronously.
 *
 * Twisted: `task.Clock` (there `seconds()`, here `now()`, in ms). Pass it wherever an `IClock`
 * is taken (`addTimeout`, `deferLater`, `LoopingCall#clock`) to test timing without real timers.
 * Deliberate differences: `advance()` refuses a negative amount, and the order of calls due at
 * the same time after a `reset()`/`delay()` follows the rule below rather than Twisted's
 * history-dependent stable sort.
 *
 * **Gotchas:**
 * - Calls run in order of time, and calls due at the same time in the order they were
 *   scheduled; `reset()` and `delay()` count as scheduling the call again (as
 *   `clearTimeout` + `setTimeout` would).
 * - `advance(ms)` moves the time to its end *first*: every call it runs sees `now()` as the
 *   final time, not its own scheduled time (as Twisted). Use `pump()` with small steps to see
 *   the times in between.
 * - A call scheduled while `advance()` runs that is already due (e.g. `callLater(0, ...)`) runs
 *   in the same `advance()`, after the calls that were due before it. So a `LoopingCall` with
 *   interval 0 runs over and over inside one `advance()` until it is stopped.
 * - A call that throws: the error propagates out of `advance()` (the call counts as run);
 *   the remaining due calls stay pending and run on the next `advance()`, e.g. `advance(0)`.
 * - Every time it takes (`callLater`, `reset`, `delay`, `advance`) is a finite number >= 0, as
 *   on `realClock`: a non-number throws `TypeError`, NaN, ±Infinity or a negative number
 *   `RangeError` (Twisted's `task.Clock` takes a negative delay; its reactor asserts
 *   `delay >= 0`). Time does not go backwards, and `reset()` brings a call forward.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const seen: string[] = [];
 * clock.callLater(100, (what: string) => { seen.push(what); }, "tick");
 * clock.advance(99);
 * seen.length; // => 0
 * clock.advance(1);
 * seen; // => ["tick"]
 * clock.now(); // => 100
 * clock.getDelayedCalls().length; // => 0
 * ```
 */
export class Clock implements IClock {
  private readonly schedule = new Schedule();

  /**
   * The current time in ms: 0 when created, then the sum of every `advance()`.
   * Twisted: `Clock.seconds()`.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * clock.pump([10, 20]);
   * clock.now(); // => 30
   * ```
   */
  now(): number {
    return this.schedule.now;
  }

  /**
   * Schedules `fn(...args)` to run `ms` from now; it runs when an `advance()` reaches that time.
   * Returns the `DelayedCall`, which can be cancelled, reset or delayed while pending.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * const call = clock.callLater(50, () => {});
   * call.getTime(); // => 50
   * call.delay(25);
   * call.getTime(); // => 75
   * call.cancel();
   * call.active(); // => false
   * ```
   */
  callLater<A extends unknown[]>(ms: number, fn: (...args: A) => unknown, ...args: A): DelayedCall {
    assertTime(ms, "ms");
    assertFunction(fn, "fn");
    const schedule = this.schedule;
    const call = new ClockCall(schedule, schedule.now + ms, fn as (...args: unknown[]) => unknown, args);
    schedule.insert(call);
    return call;
  }

  /**
   * Moves the time `ms` forward and runs every call that is due by then, in order.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * const order: number[] = [];
   * clock.callLater(20, () => { order.push(20); });
   * clock.callLater(10, () => { order.push(10); clock.callLater(0, () => { order.push(0); }); });
   * clock.advance(30);
   * order; // => [10, 20, 0]
   * ```
   */
  advance(ms: number): void {
    assertTime(ms, "ms");
    const schedule = this.schedule;
    schedule.now += ms;
    const calls = schedule.calls;
    // Re-read the end each time: a call may schedule, cancel or reset others, or advance again.
    while (calls.length > 0) {
      const next = calls[calls.length - 1]!;
      if (next._time > schedule.now) break;
      calls.pop();
      next._run();
    }
  }

  /**
   * `advance()` by each amount in turn.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * const times: number[] = [];
   * const tick = () => { times.push(clock.now()); clock.callLater(10, tick); };
   * clock.callLater(10, tick);
   * clock.pump([10, 10, 5]);
   * times; // => [10, 20]
   * ```
   */
  pump(msList: Iterable<number>): void {
    if (msList === null || typeof msList !== "object" || typeof msList[Symbol.iterator] !== "function") {
      throw new TypeError(`Expected \`msList\` to be an iterable of numbers, got ${formatValue(msList)}`);
    }
    for (const ms of msList) this.advance(ms);
  }

  /**
   * The pending calls, earliest first (a new array each time).
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * clock.callLater(30, () => {});
   * clock.callLater(10, () => {});
   * clock.getDelayedCalls().map((c) => c.getTime()); // => [10, 30]
   * ```
   */
  getDelayedCalls(): DelayedCall[] {
    return this.schedule.calls.slice().reverse();
  }
}

/** deferLater's step when it has no function. */
function returnUndefined(): undefined {
  return undefined;
}

/**
 * A Deferred that fires `ms` from now on `clock` with `fn(...args)` (or with `undefined` when
 * there is no `fn`); if `fn` throws, it fails with what was thrown, and a Deferred or
 * PromiseLike that `fn` returns is waited for.
 *
 * Twisted: `task.deferLater`. As there, the Deferred's first step calls `fn` (or gives
 * `undefined`), so a value it is fired with by hand is replaced: `deferLater(clock, 1)` always
 * ends in `undefined` or a failure.
 *
 * **Gotchas:** it never fires synchronously, even for `ms` 0: the call waits for the clock.
 * Firing it yourself does not stop the timer, which then throws `AlreadyCalledError` from the
 * clock when it comes due (as in Twisted): cancel it instead.
 * `cancel()` before the time cancels the timer (no pending call is left) and fails the Deferred
 * with `CancelledError`, and `fn` never runs; after `fn` ran, `cancel()` reaches a Deferred it
 * returned, as for any chain.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const d = deferLater(clock, 1000, (a: number, b: number) => a + b, 2, 3);
 * assertNoResult(d);
 * clock.advance(1000);
 * successResultOf(d); // => 5
 *
 * const never = deferLater(clock, 1000, () => "too late");
 * never.cancel();
 * failureResultOf(never, CancelledError).value instanceof CancelledError; // => true
 * clock.getDelayedCalls().length; // => 0
 * ```
 */
export function deferLater<R = undefined, A extends unknown[] = []>(
  clock: IClock,
  ms: number,
  fn?: ((...args: A) => R) | null,
  ...args: A
): Deferred<StepResult<R>> {
  assertClock(clock, "clock");
  assertTime(ms, "ms");
  if (fn !== undefined && fn !== null) assertFunction(fn, "fn");
  const d = new Deferred<undefined>();
  const wait = new TimerWait();
  setWait(d as Deferred<unknown>, wait);
  // Always a step, as in Twisted: the result is what `fn` gives (or `undefined`), whatever
  // value the Deferred was fired with, so it always matches its type.
  const result = (
    fn === undefined || fn === null ? d.addCallback(returnUndefined) : d.addCallback(() => fn(...args))
  ) as Deferred<StepResult<R>>;
  wait.clock = clock;
  wait.call = clock.callLater(ms, () => d.callback(undefined));
  return result;
}

/**
 * A Deferred waiting on a clock call; cancelling it cancels the call, then fails the Deferred.
 * @internal
 */
export class TimerWait implements Wait {
  call: DelayedCall | null = null;
  /** The clock of `call` (describeWaiting says when it is due). */
  clock: IClock | null = null;

  _waitsOn(): readonly unknown[] {
    return this.call !== null && this.call.active() ? [this.call] : [];
  }

  _cancelWait(): boolean {
    if (this.call !== null && this.call.active()) this.call.cancel();
    return false; // cancel() goes on to fail the Deferred with CancelledError
  }
}

/**
 * Calls a function every `intervalMs` on a clock, until it is stopped or the function fails.
 *
 * Twisted: `task.LoopingCall`. The calls land on the grid `start time + k × interval`: a call
 * that ran late is followed by the next grid point, and intervals missed while the clock jumped
 * or while a returned Deferred/PromiseLike was pending are skipped, never replayed (use
 * `LoopingCall.withCount` to learn how many went by). The next call is scheduled only once
 * the function's returned Deferred or PromiseLike has settled, so runs never overlap.
 * Deliberate differences: errors are `Error`/`TypeError`/`RangeError` (Twisted: assertions and
 * `ValueError`); `withCount` counts afresh after each `start()`; a run still pending when the
 * loop is stopped and started again settles the old `start()`'s Deferred and leaves the new
 * loop alone (Twisted would schedule a second, overlapping loop).
 *
 * **Gotchas:**
 * - `start(ms)` runs the function at once, inside `start()`, unless `now` is `false`.
 * - Set `clock` before `start()`; it defaults to `realClock`.
 * - Cancelling the Deferred that `start()` returned does not stop the loop (as Twisted): call `stop()`.
 * - `stop()` while the function's returned Deferred is pending fires the Deferred from
 *   `start()` only when that one settles, and with its failure if it fails.
 * - With interval 0 on a `Clock`, the loop runs again and again inside one `advance()` until
 *   the function stops it.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const times: number[] = [];
 * const loop = new LoopingCall(() => { times.push(clock.now()); });
 * loop.clock = clock;
 * const done = loop.start(100);
 * clock.pump([100, 100, 250]);
 * times; // => [0, 100, 200, 450]
 * loop.stop();
 * successResultOf(done) === loop; // => true
 * clock.getDelayedCalls().length; // => 0
 * ```
 */
export class LoopingCall<A extends unknown[] = []> {
  private _clock: IClock = realClock;
  private _running = false;
  private _interval: number | undefined = undefined;
  private _startTime = 0;
  private _runAtStart = false;
  /** The scheduled next run, or null while the function runs or its Deferred is pending. */
  private _call: DelayedCall | null = null;
  /** The Deferred that the current `start()` returned; null once it has been fired. */
  private _deferred: Deferred<this> | null = null;
  /** withCount's bookkeeping: when the count function was last called. */
  private _lastTime: number | undefined = undefined;
  private readonly _fn: (...args: A) => unknown;
  private readonly _args: A;

  /** A stopped loop that will call `fn(...args)`; nothing runs until `start()`. */
  constructor(fn: (...args: A) => unknown, ...args: A) {
    assertFunction(fn, "fn");
    this._fn = fn;
    this._args = args;
  }

  /**
   * A loop that calls `countFn(count)`, where `count` is the number of intervals that went by
   * since its last call: 1 when on time, more when intervals were skipped; never 0.
   *
   * Twisted: `LoopingCall.withCount`. **Gotchas:** with interval 0 the count is always 1.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * const counts: number[] = [];
   * const loop = LoopingCall.withCount((n) => { counts.push(n); });
   * loop.clock = clock;
   * loop.start(100);
   * clock.advance(100);
   * clock.advance(350);
   * counts; // => [1, 1, 3]
   * loop.stop();
   * ```
   */
  static withCount(countFn: (count: number) => unknown): LoopingCall<[]> {
    assertFunction(countFn, "countFn");
    const loop: LoopingCall<[]> = new LoopingCall(() => {
      const now = loop._clock.now();
      const interval = loop._interval!;
      if (interval === 0) {
        loop._lastTime = now;
        return countFn(1);
      }
      let last = loop._lastTime;
      if (last === undefined) {
        // Before the first call, count from the start; a call at start counts as one interval.
        last = loop._startTime;
        if (loop._runAtStart) last -= interval;
      }
      const count = loop._intervalOf(now) - loop._intervalOf(last);
      if (count <= 0) return undefined;
      loop._lastTime = now;
      return countFn(count);
    });
    return loop;
  }

  /**
   * The clock the loop runs on, `realClock` unless set. Set it before `start()`.
   *
   * @example
   * ```ts
   * const loop = new LoopingCall(() => {});
   * loop.clock === realClock; // => true
   * loop.clock = new Clock();
   * loop.clock === realClock; // => false
   * ```
   */
  get clock(): IClock {
    return this._clock;
  }

  /** Sets the clock; a bad value throws `TypeError`. */
  set clock(clock: IClock) {
    assertClock(clock, "clock");
    this._clock = clock;
  }

  /**
   * `true` from `start()` until `stop()` or a failure of the function.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * const loop = new LoopingCall(() => {});
   * loop.clock = clock;
   * loop.start(10);
   * loop.running; // => true
   * loop.stop();
   * loop.running; // => false
   * ```
   */
  get running(): boolean {
    return this._running;
  }

  /**
   * The interval in ms, `undefined` before the first `start()`. It may be changed while the loop
   * runs: the new value is used from the next scheduling on.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * const loop = new LoopingCall(() => {});
   * loop.interval; // => undefined
   * loop.clock = clock;
   * loop.start(10);
   * loop.interval; // => 10
   * loop.stop();
   * ```
   */
  get interval(): number | undefined {
    return this._interval;
  }

  /** Sets the interval for the next runs; a bad value throws as `start()` does. */
  set interval(ms: number) {
    assertTime(ms, "interval");
    this._interval = ms;
  }

  /**
   * Starts the loop: calls the function now (unless `now` is `false`) and then every
   * `intervalMs`. Returns a Deferred that fires with this LoopingCall once the loop is stopped,
   * or fails with the function's failure (a throw, or a failed returned Deferred/PromiseLike),
   * which also stops the loop.
   *
   * Throws `Error` if the loop is already running, `TypeError` for a non-number `intervalMs`
   * and `RangeError` for a negative, NaN or infinite one (0 means as often as possible), and
   * `TypeError` for a `now` that is not a boolean.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * const loop = new LoopingCall(() => { throw new Error("broken"); });
   * loop.clock = clock;
   * const done = loop.start(10);
   * failureResultOf(done).getErrorMessage(); // => "broken"
   * loop.running; // => false
   * ```
   */
  start(intervalMs: number, now = true): Deferred<this> {
    if (this._running) throw new Error("Tried to start a LoopingCall that is already running");
    assertTime(intervalMs, "intervalMs");
    assertBoolean(now, "now"); // (undefined became the default, true)
    const clock = this._clock;
    const deferred = new Deferred<this>();
    this._running = true;
    this._deferred = deferred;
    this._interval = intervalMs;
    this._startTime = clock.now();
    this._runAtStart = Boolean(now);
    this._lastTime = undefined;
    if (now) this._tick();
    else this._scheduleFrom(this._startTime);
    return deferred;
  }

  /**
   * Stops the loop. If the next call was scheduled, it is cancelled and the Deferred from
   * `start()` fires with this LoopingCall now; if the function is running or its returned
   * Deferred is pending, that Deferred fires when it settles. Throws `Error` if not running.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * let runs = 0;
   * const loop = new LoopingCall(() => { runs++; });
   * loop.clock = clock;
   * loop.start(10, false);
   * loop.stop();
   * clock.advance(100);
   * runs; // => 0
   * ```
   */
  stop(): void {
    if (!this._running) throw new Error("Tried to stop a LoopingCall that is not running");
    this._running = false;
    const call = this._call;
    if (call !== null) {
      this._call = null;
      call.cancel();
      const d = this._deferred!;
      this._deferred = null;
      d.callback(this);
    }
  }

  /**
   * Restarts the interval from now: the scheduled next call is moved to one interval from now
   * (and the grid is rebased on now). Does nothing while the function's returned Deferred is
   * pending. Throws `Error` if not running.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * let runs = 0;
   * const loop = new LoopingCall(() => { runs++; });
   * loop.clock = clock;
   * loop.start(100, false);
   * clock.advance(60);
   * loop.reset();
   * clock.advance(60);
   * runs; // => 0
   * clock.advance(40);
   * runs; // => 1
   * loop.stop();
   * ```
   */
  reset(): void {
    if (!this._running) throw new Error("Tried to reset a LoopingCall that is not running");
    const call = this._call;
    if (call !== null) {
      this._call = null;
      call.cancel();
      this._startTime = this._clock.now();
      this._scheduleFrom(this._startTime);
    }
  }

  /** Which grid interval `t` falls in (truncated, as Twisted's `int()`). */
  private _intervalOf(t: number): number {
    return Math.trunc((t - this._startTime) / this._interval!);
  }

  /** One run of the function; schedules the next when it has settled. */
  private readonly _tick = (): void => {
    this._call = null;
    // The start() this run belongs to: if the loop is stopped and started again before this
    // run settles, the run finishes the old start()'s Deferred and leaves the new loop alone.
    const owner = this._deferred!;
    maybeDeferred(this._fn, ...this._args)
      .addCallback(() => {
        if (this._deferred === owner && this._running) {
          this._scheduleFrom(this._clock.now());
          return;
        }
        if (this._deferred === owner) this._deferred = null;
        owner.callback(this);
      })
      .addErrback((failure: Failure) => {
        if (this._deferred === owner) {
          this._running = false;
          this._deferred = null;
        }
        owner.errback(failure);
      });
  };

  private _scheduleFrom(when: number): void {
    const interval = this._interval!;
    let delay = 0;
    if (interval !== 0) {
      let into = (when - this._startTime) % interval;
      if (into < 0) into += interval; // a clock that went backwards (% keeps the dividend's sign)
      delay = interval - into;
      // A gap too small to move the time (float rounding) would run twice at one instant.
      if (when + delay === when) delay = interval;
    }
    this._call = this._clock.callLater(delay, this._tick);
  }
}
