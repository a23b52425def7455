#!/usr/bin/env node
// `npm run bench:ab -- [--base REF] [--only S1,S2] [--runs N]`: the working tree against a git
// ref (default HEAD), for measuring a hot-path change before committing it. Both builds run
// the same (current) scenario code; each row's deferkit case is timed in fresh processes that
// alternate between the two builds, and the medians of the per-process best times are compared.
// On a noisy machine this is far steadier than two separate `npm run bench` runs.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { rows } from "./scenarios/index.js";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const base = opt("base", "HEAD");
const runs = Number(opt("runs", "6"));
const only = opt("only", "S1,S2,S3").split(",");
const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

const sh = (cmd, cmdArgs, cwd) => execFileSync(cmd, cmdArgs, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 });

// The base: its sources at REF, its own build, the current bench scenarios.
const tree = mkdtempSync(join(tmpdir(), "deferkit-ab-"));
try {
  execFileSync("sh", ["-c", `git archive ${JSON.stringify(base)} | tar -x -C ${JSON.stringify(tree)}`], { cwd: root });
  symlinkSync(join(root, "node_modules"), join(tree, "node_modules"));
  rmSync(join(tree, "bench"), { recursive: true, force: true });
  cpSync(join(root, "bench"), join(tree, "bench"), { recursive: true });
  process.stderr.write(`building ${base} and the working tree...\n`);
  sh(process.execPath, [join(root, "node_modules/.bin/rollup"), "-c", "--silent"], tree);
  sh(process.execPath, [join(root, "node_modules/.bin/rollup"), "-c", "--silent"], root);

  const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
  const time = (dir, id) => Number(sh(process.execPath, ["--expose-gc", join(dir, "bench/ab-worker.js"), id], dir));
  for (const id of only) {
    const row = rows.find((r) => r.id === id);
    if (!row || typeof row.cases !== "function") {
      console.log(`${id}: not a time row, skipped`);
      continue;
    }
    const a = [];
    const b = [];
    for (let i = 0; i < runs; i++) {
      process.stderr.write(`\r${id}: run ${i + 1}/${runs}`);
      a.push(time(tree, id));
      b.push(time(root, id));
    }
    process.stderr.write("\r\x1b[K");
    const ma = median(a);
    const mb = median(b);
    console.log(`${id.padEnd(4)} ${base}: ${ma.toFixed(1)} ns/op  working tree: ${mb.toFixed(1)} ns/op  ratio ${(mb / ma).toFixed(3)} (below 1: the change is faster)`);
  }
} finally {
  rmSync(tree, { recursive: true, force: true });
}
