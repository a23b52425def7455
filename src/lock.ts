// DeferredLock and DeferredSemaphore: a count of free tokens and one line of waiters (a Fifo, so
// that a cancelled waiter leaves it in O(1) and 100,000 waiters are served in linear time).
//
// Hand-offs do not recurse. release() calls the next waiter back at once, unless a hand-off
// of this primitive is running further up the stack; then it only counts the token as owed to
// the line, and the running hand-off's loop gives owed tokens out in order once the current
// chain has returned (as DeferredQueue's put() does with items). Twisted recurses instead: a
// line of `run()` functions that return at once nests one callback() per waiter (its issue
// #9304), and a million of them overflow the stack (bench S10 is a thousand such runs).
import type { SignalOptions } from "./abort.js";
import { getDebugging } from "./debug.js";
import { Deferred, maybeDeferred, type StepResult, succeed } from "./deferred.js";
import { signalOption } from "./internal/abort.js";
import { assertCount, assertFunction } from "./internal/checks.js";
import { Fifo } from "./internal/fifo.js";
import { InLine, nextInLine } from "./internal/line.js";
import { captureStack } from "./internal/unhandled.js";

/**
 * `{ [Symbol.dispose](): void }` where the project's typings declare `Symbol.dispose` (lib
 * `esnext.disposable`, or `@types/node`), else no member: the type that lets `using` accept a
 * lock or semaphore exactly where the platform's typings know about `using`.
 */
type DisposeMethod = SymbolConstructor extends { readonly dispose: infer K extends symbol }
  ? { [P in K]: () => void }
  : Record<never, never>;

/**
 * A base class whose `[Symbol.dispose]()` calls `this.release()`, so that
 * `using held = await lock.acquire()` releases at the end of the scope (Twisted's
 * `async with lock:`).
 *
 * Symbol.dispose is looked up at run time (deferkit's lib is ES2021; Node 18.18+ and current
 * browsers have the symbol; elsewhere the base adds nothing). It is made by a pure call rather
 * than a module-level `defineProperty`, so that bundlers drop this module from builds that do
 * not use it.
 */
const Disposable = /* @__PURE__ */ disposableBase();

function disposableBase(): abstract new () => DisposeMethod {
  abstract class Disposable {
    abstract release(): void;
  }
  const key = (Symbol as { dispose?: symbol }).dispose;
  if (key !== undefined) {
    Object.defineProperty(Disposable.prototype, key, {
      value(this: Disposable): void {
        this.release();
      },
      writable: true,
      configurable: true,
    });
  }
  return Disposable as unknown as abstract new () => DisposeMethod;
}

/**
 * What DeferredLock and DeferredSemaphore share: tokens, a FIFO line of waiters, `run()`.
 *
 * Twisted: `defer._ConcurrencyPrimitive`.
 */
abstract class ConcurrencyPrimitive extends Disposable {
  /** @internal Tokens nobody holds. */
  _free: number;
  /** @internal How many tokens there are. */
  readonly _limit: number;
  /** @internal Waiting acquire()s, oldest first. */
  readonly _waiters: Fifo<InLine>;
  /** @internal Set while a hand-off calls waiters back (see the module comment). */
  _serving: boolean;
  /** @internal Tokens released to the line while `_serving`, not yet given to a waiter. */
  _owed: number;
  /**
   * @internal With debugging on, the stack where the latest token was taken (the `acquire()`
   * call, also for a waiter served later); describeWaiting shows it.
   */
  _takenAt: string | undefined;

  constructor(limit: number) {
    super();
    this._limit = limit;
    this._free = limit;
    this._waiters = new Fifo<InLine>();
    this._serving = false;
    this._owed = 0;
    this._takenAt = undefined;
  }

  /**
   * A Deferred that fires with this lock or semaphore once it holds a token: at once if one is
   * free, else when its turn comes (first come, first served), inside the `release()` that
   * hands the token over.
   *
   * Twisted: `DeferredLock.acquire` / `DeferredSemaphore.acquire`. Cancelling it while it waits
   * takes it out of the line and fails it with `CancelledError`; once it holds the token,
   * `cancel()` does nothing, and the token is the caller's to release. With `{ signal }`, an
   * abort cancels a waiting acquire (its `CancelledError`'s `cause` is the signal's `reason`);
   * a signal that has already aborted gives a failed Deferred and takes no token.
   *
   * @example
   * ```ts
   * const lock = new DeferredLock();
   * const first = lock.acquire();
   * const second = lock.acquire(); // waits in line
   * successResultOf(first) === lock; // => true
   * assertNoResult(second);
   * lock.release(); // hands the lock to `second`
   * successResultOf(second) === lock; // => true
   * ```
   */
  acquire(options?: SignalOptions): Deferred<this> {
    const signal = signalOption(options);
    if (signal?.aborted === true) return new Deferred<this>().cancelOn(signal);
    // A free token means nobody waits: release() hands a token straight to a waiter.
    if (this._free > 0) {
      this._free--;
      if (getDebugging()) this._takenAt = captureStack(0);
      return succeed(this);
    }
    const waiter = new InLine(this, this._waiters);
    if (signal !== undefined) waiter.cancelOn(signal);
    return waiter as Deferred<unknown> as Deferred<this>;
  }

  /**
   * Gives a token back. The first waiter in line, if any, gets it now: its chain runs inside
   * this call, unless this call is itself made from inside a hand-off of the same lock or
   * semaphore; then that hand-off calls it back once the current chain has returned (so a
   * million hand-offs do not nest a million calls).
   *
   * Twisted: `DeferredLock.release` / `DeferredSemaphore.release`. Releasing a lock that nobody
   * holds, or a semaphore whose tokens are all free, throws `Error` (an `AssertionError` in
   * Twisted) and changes nothing.
   *
   * @example
   * ```ts
   * const semaphore = new DeferredSemaphore(1);
   * void semaphore.acquire();
   * const next = semaphore.acquire().addCallback((s) => s.release());
   * semaphore.tokens; // => 0
   * semaphore.release(); // `next` gets the token, and its step gives it back
   * successResultOf(next); // => undefined
   * semaphore.tokens; // => 1
   * ```
   */
  release(): void {
    if (this._free >= this._limit) this._overRelease();
    this._handOff();
  }

  /**
   * Acquires a token, calls `fn(...args)`, and releases the token once what `fn` gave has a
   * result: a value at once, a Deferred or PromiseLike when it settles, a throw at once. The
   * returned Deferred fires with that result (or failure).
   *
   * Twisted: `_ConcurrencyPrimitive.run` (with `maybeDeferred` semantics for `fn`). Throws
   * `TypeError` at once if `fn` is not a function. **Gotchas:** cancelling the returned
   * Deferred before `fn` was called takes it out of the line, and `fn` never runs; afterwards
   * it cancels what `fn` returned, and the token is released when that fails.
   *
   * @example
   * ```ts
   * const clock = new Clock();
   * const lock = new DeferredLock();
   * const log: string[] = [];
   * const write = (text: string) => lock.run(() => deferLater(clock, 10, () => log.push(text)));
   * write("a");
   * write("b"); // waits for "a" to finish
   * lock.locked; // => true
   * clock.advance(10);
   * log.join(); // => "a"
   * clock.advance(10);
   * log.join(); // => "a,b"
   * lock.locked; // => false
   * ```
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Deferred<StepResult<R>> {
    assertFunction(fn, "fn");
    return this.acquire().addCallback(() =>
      maybeDeferred(fn, ...args).addBoth((result) => {
        this.release();
        return result;
      }),
    ) as Deferred<unknown> as Deferred<StepResult<R>>;
  }

  /** @internal Passes a token that was just given back to the next waiter, or frees it. */
  _handOff(): void {
    if (this._waiters.size === 0) {
      this._free++;
      return;
    }
    this._owed++;
    if (this._serving) return; // the loop further up the stack gives it out
    this._serving = true;
    try {
      while (this._owed > 0) {
        const waiter = nextInLine(this._waiters);
        if (waiter === undefined) {
          // Those left in line were cancelled or fired by hand meanwhile.
          this._free += this._owed;
          this._owed = 0;
        } else {
          this._owed--;
          this._takenAt = waiter._diagnostics?.createdAt; // its acquire() call, with debugging on
          waiter.callback(this);
        }
      }
    } finally {
      this._serving = false;
    }
  }

  /** @internal Throws the error of a release() with every token free. */
  abstract _overRelease(): never;
}

/**
 * A mutual-exclusion lock for code that waits on Deferreds: `acquire()` fires once the lock is
 * held, `release()` hands it to the next in line, and `run(fn)` does both around `fn`.
 *
 * Twisted: `defer.DeferredLock`. First come, first served; cancelling a waiting `acquire()`
 * takes it out of the line. Where the platform has `Symbol.dispose`, the lock is also a
 * disposable whose disposal releases it: `using held = await lock.acquire();` (Twisted's
 * `async with lock:`).
 *
 * **Gotchas:** the next holder's chain runs inside `release()` (synchronously); a `release()`
 * made from inside such a chain hands over when that chain returns, not before. `release()` of
 * a lock that nobody holds throws `Error`.
 *
 * @example
 * ```ts
 * // Serialise writes: each one starts when the one before it has finished.
 * const clock = new Clock();
 * const lock = new DeferredLock();
 * const file: string[] = [];
 * const append = (line: string) => lock.run(() => deferLater(clock, 5, () => file.push(line)));
 * const all = gatherResults(["a", "b", "c"].map(append));
 * clock.pump([5, 5, 5]);
 * successResultOf(all); // => [1, 2, 3]
 * file; // => ["a", "b", "c"]
 * ```
 */
export class DeferredLock extends ConcurrencyPrimitive {
  constructor() {
    super(1);
  }

  /**
   * Whether someone holds the lock (or is being handed it).
   *
   * @example
   * ```ts
   * const lock = new DeferredLock();
   * lock.acquire();
   * lock.locked; // => true
   * ```
   */
  get locked(): boolean {
    return this._free === 0;
  }

  /** @internal */
  _overRelease(): never {
    throw new Error("DeferredLock#release(): the lock is not held (release() called more often than acquire())");
  }
}

/**
 * A semaphore for code that waits on Deferreds: at most `limit` holders at a time, the rest
 * wait in line. The usual way to bound concurrent work is `run(fn, ...args)`.
 *
 * Twisted: `defer.DeferredSemaphore`. `tokens` is how many are free now, `limit` how many there
 * are. Same line, cancellation, `{ signal }` and `using` rules as `DeferredLock`. Throws at
 * once for a `tokens` that is not a number (`TypeError`) or not an integer >= 1 (`RangeError`;
 * Twisted's `ValueError`); `release()` with every token free throws `Error`.
 *
 * @example
 * ```ts
 * // Limit concurrent downloads to two.
 * const clock = new Clock();
 * const semaphore = new DeferredSemaphore(2);
 * const download = (url: string) => deferLater(clock, 100, () => `${url}: done`);
 * const all = gatherResults(["/a", "/b", "/c"].map((url) => semaphore.run(download, url)));
 * semaphore.tokens; // => 0
 * clock.advance(100); // /a and /b finish; /c starts
 * assertNoResult(all);
 * clock.advance(100);
 * successResultOf(all); // => ["/a: done", "/b: done", "/c: done"]
 * semaphore.tokens; // => 2
 * ```
 */
export class DeferredSemaphore extends ConcurrencyPrimitive {
  constructor(tokens: number) {
    assertCount(tokens, "tokens", 1);
    super(tokens);
  }

  /**
   * How many tokens are free now (`limit` minus the holders).
   *
   * @example
   * ```ts
   * const sem = new DeferredSemaphore(3);
   * sem.acquire();
   * sem.tokens; // => 2
   * ```
   */
  get tokens(): number {
    return this._free;
  }

  /**
   * How many tokens there are: the `tokens` it was made with.
   *
   * @example
   * ```ts
   * new DeferredSemaphore(3).limit; // => 3
   * ```
   */
  get limit(): number {
    return this._limit;
  }

  /** @internal */
  _overRelease(): never {
    throw new Error(
      `DeferredSemaphore#release(): all ${this._limit} tokens are already free (release() called more often than acquire())`,
    );
  }
}
