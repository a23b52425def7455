// One process of `npm run bench`: node --expose-gc bench/worker.js <rowId> <rounds> <timeMs> [quick]
// A row with `unavailable()` returning a reason (an export it needs is missing) reports that
// instead of measuring.
import { rows } from "./scenarios/index.js";
import { measureTime } from "./harness.js";

const [id, rounds, time, mode] = process.argv.slice(2);
const row = rows.find((r) => r.id === id);
if (!row) throw new Error(`no benchmark row ${id}`);
const reason = row.unavailable?.();
const settings = { rounds: Number(rounds), time: Number(time), quick: mode === "quick" };
const result =
  reason !== undefined
    ? { kind: "unavailable", reason }
    : row.kind === "time" || row.kind === undefined
      ? await measureTime(row, settings)
      : await row.measure(settings);
process.stdout.write(JSON.stringify(result));
