// inlineCallbacks: generator coroutines over Deferreds, and ensureDeferred.
//
// A coroutine's generator runs in a loop (`resume`), not by recursion: a value or an
// already-fired Deferred yielded a million times in a row costs no stack (Twisted had to fix
// exactly this). When it yields a Deferred that has no result yet, the loop adds one step to
// it and returns; that step resumes the loop from inside the Deferred's `callback()`, so the
// generator goes on synchronously, as Twisted's does.
import { Deferred, type StepResult } from "./deferred.js";
import { Failure } from "./failure.js";
import { formatValue } from "./internal/checks.js";
import { toDeferred } from "./internal/thenable.js";
import { getWaitCheck } from "./debug.js";
import { setWait, type Wait } from "./internal/waits.js";

/**
 * The generator a coroutine runs: it yields Deferreds, PromiseLikes or plain values, and
 * what it returns is the result. What a `yield` evaluates to is `unknown` to TypeScript (one
 * generator yields many types): write `const n = (yield d) as number`.
 *
 * @example
 * ```ts
 * function* double(): Coroutine<number> {
 *   const n = (yield succeed(21)) as number;
 *   return n * 2;
 * }
 * successResultOf(ensureDeferred(double())); // => 42
 * ```
 */
export type Coroutine<R> = Generator<unknown, R, unknown>;

/**
 * Turns a generator function into a function that returns a Deferred: the generator runs at
 * once, up to its first `yield` of something that has no result yet, and the Deferred fires
 * with what it returns.
 *
 * Twisted: `defer.inlineCallbacks`. `yield` takes a Deferred, any PromiseLike, or a plain value
 * (given back at once). The generator resumes synchronously inside the `callback()` of the
 * Deferred it waits on, and at once if that one already has a result; a failure is thrown at
 * the `yield` as the failure's `value`, catchable with try/catch. An error thrown anywhere in the
 * generator (also before its first `yield`) fails the Deferred; it is never thrown to the caller.
 * Returning a Deferred or a PromiseLike waits for it.
 *
 * `cancel()` of the returned Deferred cancels the Deferred the generator waits on, so that the
 * `yield` throws its `CancelledError` (and `finally` blocks run); a generator that catches it
 * and goes on, goes on, and a second `cancel()` cancels what it waits on then. A coroutine
 * waiting on another coroutine passes the cancel down. After it finished, `cancel()` does nothing.
 *
 * **Gotchas:** a yielded Deferred's result is taken by the coroutine, as a step would: that
 * Deferred's own chain goes on with `undefined` (so a failure it hands over is never reported
 * as unhandled). `cancel()` while the generator itself is running (from its own code) does
 * nothing. Throws `TypeError` at once if `fn` is not a function, or if calling it gives no generator.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const fetchUser = inlineCallbacks(function* (id: number) {
 *   const name = (yield deferLater(clock, 10, () => `user ${id}`)) as string;
 *   try {
 *     yield fail(new Error("offline"));
 *   } catch (e) {
 *     return `${name}, ${(e as Error).message}`;
 *   }
 *   return name;
 * });
 * const d = fetchUser(7);
 * clock.advance(10); // the generator resumes here, inside the timer's callback()
 * successResultOf(d); // => "user 7, offline"
 * ```
 */
export function inlineCallbacks<A extends unknown[], R>(
  fn: (...args: A) => Coroutine<R>,
): (...args: A) => Deferred<StepResult<R>> {
  if (typeof fn !== "function") {
    throw new TypeError(`Expected \`fn\` to be a generator function, got ${formatValue(fn)}`);
  }
  return function (this: unknown, ...args: A): Deferred<StepResult<R>> {
    const gen = fn.apply(this, args);
    if (!isGenerator(gen)) {
      throw new TypeError(
        `Expected \`fn\` to return a generator (declare it with function*), got ${formatValue(gen)}`,
      );
    }
    return startCoroutine(gen, fn);
  };
}

/**
 * A Deferred for `value`: a Deferred itself; a Deferred that adopts a PromiseLike (such as the
 * Promise an `async` function returns); or, for a generator, the Deferred of running it as an
 * `inlineCallbacks` coroutine.
 *
 * Twisted: `defer.ensureDeferred`. Throws `TypeError` for anything else.
 *
 * @example
 * ```ts
 * const d = ensureDeferred((async () => 3)());
 * (await d); // => 3
 * const g = ensureDeferred((function* () { return ((yield succeed(2)) as number) * 2; })());
 * successResultOf(g); // => 4
 * ```
 */
export function ensureDeferred<T>(value: Coroutine<T>): Deferred<StepResult<T>>;
export function ensureDeferred<T>(value: PromiseLike<T> | Deferred<T>): Deferred<T>;
export function ensureDeferred(value: unknown): Deferred<unknown> {
  if (value instanceof Deferred) return value;
  if (isGenerator(value)) return startCoroutine(value, null);
  const d = toDeferred(value);
  if (d === undefined) {
    throw new TypeError(`Expected \`value\` to be a Deferred, a PromiseLike or a generator, got ${formatValue(value)}`);
  }
  return d;
}

function isGenerator(value: unknown): value is Coroutine<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Coroutine<unknown>).next === "function" &&
    typeof (value as Coroutine<unknown>).throw === "function"
  );
}

/**
 * One running coroutine: its generator, its Deferred, and the Deferred it waits on. It is also
 * its Deferred's Wait (internal/waits.ts), which is how `cancel()` reaches `waitingOn`.
 * @internal
 */
export class CoroutineRun implements Wait {
  readonly gen: Coroutine<unknown>;
  readonly deferred: Deferred<unknown>;
  /** The generator function, when known (describeWaiting shows its name). */
  readonly fn: ((...args: never[]) => unknown) | null;
  /** How many times the generator has yielded (describeWaiting: "at yield #3"). */
  yields = 0;
  /** Set once the generator returned a Deferred or PromiseLike that `waitingOn` now is. */
  finishing = false;
  /** The Deferred the generator waits on now; `null` while it runs or once it finished. */
  waitingOn: Deferred<unknown> | null = null;
  /**
   * The step added to `waitingOn`; made the first time the coroutine waits (one that only
   * yields fired Deferreds and values never needs it: bench S11).
   */
  onResult: ((result: unknown) => undefined) | null = null;

  constructor(gen: Coroutine<unknown>, fn: ((...args: never[]) => unknown) | null) {
    this.gen = gen;
    this.fn = fn;
    this.deferred = new Deferred<unknown>();
    setWait(this.deferred, this);
  }

  /** Waits on `d`: the generator resumes with its result, inside its `callback()`. */
  wait(d: Deferred<unknown>): void {
    this.waitingOn = d;
    d.addBoth(
      (this.onResult ??= (result) => {
        this.waitingOn = null;
        resume(this, result);
        return undefined; // the coroutine took the result (see inlineCallbacks' Gotchas)
      }),
    );
  }

  _waitsOn(): readonly unknown[] {
    return this.waitingOn === null ? [] : [this.waitingOn];
  }

  _cancelWait(): boolean {
    // The generator decides what a cancellation means: the CancelledError is thrown at its
    // `yield`, and the coroutine's Deferred fires only when the generator ends.
    this.waitingOn?.cancel();
    return true;
  }
}

function startCoroutine<R>(gen: Coroutine<R>, fn: ((...args: never[]) => unknown) | null): Deferred<StepResult<R>> {
  const run = new CoroutineRun(gen as Coroutine<unknown>, fn);
  resume(run, undefined);
  return run.deferred as Deferred<StepResult<R>>;
}

// What `_peek` gives for a Deferred without a result to take now.
const NONE: unique symbol = Symbol("no result") as never;

/**
 * Runs the generator from where it stopped, with `input` (a value, or a Failure to throw at
 * the `yield`), until it ends or waits on a Deferred that has no result yet.
 */
function resume(run: CoroutineRun, input: unknown): void {
  const gen = run.gen;
  for (;;) {
    let step: IteratorResult<unknown, unknown>;
    try {
      step = input instanceof Failure ? gen.throw(input.value) : gen.next(input);
    } catch (e) {
      run.deferred.errback(e);
      return;
    }
    const yielded = step.value;
    if (step.done === true) {
      finish(run, yielded);
      return;
    }
    run.yields++;
    let waited: Deferred<unknown>;
    if (yielded instanceof Deferred) {
      waited = yielded;
    } else {
      let d: Deferred<unknown> | undefined;
      try {
        d = toDeferred(yielded); // another copy's Deferred too, synchronously
      } catch (e) {
        input = new Failure(e); // a throwing `then` getter: thrown at the yield
        continue;
      }
      if (d === undefined) {
        input = yielded; // a plain value comes back at once
        continue;
      }
      waited = d;
    }
    const result = waited._peek(NONE);
    if (result !== NONE) {
      // It has its result, is not running or paused, hence has nothing queued (bench S11):
      // take the result, as the step added below would at once, without a step or a nested call.
      waited._result = undefined;
      if (waited._diagnostics !== null) waited._diagnostics.failure = null;
      input = result;
      continue;
    }
    const check = getWaitCheck();
    if (check !== null) {
      // Debugging: waiting on a Deferred that waits on this coroutine would never end; throw
      // that at the `yield` instead (see adopt in internal/runner.ts).
      const cycle = check(waited, run.deferred);
      if (cycle !== null) {
        input = new Failure(cycle);
        continue;
      }
    }
    run.wait(waited);
    return;
  }
}

/** The generator returned `value`: fire the coroutine's Deferred with it, waiting if it must. */
function finish(run: CoroutineRun, value: unknown): void {
  let adopted: Deferred<unknown> | undefined;
  try {
    adopted = toDeferred(value);
  } catch (e) {
    run.deferred.errback(e);
    return;
  }
  if (adopted !== undefined) {
    run.waitingOn = adopted; // cancel() reaches it until it hands its result over
    run.finishing = true;
    adopted.chainDeferred(run.deferred);
  } else {
    run.deferred.callback(value); // a returned Failure (of any copy) fails it, as callback() does
  }
}
