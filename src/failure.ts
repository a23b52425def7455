import { FAILURE_BRAND, hasBrand, type ForeignFailure } from "./internal/brand.js";
import { formatValue } from "./internal/checks.js";

/** A class (or any constructor) that a failure's value can be an instance of. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructors of any signature must be accepted
export type ErrorType = abstract new (...args: any[]) => unknown;

// deferkit's own error classes mark their prototype with this key (see errors.ts) and have a
// static `is()` that recognises instances from another copy of the package; `check` and `trap`
// use it so that they agree with `X.is()`.
const BRAND = Symbol.for("deferkit.error");

function matches(value: unknown, type: ErrorType): boolean {
  if (value instanceof type) return true;
  const proto = type.prototype as Record<symbol, unknown> | undefined;
  return typeof proto?.[BRAND] === "string" && (type as unknown as { is(v: unknown): boolean }).is(value);
}

/**
 * The failed result of a Deferred: wraps whatever was thrown or passed to `errback()`.
 *
 * Twisted: `twisted.python.failure.Failure`. Only a `Failure` (or a throw) switches a chain to
 * its errbacks: a step that *returns* an `Error` passes it on as an ordinary value.
 *
 * **Gotchas:** a `Failure` captures no stack of its own (that would cost as much as the step);
 * `getTraceback()` shows the stack of `value` when it is an `Error`.
 *
 * @example
 * ```ts
 * const f = Failure.from(new RangeError("too big"));
 * f.check(TypeError, RangeError); // => RangeError
 * f.getErrorMessage(); // => "too big"
 * Failure.from(f) === f; // => true
 * ```
 */
export class Failure<E = unknown> {
  /**
   * What was thrown or passed to `errback()`: usually an `Error`, but any value is kept as is.
   * Typed `unknown` unless something checked it: `failureResultOf(d, FirstError).value` is a
   * `FirstError`; elsewhere narrow it with `FirstError.is(f.value)` or `instanceof`.
   */
  readonly value: E;
  /** @internal Set when the failure was delivered to a `then()` observer, which handles it. */
  _observed: boolean;

  /** Wraps `value`. Prefer `Failure.from()`, which does not wrap a `Failure` twice. */
  constructor(value?: E) {
    this.value = value as E;
    this._observed = false;
  }

  /**
   * `reason` itself when it is a `Failure`, else a new `Failure` wrapping it. A `Failure` made
   * by another copy of deferkit becomes one of this copy's with the same `value`.
   *
   * @example
   * ```ts
   * const f = Failure.from(new Error("once"));
   * Failure.from(f) === f; // => true
   * f.getErrorMessage(); // => "once"
   * ```
   */
  static from(reason: unknown): Failure {
    if (reason instanceof Failure) return reason;
    return new Failure(hasBrand(reason, FAILURE_BRAND) ? (reason as ForeignFailure).value : reason);
  }

  /**
   * Whether `value` is a `Failure` of this or of any other copy of deferkit (an ESM and a
   * CommonJS build loaded side by side), where `instanceof` only knows this copy's class.
   *
   * @example
   * ```ts
   * Failure.is(Failure.from(new Error("x"))); // => true
   * Failure.is(new Error("x")); // => false
   * ```
   */
  static is(value: unknown): value is Failure {
    return value instanceof Failure || hasBrand(value, FAILURE_BRAND);
  }

  /**
   * The constructor of `value` when it has one (`RangeError` for a `RangeError`), else `undefined`.
   *
   * @example
   * ```ts
   * Failure.from(new RangeError("r")).type; // => RangeError
   * ```
   */
  get type(): ErrorType | undefined {
    const v: unknown = this.value;
    if (v === null || v === undefined) return undefined;
    const ctor = (Object(v) as { constructor?: unknown }).constructor;
    return typeof ctor === "function" ? (ctor as ErrorType) : undefined;
  }

  /**
   * The first of `types` that `value` is an instance of, or `null`.
   *
   * @example
   * ```ts
   * Failure.from(new TypeError("x")).check(RangeError); // => null
   * ```
   */
  check<T extends ErrorType[]>(...types: T): T[number] | null {
    const v: unknown = this.value;
    for (let i = 0; i < types.length; i++) {
      const t = types[i]!;
      // An arrow function has no prototype: `instanceof` would throw a TypeError naming nothing.
      if (typeof t !== "function" || typeof t.prototype !== "object") {
        throw new TypeError(`Expected \`types[${i}]\` to be an error class, got ${formatValue(t)}`);
      }
      if (matches(v, t)) return t;
    }
    return null;
  }

  /**
   * Like `check()`, but throws `value` when nothing matches, so that an errback that traps
   * some errors passes every other failure on down the chain.
   *
   * @example
   * ```ts
   * const d = fail(new TypeError("bad")).addErrback((f) => { f.trap(RangeError); return "handled"; });
   * failureResultOf(d, TypeError).getErrorMessage(); // => "bad"
   * ```
   */
  trap<T extends ErrorType[]>(...types: T): T[number] {
    const found = this.check(...types);
    if (found === null) throw this.value;
    return found;
  }

  /**
   * The message of `value` when it is an `Error`-like object, else `value` as a string.
   *
   * @example
   * ```ts
   * Failure.from(new Error("disk full")).getErrorMessage(); // => "disk full"
   * Failure.from("plain").getErrorMessage(); // => "plain"
   * ```
   */
  getErrorMessage(): string {
    const v: unknown = this.value;
    if (typeof v === "object" && v !== null && typeof (v as { message?: unknown }).message === "string") {
      return (v as { message: string }).message;
    }
    return safeString(v);
  }

  /**
   * The stack of `value` when it has one, else its name and message.
   *
   * @example
   * ```ts
   * Failure.from(new Error("boom")).getTraceback().startsWith("Error: boom"); // => true
   * ```
   */
  getTraceback(): string {
    const v: unknown = this.value;
    if (typeof v === "object" && v !== null) {
      const stack = (v as { stack?: unknown }).stack;
      if (typeof stack === "string" && stack) return stack;
      const name = (v as { name?: unknown }).name;
      if (typeof name === "string") return `${name}: ${this.getErrorMessage()}`;
    }
    return safeString(v);
  }

  /**
   * Throws `value`.
   *
   * @example
   * ```ts
   * const e = new Error("again");
   * let caught: unknown;
   * try { Failure.from(e).raiseException(); } catch (x) { caught = x; }
   * caught === e; // => true
   * ```
   */
  raiseException(): never {
    throw this.value;
  }

  /** `[Failure RangeError: too big]`. */
  toString(): string {
    const t = this.type;
    return `[Failure ${t && t.name ? t.name + ": " : ""}${this.getErrorMessage()}]`;
  }

  /** @internal Node's `util.inspect` (and so `console.log`) shows `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

// Every copy of deferkit marks its Failures the same way, so each recognises the others'.
Object.defineProperty(Failure.prototype, FAILURE_BRAND, { value: true });

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
