// The jest configuration of `npm run mutate:gc`: the tests that can see what runs at module
// load (state.ts's constants), from the garbage collector and at exit in a child process
// (unhandled.ts's reports), which Stryker's per-test coverage cannot tie to any test. Run with
// coverageAnalysis "off", each mutant runs all of these; they are few, so that stays quick.
import base from "./jest.mutate.config.js";

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: [
    "**/__tests__/unhandled.test.ts",
    "**/__tests__/exit-report.test.ts",
    "**/__tests__/internal/own-directory.test.ts",
    "**/__tests__/never-silent.test.ts",
    "**/__tests__/flush-unhandled.test.ts",
    "**/__tests__/testing.test.ts",
    "**/__tests__/deferred.test.ts",
    "**/__tests__/cancel.test.ts",
  ],
};
