#!/usr/bin/env node
// `npm test`: every check of the project, in order, each counted. Stages keep going after a
// failure so that one run reports everything; the last line is the plain `N passed, N failed`
// (plus `N skipped`) that CI reads. Exit code 1 if anything failed.
//
//   node scripts/test.mjs            all stages
//   node scripts/test.mjs jest lint  only the named stages (an unknown name: exit 2, listing them)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

// Every stage, in the order they run; a name on the command line must be one of these.
const STAGES = [
  "typecheck",
  "typecheck-src",
  "lint",
  "build",
  "jest",
  "promises-aplus",
  "publint",
  "attw",
  "size-limit",
  "docs",
  "browser",
  "conformance",
];
const only = new Set(process.argv.slice(2));
const unknown = [...only].filter((name) => !STAGES.includes(name));
if (unknown.length) {
  console.error(`Unknown stage${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Valid stages: ${STAGES.join(", ")}.`);
  process.exit(2);
}
const node = process.execPath;
const bin = (name) => `node_modules/.bin/${name}`;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];

rmSync("reports", { recursive: true, force: true });
mkdirSync("reports", { recursive: true });

/** Whether stage `name` runs in this invocation (all stages when none are named). */
function selected(name) {
  if (!STAGES.includes(name)) throw new Error(`scripts/test.mjs: stage "${name}" is missing from STAGES`);
  return !only.size || only.has(name);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  return r.status === 0;
}

/** A stage that is one check: its command passes or fails. */
function check(name, cmd, args) {
  if (!selected(name)) return;
  console.log(`\n── ${name}: ${[cmd === node ? "node" : cmd, ...args].join(" ")}`);
  const ok = run(cmd, args);
  count(name, ok ? 1 : 0, ok ? 0 : 1);
}

/** A stage that runs many tests and writes its counts to reports/<name>.json. */
function suite(name, cmd, args, readCounts) {
  if (!selected(name)) return;
  console.log(`\n── ${name}`);
  const ok = run(cmd, args);
  let counts;
  try {
    counts = readCounts();
  } catch (e) {
    counts = { passed: 0, failed: 1, skipped: 0 };
    console.log(`${name}: no results could be read (${e.message})`);
  }
  // A runner that crashed after its tests passed still failed the stage (unless the files that
  // failed passed when run again: see retryWithoutFinalizers).
  if (!ok && counts.failed === 0 && !counts.retried) counts.failed = 1;
  count(name, counts.passed, counts.failed, counts.skipped);
}

function count(name, passed, failed, skipped = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  if (failed) failedStages.push(name);
  console.log(`── ${name}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
}

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

// collectGarbage() (__tests__/helpers.ts) throws when its control object is not finalized: the
// jest worker stopped running FinalizationRegistry callbacks (seen once in a while on a loaded
// 2-core machine, see scripts/jest-sequencer.cjs), so the file's results say nothing about
// deferkit. A file whose every failure is that runs again, once, in a jest process of its own,
// and its counts come from that run; any other failure stands.
const NO_FINALIZERS = "collectGarbage(): the control object was not finalized";

function retryWithoutFinalizers(first, counts) {
  const files = first.testResults.filter((file) => {
    const failed = file.assertionResults.filter((a) => a.status === "failed");
    return failed.length > 0 && failed.every((a) => a.failureMessages.some((m) => m.includes(NO_FINALIZERS)));
  });
  if (files.length === 0) return counts;
  const names = files.map((file) => file.name);
  console.log(`\njest: ${names.length} file(s) failed only because finalizers did not run; running them again alone:`);
  const ok = run(node, ["--expose-gc", "node_modules/jest/bin/jest.js", "--json", "--outputFile=reports/jest-retry.json", "--runTestsByPath", ...names]);
  const again = readJson("reports/jest-retry.json");
  const tally = (list, status) => list.reduce((n, file) => n + file.assertionResults.filter((a) => a.status === status).length, 0);
  const result = {
    passed: counts.passed - tally(files, "passed") + tally(again.testResults, "passed"),
    failed: counts.failed - tally(files, "failed") + tally(again.testResults, "failed") + again.numRuntimeErrorTestSuites,
    skipped: counts.skipped,
  };
  // A retry that failed without a failing test (it crashed) still failed.
  if (!ok && tally(again.testResults, "failed") + again.numRuntimeErrorTestSuites === 0) result.failed++;
  result.retried = true;
  return result;
}

check("typecheck", node, [bin("tsc"), "--noEmit", "-p", "tsconfig.json"]);
check("typecheck-src", node, [bin("tsc"), "--noEmit", "-p", "tsconfig.build.json"]);
check("lint", node, [bin("eslint"), "."]);
// As `npm run build`: start from an empty dist/, so that no file of an earlier build survives.
if (selected("build")) rmSync("dist", { recursive: true, force: true });
check("build", node, [bin("rollup"), "-c", "--silent"]);
suite(
  "jest",
  node,
  ["--expose-gc", "node_modules/jest/bin/jest.js", "--json", "--outputFile=reports/jest.json", ...(process.env.CI ? ["--ci"] : [])],
  () => {
    const j = readJson("reports/jest.json");
    // A test file that fails to load runs no test: count it as a failure (TOOLCHAIN pitfall 10).
    const counts = {
      passed: j.numPassedTests,
      failed: j.numFailedTests + j.numRuntimeErrorTestSuites,
      skipped: j.numPendingTests + j.numTodoTests,
    };
    return retryWithoutFinalizers(j, counts);
  },
);
suite("promises-aplus", node, ["__tests__/aplus/run.cjs", "reports/aplus.json"], () => readJson("reports/aplus.json"));
check("publint", node, [bin("publint"), "--strict"]);
check("attw", node, [bin("attw"), "--pack", ".", "--quiet"]);
check("size-limit", node, [bin("size-limit")]);
// The API reference (docs/api, not committed): typedoc.json turns every warning (an export
// without documentation, a broken link) into an error.
check("docs", node, [bin("typedoc"), "--logLevel", "Warn"]);
if (selected("browser")) {
  if (existsSync("/usr/bin/chromium") || process.env.CI) {
    suite("browser", node, ["__tests__/browser/run.mjs", "reports/browser.json"], () => readJson("reports/browser.json"));
  } else {
    console.log("\n── browser: skipped (no /usr/bin/chromium; `apt-get install -y chromium` to run it)");
    count("browser", 0, 0, 1);
  }
}

// Twisted itself, on the same random programs as deferkit (scripts/conformance): a fixed seed,
// so a red run replays with `npm run conformance -- --seed 20261203 --count 5000`.
if (selected("conformance")) {
  const python = "/usr/bin/python3";
  const hasTwisted = spawnSync(python, ["-c", "import twisted.internet.defer"], { stdio: "ignore" }).status === 0;
  if (hasTwisted || process.env.CI) {
    check("conformance", node, ["scripts/conformance/compare.mjs", "--seed", "20261203", "--count", "5000"]);
  } else {
    console.log("\n── conformance: skipped (no Twisted; `apt-get install -y python3-twisted` to run it)");
    count("conformance", 0, 0, 1);
  }
}

if (failedStages.length) console.log(`\nFailed: ${failedStages.join(", ")}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed ? 1 : 0);
