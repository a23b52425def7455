// `npm run mutate:gc`: the files whose code runs at module load or from the garbage collector
// (see jest.mutate-gc.config.js), with coverage "off": every mutant runs every listed test.
// Not "all": code that only runs in a child process (the exit report) records no coverage in
// the parent, and "all" would skip its mutants as not covered.
// Its own report and incremental file, so that it does not replace the main run's.
import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  jest: { ...base.jest, configFile: "jest.mutate-gc.config.js" },
  coverageAnalysis: "off",
  ignoreStatic: false,
  mutate: ["src/internal/unhandled.ts", "src/internal/state.ts"],
  htmlReporter: { fileName: "reports/mutation-gc/index.html" },
  jsonReporter: { fileName: "reports/mutation-gc/mutation.json" },
  incrementalFile: ".stryker-incremental-gc.json",
};
