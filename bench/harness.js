// Benchmark harness: measures one scenario row inside one process and prints JSON.
//
// A "time" row has `cases`: deferkit, promise (the baseline) and optionally others, each a
// function that does `batch` operations (sync, or async returning a Promise). The cases run
// interleaved in rounds, in alternating order, each round a tinybench run of every case; the
// ratio case/promise is taken within each round, so machine-wide slowdowns cancel out.
// A row whose one operation is big (milliseconds) sets `iterations` (and `warmupIterations`):
// the fewest samples tinybench takes per case and round, 64 (16) by default.
import { Bench } from "tinybench";

export async function measureTime(row, { rounds, time }) {
  const cases = row.cases();
  const names = Object.keys(cases);
  if (!names.includes("promise") || !names.includes("deferkit")) {
    throw new Error(`${row.id}: a time row needs "deferkit" and "promise" cases`);
  }
  // Correctness first: a case that throws or rejects is a broken benchmark, not a slow one.
  for (const name of names) await cases[name]();
  if (row.check) await row.check(cases);

  const perRound = []; // [{ name: latencyMs }]
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    const options = { time, warmupTime: Math.max(10, time / 4), throws: true };
    if (row.iterations !== undefined) options.iterations = row.iterations;
    if (row.warmupIterations !== undefined) options.warmupIterations = row.warmupIterations;
    const bench = new Bench(options);
    for (const name of order) bench.add(name, cases[name]);
    await bench.run();
    const latency = {};
    for (const task of bench.tasks) latency[task.name] = task.result.latency.mean;
    perRound.push(latency);
  }
  return { kind: "time", names, batch: row.batch, perRound };
}
