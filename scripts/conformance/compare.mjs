#!/usr/bin/env node
// `npm run conformance -- [--count N] [--seed S] [--show K] [--explained]`: random programs over Deferreds
// (new, callback/errback, steps that return values, throw, return Failures or other
// Deferreds, pause/unpause, cancel, chainDeferred, DeferredList, gatherResults) run on
// Twisted (on_twisted.py, needs `apt-get install -y python3-twisted`) and on deferkit's build
// (run.mjs); their traces (what each step saw, what each operation threw, each Deferred's end
// state) must be equal. Programs that meet one of the README's deliberate differences are
// counted apart, by the rule that explains them. Exit code 1 on any other divergence.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const count = opt("count", 2000);
const seed = opt("seed", Date.now() % 1e9);
const showMax = opt("show", 3);
const here = fileURLToPath(new URL(".", import.meta.url));

/** mulberry32: a small seeded PRNG, so that a seed replays the same programs. */
function prng(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One random program. Left out on purpose: firing a combinator's Deferred by hand (a
 * deliberate difference), a step returning its own Deferred and an unpause() without a pause()
 * (both refused by deferkit, accepted by Twisted).
 */
function program(rand) {
  const int = (n) => Math.floor(rand() * n);
  const ops = [["new", rand() < 0.3]];
  let n = 1;
  const combinator = new Set();
  const pauses = [0];
  const len = 3 + int(12);
  const stepKind = (self) => {
    const r = int(6);
    if (r === 0) return ["value", int(100)];
    if (r === 1) return ["same"];
    if (r === 2) return ["raise", rand() < 0.5 ? "E1" : "E2"];
    if (r === 3) return ["failure", rand() < 0.5 ? "E1" : "E2"];
    const j = int(n);
    return j === self ? ["value", int(100)] : ["deferred", j];
  };
  for (let k = 0; k < len; k++) {
    const i = int(n);
    const r = int(100);
    if (r < 14) {
      ops.push(["new", rand() < 0.3]);
      pauses.push(0);
      n++;
    } else if (r < 26) {
      if (!combinator.has(i)) ops.push(["callback", i, int(100)]);
    } else if (r < 33) {
      if (!combinator.has(i)) ops.push(["errback", i, rand() < 0.5 ? "E1" : "E2"]);
    } else if (r < 58) {
      ops.push([["addCallback", "addErrback", "addBoth"][int(3)], i, stepKind(i)]);
    } else if (r < 64) {
      ops.push(["pause", i]);
      pauses[i]++;
    } else if (r < 70) {
      if (pauses[i] > 0) {
        ops.push(["unpause", i]);
        pauses[i]--;
      }
    } else if (r < 82) {
      ops.push(["cancel", i]);
    } else if (r < 87) {
      const j = int(n);
      if (j !== i && !combinator.has(j)) ops.push(["chainDeferred", i, j]);
    } else {
      const inputs = Array.from({ length: int(4) }, () => int(n));
      if (r < 94) ops.push(["DeferredList", inputs, rand() < 0.3, rand() < 0.3, rand() < 0.4]);
      else ops.push(["gatherResults", inputs, rand() < 0.4]);
      combinator.add(n);
      pauses.push(0);
      n++;
    }
  }
  return ops;
}

const rand = prng(seed);
const programs = Array.from({ length: count }, () => program(rand));
const dir = mkdtempSync(join(tmpdir(), "deferkit-conformance-"));
try {
  const file = join(dir, "programs.json");
  writeFileSync(file, JSON.stringify(programs));
  const python = process.env.PYTHON ?? "/usr/bin/python3";
  const opts = { encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "pipe"] };
  const twisted = execFileSync(python, [join(here, "on_twisted.py"), file], opts).trim().split("\n");
  const lines = execFileSync(process.execPath, [join(here, "run.mjs"), file], opts).trim().split("\n");
  const ours = lines.map((line) => line.split("\t")[0]);
  const notes = lines.map((line) => line.split("\t")[1]);
  const diverged = [];
  for (let i = 0; i < programs.length; i++) {
    if (twisted[i] !== ours[i]) diverged.push(i);
  }
  // Deliberate differences (README, "Differences from Twisted, on purpose"), recognised by
  // what run.mjs noted while the program ran on deferkit.
  const why = (i) => {
    if (twisted[i].includes("RecursionError")) return "a cycle of waits (Twisted recurses until RecursionError)";
    if (notes[i].includes("cancel of a fired combinator")) return "cancel() of a fired combinator reaches what its chain waits on";
    if (notes[i].includes("paused waiter")) return "a result handed to a paused waiter (Twisted leaves the rest of the chain)";
    return null;
  };
  const explained = new Map();
  const unexplained = [];
  for (const i of diverged) {
    const reason = why(i);
    if (reason === null) unexplained.push(i);
    else explained.set(reason, (explained.get(reason) ?? 0) + 1);
  }
  console.log(`seed ${seed}: ${count} programs, ${diverged.length} diverged, ${unexplained.length} unexplained`);
  for (const [reason, k] of explained) console.log(`  ${k} × ${reason}`);
  const shown = args.includes("--explained") ? diverged : unexplained;
  const shortest = [...shown].sort((a, b) => programs[a].length - programs[b].length).slice(0, showMax);
  for (const i of shortest) {
    console.log(`\nprogram ${i}: ${JSON.stringify(programs[i])}\n  twisted:  ${twisted[i]}\n  deferkit: ${ours[i]}`);
  }
  process.exitCode = unexplained.length === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
