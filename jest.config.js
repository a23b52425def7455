/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  setupFiles: ["<rootDir>/__tests__/setup.ts"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }],
  },
  // src/ imports siblings as "./x.js" (what Node's ESM resolution wants); jest finds the .ts.
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  // Files that wait for finalizers run first (see the file for why).
  testSequencer: "<rootDir>/scripts/jest-sequencer.cjs",
};
