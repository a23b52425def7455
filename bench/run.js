#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only S1,S5]`: deferkit against native Promise, scenario by
// scenario. Each row runs in several fresh processes (`bench/worker.js`); inside each, the
// cases alternate in rounds and the time ratio deferkit/promise is taken per round. The table
// shows min / median / max of those ratios over all rounds, the ops/s of each side, and how
// much the per-process medians disagree (the noise of this run).
// Rows of another kind (memory, deep nesting) measure themselves (`row.measure` in the worker)
// and merge their processes' results with `row.summarise(runs)` here, into a ratio, a `met`,
// the cells `display`, `left`, `right`, `note`, and optionally a `noise`.
// A row whose needed export is missing reports "not available" (`row.unavailable()`).
// `--only S5` selects S5 and its variants S5a, S5b.
// Writes bench/results.json and bench/results.md (neither is committed).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { rows } from "./scenarios/index.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyArg = args.find((a) => a.startsWith("--only"));
const only = onlyArg ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : args[args.indexOf(onlyArg) + 1]).split(",") : null;
const settings = quick ? { processes: 2, rounds: 3, time: 60 } : { processes: 3, rounds: 5, time: 150 };

const worker = fileURLToPath(new URL("./worker.js", import.meta.url));
const wanted = (id) => !only || only.some((o) => id === o || (id.startsWith(o) && /^[a-z]$/.test(id.slice(o.length))));
const selected = rows.filter((r) => wanted(r.id));
if (only && selected.length === 0) throw new Error(`no benchmark row matches ${only.join(",")}`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtRatio = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(3));
const fmtOps = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));
const progress = (text) => process.stderr.isTTY && process.stderr.write(`\r\x1b[K${text}`);

const results = [];
const started = Date.now();
for (const [i, row] of selected.entries()) {
  const runs = [];
  const rowStarted = Date.now();
  // A row whose one process takes seconds may run in fewer processes (`processes: { quick: 1 }`).
  const processes = row.processes?.[quick ? "quick" : "full"] ?? settings.processes;
  for (let p = 0; p < processes; p++) {
    progress(`[${i + 1}/${selected.length}] ${row.id} ${row.title}: process ${p + 1}/${processes}`);
    const child = spawnSync(
      process.execPath,
      ["--expose-gc", "--stack-size=984", worker, row.id, String(settings.rounds), String(settings.time), quick ? "quick" : "full"],
      { encoding: "utf8", maxBuffer: 1 << 26 },
    );
    if (child.stderr) process.stderr.write(child.stderr);
    if (child.status !== 0) {
      // A broken row (its check failed, it threw) is reported as such; the other rows still run.
      const why = (child.stderr || String(child.error ?? `exit code ${child.status}`)).trim().split("\n");
      const message = why.find((l) => /^\s*(\w*Error|AssertionError)\b.*:/.test(l)) ?? why[why.length - 1];
      runs.length = 0;
      runs.push({ kind: "error", reason: `failed: ${message.trim()}` });
      break;
    }
    runs.push(JSON.parse(child.stdout));
    if (runs[0].kind === "unavailable") break; // one process is enough to know
  }
  results.push({ ...summarise(row, runs), seconds: (Date.now() - rowStarted) / 1000 });
}
progress("");

function summarise(row, runs) {
  const kind = runs[0].kind;
  const base = { id: row.id, title: row.title, description: row.description, target: row.target, targetText: row.targetText };
  if (kind === "unavailable") return { ...base, kind, met: null, display: "n/a", note: runs[0].reason };
  if (kind === "error") return { ...base, kind, met: false, display: "error", note: runs[0].reason };
  if (kind !== "time") {
    const merged = row.summarise ? row.summarise(runs) : mergeCustom(runs);
    const met = merged.met ?? (row.target === undefined ? null : merged.ratio <= row.target);
    return { ...base, kind, ...merged, met, processes: runs.length };
  }
  const names = runs[0].names;
  const others = names.filter((n) => n !== "promise");
  const cols = {};
  for (const name of others) {
    const ratios = runs.flatMap((r) => r.perRound.map((l) => l[name] / l.promise));
    const perProcess = runs.map((r) => median(r.perRound.map((l) => l[name] / l.promise)));
    const med = median(ratios);
    cols[name] = {
      min: Math.min(...ratios),
      median: med,
      max: Math.max(...ratios),
      noise: (Math.max(...perProcess) - Math.min(...perProcess)) / med,
      opsPerSec: (runs[0].batch * 1000) / median(runs.flatMap((r) => r.perRound.map((l) => l[name]))),
      // deferkit's time over this column's, per round (for columns other than deferkit).
      deferkitOver: name === "deferkit" ? 1 : median(runs.flatMap((r) => r.perRound.map((l) => l.deferkit / l[name]))),
    };
  }
  const promiseOps = (runs[0].batch * 1000) / median(runs.flatMap((r) => r.perRound.map((l) => l.promise)));
  const ratio = cols.deferkit.median;
  return {
    ...base,
    kind,
    ratio,
    met: row.target === undefined ? null : ratio <= row.target,
    noise: cols.deferkit.noise,
    promiseOpsPerSec: promiseOps,
    cols,
  };
}

// A custom row without `summarise`: the median of the processes' ratios, with the other cells
// (`left`, `right`, `note`) of the process whose ratio is nearest to it.
function mergeCustom(runs) {
  const ratio = median(runs.map((r) => r.ratio));
  const nearest = runs.reduce((a, b) => (Math.abs(b.ratio - ratio) < Math.abs(a.ratio - ratio) ? b : a));
  return { ...nearest, ratio, display: undefined };
}

// ---- report ----
const noise = results.filter((r) => typeof r.noise === "number" && Number.isFinite(r.noise)).map((r) => r.noise);
const header = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`,
  mode: quick ? "quick" : "full",
  settings,
  noise: noise.length ? { median: median(noise), max: Math.max(...noise) } : null,
  seconds: Math.round((Date.now() - started) / 1000),
};

const targetCell = (r) => r.targetText ?? (r.target === undefined ? "" : `≤ ${r.target}`);
const metCell = (r) => (r.kind === "error" ? "ERROR" : r.met === null ? "n/a" : r.met ? "ok" : "MISS");
/** Columns beyond deferkit and promise: each one's time against the Promise baseline and deferkit's against it. */
const extraCols = (r) =>
  Object.entries(r.cols)
    .filter(([n]) => n !== "deferkit")
    .map(([n, c]) => `${n} ${fmtRatio(c.median)} × Promise (deferkit/${n} ${fmtRatio(c.deferkitOver)})`)
    .join("; ");

const lines = [];
lines.push(`deferkit vs native Promise — ${header.date}, Node ${header.node}, ${header.cpus}, ${header.mode} run (${settings.processes} processes × ${settings.rounds} rounds)`);
lines.push("ratio = deferkit / Promise: time per round, or bytes for memory rows (lower is better); target = the most it may be");
lines.push("");
const table = [["row", "scenario", "ratio min", "median", "max", "target", "", "deferkit", "Promise", "noise", "notes"]];
for (const r of results) {
  if (r.kind === "time") {
    const d = r.cols.deferkit;
    table.push([r.id, r.title, fmtRatio(d.min), fmtRatio(d.median), fmtRatio(d.max), targetCell(r), metCell(r), `${fmtOps(d.opsPerSec)} ops/s`, `${fmtOps(r.promiseOpsPerSec)} ops/s`, `${(d.noise * 100).toFixed(0)}%`, extraCols(r)]);
  } else {
    const noiseCell = typeof r.noise === "number" ? `${(r.noise * 100).toFixed(0)}%` : "";
    table.push([r.id, r.title, "", r.display ?? fmtRatio(r.ratio), "", targetCell(r), metCell(r), r.left ?? "", r.right ?? "", noiseCell, r.note ?? ""]);
  }
}
const widths = table[0].map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
for (const row of table) lines.push(row.map((cell, c) => String(cell).padEnd(widths[c])).join("  ").trimEnd());
lines.push("");
for (const r of results) lines.push(`${r.id}: ${r.description}`);
lines.push("");
const noiseLine = header.noise
  ? `noise: per-process medians of a row differ by ${(header.noise.median * 100).toFixed(0)}% (median over rows), ${(header.noise.max * 100).toFixed(0)}% at most; ${header.seconds} s in all`
  : `${header.seconds} s in all`;
lines.push(noiseLine);
const missed = results.filter((r) => r.met === false && r.kind !== "error").map((r) => r.id);
const unavailable = results.filter((r) => r.kind === "unavailable").map((r) => r.id);
const broken = results.filter((r) => r.kind === "error").map((r) => r.id);
const verdict =
  (missed.length ? `targets missed: ${missed.join(", ")}` : "every target met") +
  (unavailable.length ? `; not available: ${unavailable.join(", ")}` : "") +
  (broken.length ? `; broken (see stderr): ${broken.join(", ")}` : "");
lines.push(verdict);
console.log(lines.join("\n"));

const mdCell = (s) => String(s).replaceAll("|", "\\|");
const mdMet = (r) => (r.met === null || r.kind === "error" ? "" : r.met ? " ✓" : " ✗");
const md = [
  `| row | scenario | ratio (min / median / max) | target | deferkit | Promise | noise / notes |`,
  `| --- | --- | --- | --- | --- | --- | --- |`,
  ...results.map((r) => {
    if (r.kind === "time") {
      const d = r.cols.deferkit;
      const extra = extraCols(r);
      const notes = `${(d.noise * 100).toFixed(0)}%${extra ? `; ${extra}` : ""}`;
      return `| ${r.id} | ${mdCell(r.title)} | ${fmtRatio(d.min)} / **${fmtRatio(d.median)}** / ${fmtRatio(d.max)} | ${targetCell(r)}${mdMet(r)} | ${fmtOps(d.opsPerSec)} ops/s | ${fmtOps(r.promiseOpsPerSec)} ops/s | ${mdCell(notes)} |`;
    }
    const notes = [typeof r.noise === "number" ? `${(r.noise * 100).toFixed(0)}%` : "", r.note ?? ""].filter(Boolean).join("; ");
    return `| ${r.id} | ${mdCell(r.title)} | **${mdCell(r.display ?? fmtRatio(r.ratio))}** | ${targetCell(r)}${mdMet(r)} | ${mdCell(r.left ?? "")} | ${mdCell(r.right ?? "")} | ${mdCell(notes)} |`;
  }),
  "",
  ...results.map((r) => `- ${r.id}: ${r.description}`),
  "",
  `${header.date}, Node ${header.node}, ${header.cpus}; ${header.mode} run (${settings.processes} processes × ${settings.rounds} rounds). ratio = deferkit / Promise (time; bytes for memory rows); lower is better. ${noiseLine}. ${verdict}.`,
].join("\n");
const dir = new URL(".", import.meta.url);
writeFileSync(new URL("results.json", dir), JSON.stringify({ header, results }, null, 2));
writeFileSync(new URL("results.md", dir), md + "\n");
if (broken.length) process.exitCode = 1;
