// The built package, as a user would load it (npm run bench builds first).
export * from "../../dist/index.js";
export * from "../../dist/testing.js";

// Ten distinct step functions, so that no engine can treat the chain as one inlined arrow.
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
