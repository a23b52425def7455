#!/usr/bin/env node
// `npm run mutate`: Stryker over src/, then the score per file, with the mutants listed in
// mutation-equivalents.json (each with its reason) left out of the count. Exit code 1 when the
// score is under 90% overall or 85% in a file.
//
//   npm run mutate                       every file of src/ (incremental: only what changed
//                                        since the last run is tested again)
//   npm run mutate -- --since <ref>      only the files of src/ changed since <ref>
//   npm run mutate -- --mutate src/x.ts  Stryker's own --mutate, passed on
//   npm run mutate -- --score            print the scores of the last run, run nothing
//   npm run mutate:gc                    (--gc) unhandled.ts and state.ts, whose code runs at
//                                        module load or from the garbage collector, with
//                                        coverage "off" over the tests that see it
//                                        (stryker.gc.config.mjs); its own report
//   npm run mutate:core                  (--core) deferred.ts against the core test files
//                                        (stryker.core.config.mjs): a lower bound, in
//                                        about an hour instead of three; its own report
//   npm run mutate -- --all              every file of src/ from the newest run that measured it
//                                        (any of the three configs), with the overall score:
//                                        each run's results are kept in mutation-scores.json
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import mainConfig from "../stryker.config.mjs";

const gc = process.argv.includes("--gc");
const core = process.argv.includes("--core");
const CONFIG = gc ? "stryker.gc.config.mjs" : core ? "stryker.core.config.mjs" : "stryker.config.mjs";
const REPORT = `reports/${gc ? "mutation-gc" : core ? "mutation-core" : "mutation"}/mutation.json`;
const EQUIVALENTS = "mutation-equivalents.json";
// Every run's results, file by file, newest run per file: Stryker's incremental file and report
// hold only the files of the last run (a run narrowed by --mutate drops the others), and the
// three configs write three reports. Outside reports/, which npm test empties.
const STORE = "mutation-scores.json";
// The files of src/ with code to mutate: those stryker.config.mjs mutates (it leaves out the
// declarations and the files that only re-export), one list for both.
const leftOut = mainConfig.mutate.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
const hasCode = (f) => /^src\/.*\.ts$/.test(f) && !f.endsWith(".d.ts") && !leftOut.includes(f);
const OVERALL = 90;
const PER_FILE = 85;

const argv = process.argv.slice(2);
const passOn = [];
let since;
let scoreOnly = false;
let all = false;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--since") since = argv[++i];
  else if (argv[i] === "--score") scoreOnly = true;
  else if (argv[i] === "--all") {
    all = true;
    scoreOnly = true;
  }
  else if (argv[i] === "--gc" || argv[i] === "--core") continue;
  else passOn.push(argv[i]);
}

if (!scoreOnly) {
  if (since !== undefined) {
    const diff = spawnSync("git", ["diff", "--name-only", since, "--", "src"], { encoding: "utf8" });
    if (diff.status !== 0) {
      console.error(diff.stderr.trim() || `git diff ${since} failed`);
      process.exit(2);
    }
    const files = diff.stdout
      .split("\n")
      .filter((f) => hasCode(f) && existsSync(f));
    if (files.length === 0) {
      console.log(`No file of src/ with code changed since ${since}: nothing to mutate.`);
      process.exit(0);
    }
    passOn.push("--mutate", files.join(","));
  }
  // The laws run a quarter of their usual count on one fixed seed: every mutant then sees the
  // same inputs (a mutant is not killed by luck in one run and missed in the next), and the
  // property tests, which cover most of src/, stop dominating the time per mutant (the suite
  // takes 35 s instead of 53 s). Either variable, set by the caller, wins.
  const env = { FC_NUM_RUNS: "25", FC_SEED: "20261126", ...process.env };
  const run = spawnSync(process.execPath, ["node_modules/@stryker-mutator/core/bin/stryker.js", "run", CONFIG, ...passOn], {
    stdio: "inherit",
    env,
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

const hash = (text) => createHash("sha1").update(text).digest("hex");
const store = existsSync(STORE) ? JSON.parse(readFileSync(STORE, "utf8")) : { files: {} };
// A mutant's key: where, which mutator, what it put there (hashed: the store stays small).
const key = (line, mutator, replacement) => hash(`${line} ${mutator} ${replacement}`).slice(0, 10);
const detected = (status) => status === "Killed" || status === "Timeout";
if (existsSync(REPORT)) {
  // Idempotent: the same report merged twice gives the same store.
  const { files } = JSON.parse(readFileSync(REPORT, "utf8"));
  const at = statSync(REPORT).mtime.toISOString();
  for (const [file, { source, mutants }] of Object.entries(files)) {
    const kept = store.files[file];
    if (kept !== undefined && kept.at > at) continue;
    const entry = { at, config: gc ? "gc" : core ? "core" : "main", hash: hash(source), detected: [], others: [] };
    const tested = new Set();
    for (const m of mutants) {
      const k = key(m.location.start.line, m.mutatorName, m.replacement);
      tested.add(k);
      if (detected(m.status)) entry.detected.push(k);
      // Compile and runtime errors and ignored mutants do not count: not kept.
      else if (m.status === "Survived" || m.status === "NoCoverage") entry.others.push({ line: m.location.start.line, mutator: m.mutatorName, replacement: m.replacement, status: m.status });
    }
    // Same code as the kept run: a run over part of the file (`--mutate src/f.ts:10-20`)
    // updates the mutants it tested and keeps the others.
    if (kept !== undefined && kept.hash === entry.hash) {
      entry.detected.push(...kept.detected.split(" ").filter((k) => k !== "" && !tested.has(k)));
      entry.others.push(...kept.others.filter((m) => !tested.has(key(m.line, m.mutator, m.replacement))));
    }
    // One line of keys: the list of detected mutants is long and only ever counted.
    entry.detected = entry.detected.sort().join(" ");
    entry.others.sort((a, b) => a.line - b.line || a.mutator.localeCompare(b.mutator) || String(a.replacement).localeCompare(String(b.replacement)));
    store.files[file] = entry;
  }
  const sorted = Object.fromEntries(Object.entries(store.files).sort(([a], [b]) => a.localeCompare(b)));
  // A line per surviving mutant, so that a diff of the store reads as what changed.
  const text = JSON.stringify({ files: sorted }, (k, v) => (k === "others" ? v.map((m) => JSON.stringify(m)) : v), 1).replace(/"(\{.*\})"/g, (_, m) => JSON.parse(`"${m}"`));
  writeFileSync(STORE, `${text}\n`);
} else if (!all) {
  console.error(`No report at ${REPORT}: run the mutation tests first.`);
  process.exit(2);
}

// The store read as a report: a detected mutant only needs counting.
const fromStore = () => ({
  files: Object.fromEntries(
    Object.entries(store.files).map(([file, e]) => [
      file,
      {
        mutants: [
          ...e.detected.split(" ").filter((k) => k !== "").map(() => ({ status: "Killed" })),
          ...e.others.map((m) => ({ location: { start: { line: m.line } }, mutatorName: m.mutator, replacement: m.replacement, status: m.status })),
        ],
      },
    ]),
  ),
});
const report = all ? fromStore() : JSON.parse(readFileSync(REPORT, "utf8"));
const equivalents = existsSync(EQUIVALENTS) ? JSON.parse(readFileSync(EQUIVALENTS, "utf8")) : [];
// Each entry names its line by number and by its code (trimmed): an edit above it moves the
// number, so the entry applies to the nearest line with that code; none left is an error.
for (const e of equivalents) {
  if (!e.file || !e.line || !e.code || !e.mutator || !e.reason) {
    console.error(`${EQUIVALENTS}: every entry needs file, line, code, mutator and reason: ${JSON.stringify(e)}`);
    process.exit(2);
  }
  const lines = readFileSync(e.file, "utf8").split("\n").map((l) => l.trim());
  const at = lines
    .map((l, i) => (l === e.code ? i + 1 : 0))
    .filter((n) => n > 0)
    .sort((a, b) => Math.abs(a - e.line) - Math.abs(b - e.line))[0];
  if (at === undefined) {
    console.error(`${EQUIVALENTS}: ${e.file} no longer has the line \`${e.code}\` (entry for line ${e.line}): update or remove it`);
    process.exit(2);
  }
  e.line = at;
}
const isEquivalent = (file, m) =>
  equivalents.some(
    (e) =>
      file.endsWith(e.file) &&
      e.line === m.location.start.line &&
      e.mutator === m.mutatorName &&
      (e.replacement === undefined || e.replacement === m.replacement),
  );

// Stryker's score: detected (killed, timed out) over valid mutants (compile and runtime errors
// and ignored mutants are not mutants of the program as written).
const rows = [];
const total = { killed: 0, survived: 0, noCoverage: 0, equivalent: 0 };
for (const [file, { mutants }] of Object.entries(report.files).sort()) {
  const r = { file, killed: 0, survived: 0, noCoverage: 0, equivalent: 0 };
  for (const m of mutants) {
    if (m.status === "Killed" || m.status === "Timeout") r.killed++;
    else if (m.status === "Survived" || m.status === "NoCoverage") {
      if (isEquivalent(file, m)) r.equivalent++;
      else if (m.status === "Survived") r.survived++;
      else r.noCoverage++;
    }
  }
  for (const k of Object.keys(total)) total[k] += r[k];
  rows.push(r);
}
const score = (r) => {
  const valid = r.killed + r.survived + r.noCoverage;
  return valid === 0 ? 100 : (100 * r.killed) / valid;
};
const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${pad("file", 28)} ${pad("score", 7)} killed  survived  no-coverage  equivalent${all ? "  run" : ""}`);
const low = [];
for (const r of rows) {
  const s = score(r);
  if (s < PER_FILE) low.push(r.file);
  let run = "";
  if (all) {
    const kept = store.files[r.file];
    const changed = !existsSync(r.file) ? ", file gone" : hash(readFileSync(r.file, "utf8")) !== kept.hash ? ", changed since" : "";
    run = `${kept.config} ${kept.at.slice(0, 16)}${changed}`;
  }
  console.log(`${pad(r.file, 28)} ${pad(s.toFixed(1), 7)} ${pad(r.killed, 7)} ${pad(r.survived, 9)} ${pad(r.noCoverage, 12)} ${all ? pad(r.equivalent, 11) : r.equivalent}${run}`);
}
const overall = score(total);
console.log(`${pad("all files", 28)} ${pad(overall.toFixed(1), 7)} ${pad(total.killed, 7)} ${pad(total.survived, 9)} ${pad(total.noCoverage, 12)} ${total.equivalent}`);
console.log(`\nreport: ${REPORT.replace("mutation.json", "index.html")}; equivalent mutants: ${EQUIVALENTS} (${equivalents.length})`);
let unmeasured = [];
if (all) {
  // A file of src/ with code that no run has measured counts against the target.
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
  unmeasured = walk("src").filter((f) => hasCode(f) && store.files[f] === undefined);
  if (unmeasured.length > 0) console.log(`Never measured: ${unmeasured.join(", ")}`);
}
const ok = overall >= OVERALL && low.length === 0 && unmeasured.length === 0;
if (!ok) {
  console.log(`Below target (${OVERALL}% overall, ${PER_FILE}% per file)${low.length ? `: ${low.join(", ")}` : ""}`);
}
process.exit(ok ? 0 : 1);
