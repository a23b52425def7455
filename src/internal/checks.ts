// Argument checks for the public API: each throws an error that names the argument, in the
// style of p-queue: ``Expected `fn` to be a function, got `5` (number)``.

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

/** Throws a TypeError naming `name` unless `value` is a number other than NaN. @internal */
export function assertNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`Expected \`${name}\` to be a number, got ${formatValue(value)}`);
  }
}

/** Throws a TypeError naming `name` unless `value` is a function. @internal */
export function assertFunction(value: unknown, name: string): void {
  if (typeof value !== "function") {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${formatValue(value)}`);
  }
}

/**
 * Throws unless `value` is a finite number: TypeError for a non-number or NaN, RangeError for
 * ±Infinity (a delay or time on any clock). @internal
 */
export function assertTime(value: unknown, name: string): asserts value is number {
  assertNumber(value, name);
  if (!Number.isFinite(value)) {
    throw new RangeError(`Expected \`${name}\` to be a finite number, got ${formatValue(value)}`);
  }
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
