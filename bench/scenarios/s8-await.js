import { succeed } from "./lib.js";

// `await` of something that already has its result, inside an async function. The Deferreds
// and promises are made once, outside the timing: an op is one `await` (a Deferred's `then`
// observes the chain without changing it, so the same one can be awaited again).
const BATCH = 100;
const expected = (BATCH * (BATCH - 1)) / 2;

export default {
  id: "S8",
  title: "await a fired Deferred",
  description: `one async function awaiting ${BATCH} already-fired Deferreds (succeed(k)) in turn vs ${BATCH} already-resolved promises (Promise.resolve(k)); made once, so an op is one await; column \`min-thenable\`: the cheapest Promises/A+ thenable (its then returns p.then(f, r) of a resolved native p), the floor for awaiting anything that is not a native promise`,
  target: 2.0,
  batch: BATCH,
  cases: () => {
    const ds = Array.from({ length: BATCH }, (_, k) => succeed(k));
    const ps = Array.from({ length: BATCH }, (_, k) => Promise.resolve(k));
    // The floor for any Promises/A+ thenable: a `then` that hands straight to a native promise.
    const ts = Array.from({ length: BATCH }, (_, k) => {
      const p = Promise.resolve(k);
      return { then: (f, r) => p.then(f, r) };
    });
    return {
      async deferkit() {
        let sum = 0;
        for (let k = 0; k < BATCH; k++) sum += await ds[k];
        return sum;
      },
      async "min-thenable"() {
        let sum = 0;
        for (let k = 0; k < BATCH; k++) sum += await ts[k];
        return sum;
      },
      async promise() {
        let sum = 0;
        for (let k = 0; k < BATCH; k++) sum += await ps[k];
        return sum;
      },
    };
  },
  async check(cases) {
    const a = await cases.deferkit();
    const b = await cases.promise();
    if (a !== expected || b !== expected) throw new Error(`S8 results differ: ${a} vs ${b}`);
  },
};
