import tseslint from "typescript-eslint";

export default tseslint.config(
  // .stryker-tmp/ holds Stryker's sandbox copy of the project while `npm run mutate` runs.
  { ignores: ["dist/", "docs/", "node_modules/", "coverage/", "bench/results*", "reports/", ".stryker-tmp/"] },
  ...tseslint.configs.recommended,
  // This directory's tsconfig.json, not one under .stryker-tmp/ (the parser refuses to guess).
  { languageOptions: { parserOptions: { tsconfigRootDir: import.meta.dirname } } },
  {
    files: ["src/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["__tests__/**/*.ts", "bench/**/*.{js,ts}"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // A promise nobody awaits, or one handed to a caller that ignores it, loses its rejection:
    // in a test that is an assertion that never fails. These rules need types: TS tests get
    // them from tsconfig.json; bench's JS from bench/tsconfig.json (allowJs, no type-checking);
    // the few JS runners of __tests__ (browser, aplus) from the same options as a default
    // project. Deferred is a thenable but not a Promise, so a Deferred left unawaited (the
    // usual synchronous test) is not reported (checkThenables is off by default).
    files: ["__tests__/**/*.{ts,js,mjs,cjs}", "bench/**/*.js"],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ["__tests__/browser/*.js", "__tests__/browser/*.mjs", "__tests__/aplus/*.cjs"],
          defaultProject: "bench/tsconfig.json",
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  {
    // A law's own run count goes through runs() (__tests__/laws/runs.ts), which FC_NUM_RUNS scales.
    files: ["__tests__/laws/**/*.ts"],
    ignores: ["__tests__/laws/runs.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "Property[key.name='numRuns']",
          message: "Pass runs(n) from ./runs.js instead: a numRuns literal would override FC_NUM_RUNS.",
        },
      ],
    },
  },
  {
    // Type tests declare values only so that `typeof` can inspect them.
    files: ["__tests__/**/*.test-d.ts"],
    rules: { "@typescript-eslint/no-unused-vars": "off" },
  },
  {
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
