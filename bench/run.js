#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only S1,S2]`: deferkit against native Promise, scenario by
// scenario. Each row runs in several fresh processes (`bench/worker.js`); inside each, the
// cases alternate in rounds and the time ratio deferkit/promise is taken per round. The table
// shows min / median / max of those ratios over all rounds, the ops/s of each side, and how
// much the per-process medians disagree (the noise of this run).
// Writes bench/results.json and bench/results.md (neither is committed).
import { execFileSync } from "node:child_process";
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
const selected = rows.filter((r) => !only || only.includes(r.id));

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
  for (let p = 0; p < settings.processes; p++) {
    progress(`[${i + 1}/${selected.length}] ${row.id} ${row.title}: process ${p + 1}/${settings.processes}`);
    const out = execFileSync(
      process.execPath,
      ["--expose-gc", "--stack-size=984", worker, row.id, String(settings.rounds), String(settings.time)],
      { encoding: "utf8", maxBuffer: 1 << 26 },
    );
    runs.push(JSON.parse(out));
  }
  results.push(summarise(row, runs));
}
progress("");

function summarise(row, runs) {
  const kind = runs[0].kind;
  if (kind !== "time") return { id: row.id, title: row.title, description: row.description, target: row.target, ...mergeCustom(runs) };
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
    };
  }
  const promiseOps = (runs[0].batch * 1000) / median(runs.flatMap((r) => r.perRound.map((l) => l.promise)));
  const ratio = cols.deferkit.median;
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    target: row.target,
    kind,
    ratio,
    met: row.target === undefined ? null : ratio <= row.target,
    promiseOpsPerSec: promiseOps,
    cols,
  };
}

// Rows that measure something other than time report their own cells, from the median process.
function mergeCustom(runs) {
  const ratio = median(runs.map((r) => r.ratio));
  return { ...runs[0], ratio, met: runs[0].target === undefined ? null : undefined, runs: runs.length };
}

for (const r of results) if (r.met === undefined || r.met === null) r.met = r.target === undefined ? null : r.ratio <= r.target;

// ---- report ----
const noise = results.filter((r) => r.kind === "time").map((r) => r.cols.deferkit.noise);
const header = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`,
  mode: quick ? "quick" : "full",
  settings,
  noise: noise.length ? { median: median(noise), max: Math.max(...noise) } : null,
  seconds: Math.round((Date.now() - started) / 1000),
};

const lines = [];
lines.push(`deferkit vs native Promise — ${header.date}, Node ${header.node}, ${header.cpus}, ${header.mode} run (${settings.processes} processes × ${settings.rounds} rounds)`);
lines.push("ratio = deferkit time / Promise time per round (lower is better); target = the most it may be");
lines.push("");
const table = [["row", "scenario", "ratio min", "median", "max", "target", "", "deferkit ops/s", "Promise ops/s", "noise", "other columns"]];
for (const r of results) {
  if (r.kind === "time") {
    const d = r.cols.deferkit;
    const extra = Object.entries(r.cols)
      .filter(([n]) => n !== "deferkit")
      .map(([n, c]) => `${n} ${fmtRatio(c.median)}`)
      .join(", ");
    table.push([r.id, r.title, fmtRatio(d.min), fmtRatio(d.median), fmtRatio(d.max), r.target ?? "", r.met ? "ok" : "MISS", fmtOps(d.opsPerSec), fmtOps(r.promiseOpsPerSec), `${(d.noise * 100).toFixed(0)}%`, extra]);
  } else {
    table.push([r.id, r.title, "", r.display ?? fmtRatio(r.ratio), "", r.target ?? "", r.met ? "ok" : "MISS", r.left ?? "", r.right ?? "", "", r.note ?? ""]);
  }
}
const widths = table[0].map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
for (const row of table) lines.push(row.map((cell, c) => String(cell).padEnd(widths[c])).join("  ").trimEnd());
lines.push("");
for (const r of results) lines.push(`${r.id}: ${r.description}`);
lines.push("");
if (header.noise) {
  lines.push(`noise: per-process medians of a row differ by ${(header.noise.median * 100).toFixed(0)}% (median over rows), ${(header.noise.max * 100).toFixed(0)}% at most; ${header.seconds} s in all`);
}
const missed = results.filter((r) => r.met === false).map((r) => r.id);
lines.push(missed.length ? `targets missed: ${missed.join(", ")}` : "every target met");
console.log(lines.join("\n"));

const md = [
  `| row | scenario | ratio (min / median / max) | target | deferkit ops/s | Promise ops/s | noise |`,
  `| --- | --- | --- | --- | --- | --- | --- |`,
  ...results.map((r) =>
    r.kind === "time"
      ? `| ${r.id} | ${r.title} | ${fmtRatio(r.cols.deferkit.min)} / **${fmtRatio(r.cols.deferkit.median)}** / ${fmtRatio(r.cols.deferkit.max)} | ≤ ${r.target} ${r.met ? "✓" : "✗"} | ${fmtOps(r.cols.deferkit.opsPerSec)} | ${fmtOps(r.promiseOpsPerSec)} | ${(r.cols.deferkit.noise * 100).toFixed(0)}% |`
      : `| ${r.id} | ${r.title} | **${r.display ?? fmtRatio(r.ratio)}** | ≤ ${r.target} ${r.met ? "✓" : "✗"} | ${r.left ?? ""} | ${r.right ?? ""} | ${r.note ?? ""} |`,
  ),
  "",
  `${header.date}, Node ${header.node}, ${header.cpus}; ${header.mode} run. ${lines[lines.length - 2]}`,
].join("\n");
const dir = new URL(".", import.meta.url);
writeFileSync(new URL("results.json", dir), JSON.stringify({ header, results }, null, 2));
writeFileSync(new URL("results.md", dir), md + "\n");
