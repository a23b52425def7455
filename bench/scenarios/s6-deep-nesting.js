import { Deferred, Failure, median, nextMacrotask, promiseNesting } from "./lib.js";

// Deep nesting: step i returns the pending Deferred i+1, which is fired later. Timed with a few
// repetitions per process (one repetition is big), in alternating order. A repetition times
// everything: building the N+1 Deferreds and their steps, firing 0..N-1 in order, firing N, and
// the outermost result arriving.
// Before each timed repetition: a full gc() (so that neither side pays for the other's garbage),
// then REWARM untimed runs at depth 1,000 of the same side, then a minor gc() for their garbage.
// The runs re-warm deferkit's code: the full GC that frees the previous repetition's objects
// deoptimises deferkit's hot functions (V8 reason "weak objects"), and at depth 10,000 the
// re-optimisation was most of the time (median 3-20 ms instead of 1 ms; it takes about 20 such
// runs to recover). Native promises run in builtins and are not affected. So the figure is
// steady-state speed; a minor GC does not deoptimise.
const RESULT = 42;
const REWARM = 40;

function deferredNesting(n) {
  const ds = new Array(n + 1);
  for (let i = 0; i <= n; i++) ds[i] = new Deferred();
  for (let i = 0; i < n; i++) {
    const next = ds[i + 1];
    ds[i].addCallback(() => next);
  }
  let out;
  ds[0].addBoth((r) => {
    out = r;
  });
  for (let i = 0; i < n; i++) ds[i].callback(i);
  ds[n].callback(RESULT);
  if (out instanceof Failure) throw out.value; // a RangeError caught inside the runner lands here
  return out;
}

// The native analogue: q[i] = p[i].then(() => q[i+1]), q[N] = p[N]; resolve p[0..N-1] in order,
// let their callbacks run (each returns the still-pending q[i+1]), then resolve p[N].
async function promiseSide(n) {
  const { resolvers, outer } = promiseNesting(n);
  for (let i = 0; i < n; i++) resolvers[i](i);
  await nextMacrotask();
  resolvers[n](RESULT);
  return outer;
}

const sides = {
  deferkit: async (n) => deferredNesting(n),
  promise: promiseSide,
};

/** One timed run of one side: its time, and whether it overflowed the stack. */
async function runOnce(name, n) {
  globalThis.gc?.();
  for (let w = 0; w < REWARM; w++) await sides[name](1000);
  globalThis.gc?.({ type: "minor" });
  const t0 = performance.now();
  let overflow = false;
  try {
    const out = await sides[name](n);
    if (out !== RESULT) throw new Error(`S6 ${name} at depth ${n} gave ${String(out)}, not ${RESULT}`);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    overflow = true;
  }
  return { ms: performance.now() - t0, overflow };
}

const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtDepth = (n) => n.toLocaleString("en-US");

function row(id, depth, reps, processes) {
  return {
    processes,
    id,
    title: `deep nesting, depth ${fmtDepth(depth)}`,
    description: `${fmtDepth(depth + 1)} Deferreds, d[i].addCallback(() => d[i+1]), fire d[0..N-1] in order, then d[N], outermost result observed vs the same with promises (q[i] = p[i].then(() => q[i+1]), resolve p[0..N-1], a macrotask, resolve p[N], await q[0]); time of the whole (after gc(), 40 untimed runs at depth 1,000 to re-warm, and a minor gc), median of ${reps.full} runs in each process (${reps.quick} quick${processes?.quick ? `, in ${processes.quick} process` : ""}); target: no RangeError and ratio ≤ 1.0`,
    target: 1.0,
    targetText: "≤ 1.0, no overflow",
    kind: "depth",
    async measure({ quick }) {
      const n = quick ? reps.quick : reps.full;
      // Warm up both sides' code at a small depth (and check their results) first.
      for (let w = 0; w < 3; w++) for (const name of Object.keys(sides)) await runOnce(name, 1000);
      const out = { kind: "depth", depth, deferkit: [], promise: [], ratios: [], overflow: { deferkit: false, promise: false } };
      for (let r = 0; r < n; r++) {
        const order = r % 2 === 0 ? ["deferkit", "promise"] : ["promise", "deferkit"];
        const round = {};
        for (const name of order) {
          round[name] = await runOnce(name, depth);
          out[name].push(round[name].ms);
          if (round[name].overflow) out.overflow[name] = true;
        }
        out.ratios.push(round.deferkit.ms / round.promise.ms);
      }
      out.ratio = median(out.ratios);
      return out;
    },
    summarise(runs) {
      const ratio = median(runs.flatMap((r) => r.ratios));
      const perProcess = runs.map((r) => median(r.ratios));
      const overflow = {
        deferkit: runs.some((r) => r.overflow.deferkit),
        promise: runs.some((r) => r.overflow.promise),
      };
      const dk = median(runs.flatMap((r) => r.deferkit));
      const pr = median(runs.flatMap((r) => r.promise));
      const said = (name) => (overflow[name] ? "RangeError" : "no overflow");
      return {
        kind: "depth",
        ratio,
        met: !overflow.deferkit && ratio <= 1.0,
        noise: runs.length > 1 ? (Math.max(...perProcess) - Math.min(...perProcess)) / ratio : undefined,
        display: `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(3)}`,
        left: `${fmtMs(dk)} ms`,
        right: `${fmtMs(pr)} ms`,
        note: `deferkit: ${said("deferkit")}, Promise: ${said("promise")}`,
        depth,
        deferkitMs: dk,
        promiseMs: pr,
        overflow,
        repetitions: runs.map((r) => r.ratios.length),
      };
    },
  };
}

export default [
  row("S6a", 10_000, { full: 25, quick: 11 }),
  row("S6b", 100_000, { full: 9, quick: 5 }),
  // One quick process: a repetition at this depth takes seconds.
  row("S6c", 1_000_000, { full: 3, quick: 2 }, { quick: 1 }),
];
