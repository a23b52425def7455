import type { Failure } from "./failure.js";
import { formatValue } from "./internal/checks.js";

/**
 * Instances carry this key, set to their class's `name`, so that `X.is(e)`
 * recognises errors made by another copy of deferkit (two versions in one
 * bundle, or an ESM and a CommonJS copy), where `instanceof` would not.
 */
const BRAND: unique symbol = Symbol.for("deferkit.error") as never;

type Branded = { readonly [BRAND]?: string };

function brandOf(value: unknown): string | undefined {
  return typeof value === "object" && value !== null ? (value as Branded)[BRAND] : undefined;
}

// V8 (and engines that copy it) capture `Error.stackTraceLimit` frames per Error; elsewhere
// the property does nothing.
type ErrorCtor = { stackTraceLimit?: number };
function withoutStack(): number | undefined {
  const limit = (Error as ErrorCtor).stackTraceLimit;
  (Error as ErrorCtor).stackTraceLimit = 0;
  return limit;
}
function restoreStack(limit: number | undefined): void {
  (Error as ErrorCtor).stackTraceLimit = limit;
}

/**
 * The base of deferkit's errors (not exported): one `is()` for all of them. Each class gives its
 * brand by a static getter, and the base reads it through prototype getters: class bodies
 * only, no statement after a class, so that a bundler drops every error class a program does
 * not use (a call like `brand(X)` after the class would keep them all).
 */
abstract class DeferkitError<N extends string = string> extends Error {
  /** @internal The class's name as every copy of deferkit gives it; `is()` compares it. */
  static get _brand(): string {
    return "Error";
  }

  /** The class's name (a bundler may rename the class itself, never this). */
  override get name(): N {
    return (this.constructor as typeof DeferkitError)._brand as N;
  }

  /** Gives this one error another name (an own property, as on any Error). */
  override set name(value: N) {
    // `this.name = "MyError"` in a subclass's constructor: an own property, as on any Error.
    Object.defineProperty(this, "name", { value, writable: true, configurable: true });
  }

  /** @internal The brand that `is()` of any copy reads; a subclass of a user inherits it. */
  get [BRAND](): string {
    return (this.constructor as typeof DeferkitError)._brand;
  }

  /** True when `value` is an instance of this class, from this or any other copy of deferkit. */
  static is<T>(this: { prototype: T; _brand: string }, value: unknown): value is T {
    return brandOf(value) === this._brand;
  }
}

/** Throws a TypeError naming `name` unless `value` is a Failure (of any copy of deferkit). */
function assertFailure(value: unknown, name: string): void {
  const f = value as { getErrorMessage?: unknown } | null;
  if (typeof f !== "object" || f === null || typeof f.getErrorMessage !== "function") {
    throw new TypeError(`Expected \`${name}\` to be a Failure, got ${formatValue(value)}`);
  }
}


/**
 * Thrown when `callback()` or `errback()` is called on a Deferred that has already been fired,
 * and when `cancel()`, `reset()` or `delay()` is called on a `DelayedCall` that has already run.
 *
 * Twisted: `defer.AlreadyCalledError` (for a DelayedCall, `error.AlreadyCalled`). With `setDebugging(true)` the message includes where
 * the Deferred was created and where it was first fired.
 *
 * @example
 * ```ts
 * const d = new Deferred<number>();
 * d.callback(1);
 * let caught: unknown;
 * try { d.callback(2); } catch (e) { caught = e; }
 * AlreadyCalledError.is(caught); // => true
 * ```
 */
export class AlreadyCalledError extends DeferkitError<"AlreadyCalledError"> {
  /** @internal */
  static override get _brand(): string {
    return "AlreadyCalledError";
  }
}

/**
 * Thrown when `cancel()`, `reset()` or `delay()` is called on a `DelayedCall` that has already
 * been cancelled (one that has already run throws `AlreadyCalledError`).
 *
 * Twisted: `error.AlreadyCancelled`.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const call = clock.callLater(10, () => {});
 * call.cancel();
 * let caught: unknown;
 * try { call.cancel(); } catch (e) { caught = e; }
 * AlreadyCancelledError.is(caught); // => true
 * AlreadyCalledError.is(caught); // => false
 * ```
 */
export class AlreadyCancelledError extends DeferkitError<"AlreadyCancelledError"> {
  /** @internal */
  static override get _brand(): string {
    return "AlreadyCancelledError";
  }
}

/**
 * The failure of a Deferred that was cancelled before it had a result.
 *
 * Twisted: `defer.CancelledError`.
 *
 * @example
 * ```ts
 * const d = new Deferred<number>();
 * d.cancel();
 * failureResultOf(d, CancelledError).value instanceof CancelledError; // => true
 * ```
 */
export class CancelledError extends DeferkitError<"CancelledError"> {
  /** @internal */
  static override get _brand(): string {
    return "CancelledError";
  }
  /** What caused the cancellation, when known: the `reason` of the AbortSignal that aborted. */
  declare readonly cause?: unknown;
}

/**
 * The failure of a Deferred that `addTimeout()` cancelled because it took too long.
 *
 * Twisted: `defer.TimeoutError` (there it also comes from `twisted.internet.error`).
 *
 * @example
 * ```ts
 * const err = new TimeoutError("gave up after 10 ms");
 * err.name; // => "TimeoutError"
 * TimeoutError.is(err); // => true
 * ```
 */
export class TimeoutError extends DeferkitError<"TimeoutError"> {
  /** @internal */
  static override get _brand(): string {
    return "TimeoutError";
  }
}

/**
 * The failure of a `DeferredList` with `fireOnOneErrback`, or of `gatherResults`, when one of
 * its inputs failed: `subFailure` is that input's failure and `index` its position.
 *
 * Twisted: `defer.FirstError`.
 *
 * @example
 * ```ts
 * const err = new FirstError(Failure.from(new Error("boom")), 1);
 * err.index; // => 1
 * err.subFailure.getErrorMessage(); // => "boom"
 * ```
 */
export class FirstError extends DeferkitError<"FirstError"> {
  /** @internal */
  static override get _brand(): string {
    return "FirstError";
  }
  /** The failure of the input that failed. */
  readonly subFailure: Failure;
  /** The position of that input in the list. */
  readonly index: number;
  constructor(subFailure: Failure, index: number) {
    assertFailure(subFailure, "subFailure");
    // Not assertCount(): the error classes go into every bundle, and that helper would too.
    if (typeof index !== "number") throw new TypeError(`Expected \`index\` to be an integer >= 0, got ${formatValue(index)}`);
    if (!Number.isSafeInteger(index) || index < 0) {
      throw new RangeError(`Expected \`index\` to be an integer >= 0, got ${formatValue(index)}`);
    }
    // No stack of its own: the one that tells what went wrong is subFailure's, and capturing
    // one here was a fifth of the time of a failing gatherResults (bench S9b).
    const limit = withoutStack();
    try {
      super(`FirstError[#${index}, ${subFailure.getErrorMessage()}]`);
    } finally {
      restoreStack(limit);
    }
    this.subFailure = subFailure;
    this.index = index;
  }
}

/**
 * The failure of `race()` when every input failed: `failures` holds them in input order.
 *
 * Twisted: `defer.FailureGroup`.
 *
 * @example
 * ```ts
 * const group = new FailureGroup([Failure.from(new Error("a")), Failure.from(new Error("b"))]);
 * group.failures.length; // => 2
 * ```
 */
export class FailureGroup extends DeferkitError<"FailureGroup"> {
  /** @internal */
  static override get _brand(): string {
    return "FailureGroup";
  }
  /** Every input's failure, in input order. */
  readonly failures: Failure[];
  constructor(failures: Failure[]) {
    if (!Array.isArray(failures)) {
      throw new TypeError(`Expected \`failures\` to be an array of Failures, got ${formatValue(failures)}`);
    }
    failures.forEach((f, i) => assertFailure(f, `failures[${i}]`));
    super(`FailureGroup of ${failures.length} failure${failures.length === 1 ? "" : "s"}`);
    this.failures = failures;
  }
}

/**
 * Thrown by `DeferredQueue#put()` when the queue already holds `size` items.
 *
 * Twisted: `defer.QueueOverflow`.
 *
 * @example
 * ```ts
 * QueueOverflow.is(new QueueOverflow("queue is full")); // => true
 * ```
 */
export class QueueOverflow extends DeferkitError<"QueueOverflow"> {
  /** @internal */
  static override get _brand(): string {
    return "QueueOverflow";
  }
}

/**
 * Thrown by `DeferredQueue#get()` when `backlog` callers are already waiting.
 *
 * Twisted: `defer.QueueUnderflow`.
 *
 * @example
 * ```ts
 * QueueUnderflow.is(new QueueUnderflow("too many waiting gets")); // => true
 * ```
 */
export class QueueUnderflow extends DeferkitError<"QueueUnderflow"> {
  /** @internal */
  static override get _brand(): string {
    return "QueueUnderflow";
  }
}
