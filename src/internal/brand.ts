// Brands: how a Deferred or Failure made by another copy of deferkit (an ESM and a CommonJS
// build in one process, or two versions in one bundle) is recognised where `instanceof` only
// sees this copy's classes. Each class marks its prototype with a registered symbol, which
// every copy shares.

/** On `Deferred.prototype` of every copy. @internal */
export const DEFERRED_BRAND: unique symbol = Symbol.for("deferkit.Deferred") as never;
/** On `Failure.prototype` of every copy. @internal */
export const FAILURE_BRAND: unique symbol = Symbol.for("deferkit.Failure") as never;

/** Whether `value` is an object carrying `brand` (its class's prototype sets it). @internal */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** The public surface of another copy's Deferred that this copy relies on. @internal */
export interface ForeignDeferred {
  addBoth(fn: (result: unknown) => unknown): unknown;
  cancel(): void;
}

/** The public surface of another copy's Failure that this copy relies on. @internal */
export interface ForeignFailure {
  readonly value: unknown;
  _observed?: boolean;
}
