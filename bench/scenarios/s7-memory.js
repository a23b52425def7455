import { Deferred, median, nextMacrotask } from "./lib.js";

// Retained heap per pending object with one callback. Each side holds what a user must keep to
// complete the operation later: the Deferred itself, and for a Promise its `resolve` function
// (which keeps the promise, its reaction, the promise `then` returned and the resolving
// functions' context alive). The holding array is allocated before the first measurement, so
// both sides pay the same 4 bytes per slot outside the figure.
const N = 100_000;
let called = 0;
const shared = () => {
  called++;
};

const sides = {
  deferkit(hold) {
    for (let i = 0; i < N; i++) {
      const d = new Deferred();
      d.addCallback(shared);
      hold[i] = d;
    }
  },
  promise(hold) {
    for (let i = 0; i < N; i++) {
      let resolve;
      // Kept pending on purpose (only `resolve` is held); it never rejects.
      void new Promise((r) => (resolve = r)).then(shared);
      hold[i] = resolve;
    }
  },
};
const fire = {
  deferkit: (hold) => hold.forEach((d, i) => d.callback(i)),
  promise: (hold) => hold.forEach((resolve, i) => resolve(i)),
};

function heap() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** Bytes per object on one side; then fires them all and checks the callback ran N times. */
async function measureOnce(name) {
  const hold = new Array(N).fill(0);
  const before = heap();
  sides[name](hold);
  const after = heap();
  called = 0;
  fire[name](hold);
  await nextMacrotask();
  if (called !== N) throw new Error(`S7 ${name}: the callback ran ${called} times, not ${N}`);
  return (after - before) / N;
}

export default {
  id: "S7",
  title: "heap per pending object, one callback",
  description: `retained heap bytes per pending Deferred with one addCallback vs per pending Promise with one then (holding its resolve), ${N.toLocaleString("en-US")} objects, heapUsed after gc() before and after creating them, one shared callback; each side then fired and its callback checked to run ${N.toLocaleString("en-US")} times`,
  target: 0.5,
  kind: "memory",
  async measure({ rounds }) {
    if (typeof globalThis.gc !== "function") throw new Error("S7 needs node --expose-gc");
    const out = { kind: "memory", deferkit: [], promise: [] };
    await measureOnce("deferkit");
    await measureOnce("promise");
    for (let r = 0; r < rounds; r++) {
      for (const name of r % 2 === 0 ? ["deferkit", "promise"] : ["promise", "deferkit"]) {
        out[name].push(await measureOnce(name));
      }
    }
    out.ratio = median(out.deferkit) / median(out.promise);
    return out;
  },
  summarise(runs) {
    const dk = median(runs.flatMap((r) => r.deferkit));
    const pr = median(runs.flatMap((r) => r.promise));
    const all = runs.flatMap((r) => [...r.deferkit, ...r.promise]);
    const spread = Math.max(...runs.flatMap((r) => r.deferkit)) - Math.min(...runs.flatMap((r) => r.deferkit));
    const ratio = dk / pr;
    return {
      kind: "memory",
      ratio,
      display: ratio.toFixed(3),
      left: `${dk.toFixed(1)} B each`,
      right: `${pr.toFixed(1)} B each`,
      note: `bytes per object, median of ${all.length / 2} samples per side; deferkit samples vary by ${spread.toFixed(1)} B`,
      deferkitBytes: dk,
      promiseBytes: pr,
    };
  },
};
