import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "./lib.js";

// S6r: deep waits the way servers meet them. S6 measures steady state (a re-warm after each
// full gc()); here every measurement is a fresh process (bench/s6r-once.js) with no warm-up and
// no re-warm, GC included, each level fired from its own microtask. Both the time to the
// outermost result and the process's peak RSS are reported. The sides alternate, one process
// each per repetition.
const once = fileURLToPath(new URL("../s6r-once.js", import.meta.url));

function measureOnce(side, depth) {
  const out = execFileSync(process.execPath, [once, side, String(depth)], { encoding: "utf8" });
  return JSON.parse(out);
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

function row(id, depth, reps) {
  return {
    processes: { full: 1, quick: 1 }, // measure() starts its own fresh processes
    id,
    title: `deep waits, fresh process, depth ${depth.toLocaleString("en-US")}`,
    description: `${(depth + 1).toLocaleString("en-US")} Deferreds, d[i].addCallback(() => d[i+1]), each d[i] fired from its own queueMicrotask, then d[N]; the same with promises (q[i] = p[i].then(() => q[i+1])); each measurement a fresh process with no warm-up (bench/s6r-once.js), GC included; time to the outermost result and peak RSS, and a floor (the same arrays, closures and microtasks without any Deferred or promise), median of ${reps.full} processes per side (${reps.quick} quick); target: time ratio ≤ 0.8 and peak RSS ≤ native's`,
    target: 0.8,
    targetText: "≤ 0.8, RSS ≤ 1.0",
    kind: "fresh",
    async measure({ quick }) {
      const n = quick ? reps.quick : reps.full;
      const out = { kind: "fresh", deferkit: [], promise: [], floor: [] };
      for (let r = 0; r < n; r++) {
        const order = r % 2 === 0 ? ["deferkit", "promise", "floor"] : ["floor", "promise", "deferkit"];
        for (const side of order) out[side].push(measureOnce(side, depth));
      }
      return out;
    },
    summarise(runs) {
      const all = (side, key) => runs.flatMap((r) => r[side].map((m) => m[key]));
      const dkMs = median(all("deferkit", "ms"));
      const prMs = median(all("promise", "ms"));
      const dkRss = median(all("deferkit", "rssMB"));
      const prRss = median(all("promise", "rssMB"));
      const ratio = dkMs / prMs;
      const rssRatio = dkRss / prRss;
      const flMs = median(all("floor", "ms"));
      return {
        kind: "fresh",
        ratio,
        met: ratio <= 0.8 && rssRatio <= 1.0,
        display: ratio.toFixed(3),
        left: `${fmt(dkMs)} ms, ${fmt(dkRss)} MB`,
        right: `${fmt(prMs)} ms, ${fmt(prRss)} MB`,
        note: `peak RSS ratio ${rssRatio.toFixed(2)}; floor ${fmt(flMs)} ms (${(flMs / prMs).toFixed(3)} × Promise: the scenario's own closures, arrays and microtasks)`,
        depth,
        deferkitMs: dkMs,
        promiseMs: prMs,
        deferkitRssMB: dkRss,
        promiseRssMB: prRss,
        floorMs: flMs,
      };
    },
  };
}

export default [row("S6ra", 100_000, { full: 7, quick: 3 }), row("S6rb", 1_000_000, { full: 3, quick: 1 })];
