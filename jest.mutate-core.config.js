// The jest configuration of `npm run mutate:core`: src/deferred.ts is covered by every test of
// the suite, so under the main configuration each of its ~600 mutants runs the whole suite
// (~35 s each, about three hours). These files are the ones written against the core (the chain,
// cancellation, firing, interop, argument checks, the chain laws): each mutant runs in a
// fraction of that time. A mutant that survives them may still be killed by the full suite, so
// the score this gives is a lower bound.
import base from "./jest.mutate.config.js";

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: [
    "**/__tests__/deferred.test.ts",
    "**/__tests__/core-edges.test.ts",
    "**/__tests__/cancel.test.ts",
    "**/__tests__/already-called.test.ts",
    "**/__tests__/promise-interop.test.ts",
    "**/__tests__/foreign-and-thenables.test.ts",
    "**/__tests__/maybe-deferred.test.ts",
    "**/__tests__/wrap.test.ts",
    "**/__tests__/errors.test.ts",
    "**/__tests__/bad-input.test.ts",
    "**/__tests__/unhandled.test.ts",
    "**/__tests__/never-silent.test.ts",
    "**/__tests__/laws/chain-model.test.ts",
    "**/__tests__/laws/pause-interleaving.test.ts",
    "**/__tests__/laws/depth.test.ts",
  ],
};
