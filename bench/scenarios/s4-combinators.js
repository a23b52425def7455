import { Deferred, needs, observe, optional, sink } from "./lib.js";

// gatherResults and DeferredList come from src/deferred-list.ts; until the package root exports
// them these rows report "not available" (see `needs`).
const N = 1000;
const expectedSum = (N * (N - 1)) / 2;

/** Builds `N` pending Deferreds, combines them, fires them in a loop. */
function deferredCase(combine) {
  return () => {
    const ds = new Array(N);
    for (let i = 0; i < N; i++) ds[i] = new Deferred();
    combine(ds).addCallback(observe);
    for (let i = 0; i < N; i++) ds[i].callback(i);
  };
}

/** Builds `N` pending promises, combines them, resolves them in a loop. */
function promiseCase(combine) {
  return () => {
    const resolvers = new Array(N);
    const ps = new Array(N);
    for (let i = 0; i < N; i++) ps[i] = new Promise((resolve) => (resolvers[i] = resolve));
    const all = combine(ps).then(observe);
    for (let i = 0; i < N; i++) resolvers[i](i);
    return all;
  };
}

async function check(cases, sumOf, label) {
  sink.value = null;
  cases.deferkit();
  const a = sink.value;
  sink.value = null;
  await cases.promise();
  const b = sink.value;
  if (!Array.isArray(a) || a.length !== N || sumOf(a) !== expectedSum || !Array.isArray(b) || sumOf(b) !== expectedSum) {
    throw new Error(`${label} results differ`);
  }
}

export default [
  {
    id: "S4a",
    title: "gatherResults of 1,000 pending",
    description:
      "1,000 new Deferreds, gatherResults(ds) + addCallback, callback each in a loop vs 1,000 new Promises, Promise.all(ps).then, resolve each in a loop; one op = the whole 1,000",
    target: 0.5,
    batch: 1,
    unavailable: needs("gatherResults"),
    cases: () => {
      const gatherResults = optional("gatherResults");
      return {
        deferkit: deferredCase((ds) => gatherResults(ds)),
        promise: promiseCase((ps) => Promise.all(ps)),
      };
    },
    check: (cases) => check(cases, (xs) => xs.reduce((s, x) => s + x, 0), "S4a"),
  },
  {
    id: "S4b",
    title: "DeferredList of 1,000 pending",
    description:
      "as S4a with new DeferredList(ds) (entries [true, value]) vs Promise.allSettled(ps) (entries { status, value })",
    target: 0.5,
    batch: 1,
    unavailable: needs("DeferredList"),
    cases: () => {
      const DeferredList = optional("DeferredList");
      return {
        deferkit: deferredCase((ds) => new DeferredList(ds)),
        promise: promiseCase((ps) => Promise.allSettled(ps)),
      };
    },
    check: (cases) =>
      check(
        cases,
        (xs) =>
          xs.reduce((s, e) => {
            const ok = Array.isArray(e) ? e[0] === true : e.status === "fulfilled";
            return ok ? s + (Array.isArray(e) ? e[1] : e.value) : NaN;
          }, 0),
        "S4b",
      ),
  },
];
