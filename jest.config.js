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
  // The examples import the package by its name, as users do: here that is this checkout's src/.
  moduleNameMapper: {
    "^(\\.{1,2}/.*)\\.js$": "$1",
    "^deferkit$": "<rootDir>/src/index.ts",
    "^deferkit/testing$": "<rootDir>/src/testing.ts",
  },
  // Files that wait for finalizers run first (see the file for why).
  testSequencer: "<rootDir>/scripts/jest-sequencer.cjs",
};
