// `npm run mutate:core`: src/deferred.ts against the core test files only
// (jest.mutate-core.config.js says why); its own report and incremental file.
import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  jest: { ...base.jest, configFile: "jest.mutate-core.config.js" },
  mutate: ["src/deferred.ts"],
  // The file's module-load code (the brand on the prototype) runs every test of this smaller set.
  ignoreStatic: false,
  htmlReporter: { fileName: "reports/mutation-core/index.html" },
  jsonReporter: { fileName: "reports/mutation-core/mutation.json" },
  incrementalFile: ".stryker-incremental-core.json",
};
