// The built package, as a user would load it (npm run bench builds first).
import * as root from "../../dist/index.js";

export * from "../../dist/index.js";
export * from "../../dist/testing.js";

/**
 * An export of the package root that may not exist yet (a row that needs it reports "not
 * available" instead of failing to load): `undefined` when the root does not export `name`.
 */
export const optional = (name) => root[name];

/** The `unavailable()` of a row that needs these root exports: the reason, or `undefined`. */
export const needs = (...names) => () => {
  const missing = names.filter((n) => typeof root[n] !== "function");
  return missing.length ? `not available: the package root does not export ${missing.join(", ")}` : undefined;
};

// Ten distinct step functions, so that no engine can treat the chain as one inlined arrow.
const stepBodies = ["n + 1", "n * 2", "n - 3", "n ^ 5", "n + 7", "n * 3", "n - 11", "n | 1", "n + 13", "n % 1000003"];

/**
 * The same ten steps, compiled anew for one contender: functions of their own (their own
 * source, so their own type feedback and inlining decisions), so that what V8 learns running
 * one contender's chain does not help or hinder another's (rows S2, S3).
 */
export const makeSteps = () => stepBodies.map((body) => new Function("n", `return ${body};`));

export const steps = [
  (n) => n + 1,
  (n) => n * 2,
  (n) => n - 3,
  (n) => n ^ 5,
  (n) => n + 7,
  (n) => n * 3,
  (n) => n - 11,
  (n) => n | 1,
  (n) => n + 13,
  (n) => n % 1000003,
];

/** What the ten steps compute, to check every case against. */
export const tenSteps = (n) => steps.reduce((acc, f) => f(acc), n);

/** Somewhere for results to go, so that no work is optimised away. */
export const sink = { value: 0 };
export const observe = (v) => {
  sink.value = v;
};

const resolved = Promise.resolve();
/**
 * Returned by a synchronous case that leaves work queued as microtasks (deferkit's check for
 * unhandled failures): the harness awaits it, and the await resumes only after the microtasks
 * queued before it, so that work is timed too. Costs one await, as the Promise case pays.
 */
export const drained = () => resolved;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A macrotask: by the time it runs, every microtask queued before has run. */
export const nextMacrotask = () => new Promise((resolve) => setImmediate(resolve));

/**
 * S6's native nesting, built and not fired: q[i] = p[i].then(() => q[i+1]) for i < n, q[n] =
 * p[n]. Returns the resolvers of p[0..n] and q[0], which settles once every p has.
 */
export function promiseNesting(n) {
  const resolvers = new Array(n + 1);
  const qs = new Array(n + 1);
  for (let i = 0; i <= n; i++) qs[i] = new Promise((resolve) => (resolvers[i] = resolve));
  for (let i = n - 1; i >= 0; i--) {
    const next = qs[i + 1];
    qs[i] = qs[i].then(() => next);
  }
  return { resolvers, outer: qs[0] };
}
