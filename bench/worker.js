// One process of `npm run bench`: node --expose-gc bench/worker.js <rowId> <rounds> <timeMs>
import { rows } from "./scenarios/index.js";
import { measureTime } from "./harness.js";

const [id, rounds, time] = process.argv.slice(2);
const row = rows.find((r) => r.id === id);
if (!row) throw new Error(`no benchmark row ${id}`);
const result =
  row.kind === "time" || row.kind === undefined
    ? await measureTime(row, { rounds: Number(rounds), time: Number(time) })
    : await row.measure({ rounds: Number(rounds), time: Number(time) });
process.stdout.write(JSON.stringify(result));
