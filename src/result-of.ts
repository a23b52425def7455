import { Deferred } from "./deferred.js";
import { Failure, type ErrorType } from "./failure.js";
import { formatValue } from "./internal/checks.js";
import { render } from "./internal/render.js";
import type { ForeignDeferred, ForeignFailure } from "./internal/brand.js";

const NONE: unique symbol = Symbol("no result");

/**
 * The chain's current end, if it has one now: fired, not running, not paused (trial's helpers
 * add a step to find out; looking without one leaves nothing behind and adopts nothing).
 */
function peek(d: Deferred<unknown>, helper: string): unknown {
  if (d instanceof Deferred) return d._peek(NONE);
  if (!Deferred.is(d)) {
    throw new TypeError(`Expected \`deferred\` of ${helper}() to be a Deferred, got ${formatValue(d)}`);
  }
  // Another copy's Deferred: its internals may differ, so look through its public API. A step
  // that gives its input back runs now if the chain has a result, and changes nothing.
  let result: unknown = NONE;
  (d as ForeignDeferred).addBoth((r) => (result = r));
  if (!Failure.is(result) || result instanceof Failure) return result;
  // Seen through this copy's Failure; handling it (below) must reach the other copy's.
  const own = Failure.from(result);
  const foreign = result as ForeignFailure;
  return Object.defineProperty(own, "_observed", {
    get: () => foreign._observed === true,
    set: (v: boolean) => void (foreign._observed = v),
  });
}

function show(value: unknown): string {
  return value instanceof Failure ? `failure ${value.toString()}:\n${value.getTraceback()}` : `result ${render(value)}`;
}

/**
 * The result the Deferred already has; throws if it has none yet or has a failure (a failure
 * found this way counts as handled, since the error reports it).
 *
 * Twisted: trial's `successResultOf`. The chain is not changed.
 *
 * @example
 * ```ts
 * successResultOf(succeed(3).addCallback((n) => n * 2)); // => 6
 * ```
 */
export function successResultOf<T>(deferred: Deferred<T>): T {
  const r = peek(deferred as Deferred<unknown>, "successResultOf");
  if (r === NONE) throw new Error(`Success result expected on ${deferred.toString()}, found no result instead`);
  if (r instanceof Failure) {
    r._observed = true; // the error below reports it (trial's helper consumes it too)
    throw new Error(`Success result expected on ${deferred.toString()}, found ${show(r)}`);
  }
  return r as T;
}

/**
 * The failure the Deferred already has; throws if it has none yet, has a success, or (when
 * `types` are given) fails with none of them. The failure counts as handled. Given types, its
 * `value` is typed as an instance of one of them.
 *
 * Twisted: trial's `failureResultOf`.
 *
 * @example
 * ```ts
 * const f = failureResultOf(fail(new TypeError("bad")), TypeError);
 * f.getErrorMessage(); // => "bad"
 * f.value.message; // => "bad"
 * ```
 */
export function failureResultOf<T extends [ErrorType, ...ErrorType[]]>(
  deferred: Deferred<unknown>,
  ...types: T
): Failure<InstanceType<T[number]>>;
/** Without types: any failure, its `value` typed `unknown`. */
export function failureResultOf(deferred: Deferred<unknown>): Failure;
export function failureResultOf(deferred: Deferred<unknown>, ...types: ErrorType[]): Failure {
  const r = peek(deferred, "failureResultOf");
  if (r === NONE) throw new Error(`Failure result expected on ${deferred.toString()}, found no result instead`);
  if (!(r instanceof Failure)) throw new Error(`Failure result expected on ${deferred.toString()}, found ${show(r)}`);
  r._observed = true;
  if (types.length > 0 && r.check(...types) === null) {
    const wanted = types.map((t) => t.name || "(anonymous)").join(" or ");
    throw new Error(`Failure of type (${wanted}) expected on ${deferred.toString()}, found ${show(r)}`);
  }
  return r;
}

/**
 * Throws if the Deferred already has a result (a failure found this way counts as handled,
 * since the assertion error reports it).
 *
 * Twisted: trial's `assertNoResult`.
 *
 * @example
 * ```ts
 * assertNoResult(new Deferred<number>()); // => undefined
 * ```
 */
export function assertNoResult(deferred: Deferred<unknown>): void {
  const r = peek(deferred, "assertNoResult");
  if (r === NONE) return;
  if (r instanceof Failure) r._observed = true;
  throw new Error(`No result expected on ${deferred.toString()}, found ${show(r)}`);
}
