// Mutation testing of src/ (`npm run mutate`, see scripts/mutate.mjs, which picks the files and
// scores the run against the list of equivalent mutants in mutation-equivalents.json).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "jest",
  testRunnerNodeArgs: ["--expose-gc"],
  jest: { configFile: "jest.mutate.config.js", enableFindRelatedTests: false },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: "perTest",
  // One process is the TypeScript checker, mostly idle once it has checked ahead; with 2 the
  // mutants would run one at a time on a 2-core machine.
  concurrency: 3,
  // src/index.ts, src/testing.ts and src/laws.ts only re-export, src/abort.ts holds types and a
  // re-export; globals.d.ts has no code.
  mutate: ["src/**/*.ts", "!src/index.ts", "!src/testing.ts", "!src/laws.ts", "!src/abort.ts", "!src/**/*.d.ts"],
  ignoreStatic: true,
  timeoutMS: 20000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  incremental: true,
  // Outside reports/ (npm test empties that): a later run re-tests only the mutants whose code
  // or covering tests changed.
  incrementalFile: ".stryker-incremental.json",
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
