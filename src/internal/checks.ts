// Argument checks for the public API: each throws an error that names the argument, in the
// style of p-queue: ``Expected `fn` to be a function, got `5` (number)``.
import type { IClock } from "../clock.js";

/** A short, safe description of `value` for an error message. @internal */
export function formatValue(value: unknown): string {
  let shown: string;
  if (typeof value === "string") shown = JSON.stringify(value.length > 40 ? value.slice(0, 37) + "..." : value);
  else if (typeof value === "function") shown = `function ${value.name || "(anonymous)"}`;
  else if (value === null || typeof value !== "object") shown = String(value);
  else {
    const ctor = (value as { constructor?: { name?: unknown } }).constructor;
    shown = typeof ctor === "function" && typeof ctor.name === "string" && ctor.name ? `[object ${ctor.name}]` : "[object]";
  }
  return `\`${shown}\` (${value === null ? "null" : typeof value})`;
}

/** Throws a TypeError naming `name` unless `value` is a function. @internal */
export function assertFunction(value: unknown, name: string): void {
  if (typeof value !== "function") {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${formatValue(value)}`);
  }
}

/**
 * Throws a TypeError naming `name` unless `value` is an IClock: anything with the methods
 * `callLater` and `now` (a class instance, a plain object, a function with both), as
 * TypeScript's structural type says. @internal
 */
export function assertClock(value: unknown, name: string): asserts value is IClock {
  const clock = value as Partial<IClock> | null | undefined;
  if (clock == null || typeof clock.callLater !== "function" || typeof clock.now !== "function") {
    throw new TypeError(`Expected \`${name}\` to be an IClock, got ${formatValue(value)}`);
  }
}

/** Throws a TypeError naming `name` unless `value` is a boolean. @internal */
export function assertBoolean(value: unknown, name: string): void {
  if (typeof value !== "boolean") throw new TypeError(`Expected \`${name}\` to be a boolean, got ${formatValue(value)}`);
}

/** Throws a TypeError naming `options` unless `value` is an object (an options bag) or undefined. @internal */
export function assertOptions(value: unknown): void {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new TypeError(`Expected \`options\` to be an object or undefined, got ${formatValue(value)}`);
  }
}

/**
 * Throws unless `value` is a time or delay in milliseconds: a finite number >= 0 (Twisted
 * asserts `delay >= 0`), the same on every clock and for every API that takes one. A TypeError
 * naming `name` for a non-number, a RangeError for any other number (NaN, ±Infinity, < 0),
 * with one message. @internal
 */
export function assertTime(value: unknown, name: string): asserts value is number {
  if (typeof value === "number" && value >= 0 && value !== Infinity) return; // NaN fails `>= 0`
  const message = `Expected \`${name}\` to be a finite number >= 0, got ${formatValue(value)}`;
  throw typeof value === "number" ? new RangeError(message) : new TypeError(message);
}

/**
 * Throws unless `value` is an integer >= `min` (or `Infinity`, where `orInfinity`): a
 * TypeError naming `name` for a non-number, a RangeError for any other number. @internal
 */
export function assertCount(value: unknown, name: string, min: number, orInfinity = false): asserts value is number {
  const ok =
    typeof value === "number" && ((orInfinity && value === Infinity) || (Number.isSafeInteger(value) && value >= min));
  if (!ok) {
    const what = `an integer >= ${min}${orInfinity ? " or Infinity" : ""}`;
    const message = `Expected \`${name}\` to be ${what}, got ${formatValue(value)}`;
    throw typeof value === "number" ? new RangeError(message) : new TypeError(message);
  }
}
