// One process of `npm run bench:ab`: node bench/ab-worker.js <rowId> — prints the best time
// per operation (ns) of the row's deferkit case, against the dist/ beside this bench/ folder.
import { rows } from "./scenarios/index.js";

const row = rows.find((r) => r.id === process.argv[2]);
if (!row || typeof row.cases !== "function") throw new Error(`no time row ${process.argv[2]}`);
const run = row.cases().deferkit;
const batch = row.batch ?? 1;

async function nsPerOp(ms) {
  let n = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < ms) {
    for (let i = 0; i < 20; i++) {
      const r = run();
      if (r && typeof r.then === "function") await r;
    }
    n += 20;
    now = performance.now();
  }
  return ((now - t0) / n / batch) * 1e6;
}

await nsPerOp(300); // warm up
let best = Infinity;
for (let r = 0; r < 8; r++) best = Math.min(best, await nsPerOp(100));
process.stdout.write(String(best));
