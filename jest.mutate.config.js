// The jest configuration Stryker runs (`npm run mutate`): the suite of jest.config.js without
// the tests that cannot kill a mutant of src/ (they load the built dist/ or a packed tarball,
// or run the examples' servers) and would only slow each mutant down.
import base from "./jest.config.js";

/** @type {import('jest').Config} */
export default {
  ...base,
  testPathIgnorePatterns: ["/node_modules/", "/__tests__/package/", "/__tests__/examples/", "/__tests__/browser/"],
};
