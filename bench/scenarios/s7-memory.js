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

// S7: a pending object with one callback.
const pending = {
  id: "S7",
  sides: {
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
  },
  fire: {
    deferkit: (hold) => hold.forEach((d, i) => d.callback(i)),
    promise: (hold) => hold.forEach((resolve, i) => resolve(i)),
  },
};

// S7w: a wait. A chain whose step returned a pending object that has one step of its own (the
// usual shape: `outer.addCallback(() => fetchSomething().addCallback(parse))`). What is held is
// what completes it: the inner Deferred, or the inner promise's `resolve`. The outer chain ends
// in the shared callback, so both chains stay alive through the inner object.
const waits = {
  id: "S7w",
  sides: {
    deferkit(hold) {
      for (let i = 0; i < N; i++) {
        const inner = new Deferred();
        inner.addCallback(identity);
        const outer = new Deferred();
        outer.addCallback(() => inner).addCallback(shared);
        outer.callback(i);
        hold[i] = inner;
      }
    },
    promise(hold) {
      for (let i = 0; i < N; i++) {
        let resolve;
        const inner = new Promise((r) => (resolve = r)).then(identity);
        void Promise.resolve(i)
          .then(() => inner)
          .then(shared);
        hold[i] = resolve;
      }
    },
  },
  fire: pending.fire,
};
function identity(x) {
  return x;
}

function heap() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** Bytes per object on one side; then fires them all and checks the callback ran N times. */
async function measureOnce(shape, name) {
  const hold = new Array(N).fill(0);
  const before = heap();
  shape.sides[name](hold);
  // Let the promise side's microtasks run, so that each outer promise is waiting on its inner one.
  await nextMacrotask();
  const after = heap();
  called = 0;
  shape.fire[name](hold);
  await nextMacrotask();
  if (called !== N) throw new Error(`${shape.id} ${name}: the callback ran ${called} times, not ${N}`);
  return (after - before) / N;
}

function row(id, title, description, target, shape) {
  return {
    id,
    title,
    description,
    target,
    kind: "memory",
    async measure({ rounds }) {
      if (typeof globalThis.gc !== "function") throw new Error("S7 needs node --expose-gc");
      const out = { kind: "memory", deferkit: [], promise: [] };
      await measureOnce(shape, "deferkit");
      await measureOnce(shape, "promise");
      for (let r = 0; r < rounds; r++) {
        for (const name of r % 2 === 0 ? ["deferkit", "promise"] : ["promise", "deferkit"]) {
          out[name].push(await measureOnce(shape, name));
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
}

const objects = `${N.toLocaleString("en-US")} objects, heapUsed after gc() before and after creating them, one shared callback; each side then fired and its callback checked to run ${N.toLocaleString("en-US")} times`;

export default [
  row(
    "S7",
    "heap per pending object, one callback",
    `retained heap bytes per pending Deferred with one addCallback vs per pending Promise with one then (holding its resolve), ${objects}`,
    0.5,
    pending,
  ),
  row(
    "S7w",
    "heap per wait on a pending object",
    `retained heap bytes per chain waiting on a pending object that has a step of its own (deferkit: a step returns a Deferred with one addCallback; Promise: a then callback returns a promise with one then), holding what fires the inner object, ${objects}`,
    0.6,
    waits,
  ),
];
