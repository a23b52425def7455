import { drained, Failure, observe, sink, steps, succeed } from "./lib.js";

// A failure at step 1 of 10 that skips steps 2-10 and is handled by an errback at the end.
// The deferkit cases return `drained()`: a failed step queues deferkit's unhandled-failure
// check as a microtask, and that work belongs in the time.
const BATCH = 100;
const [, f2, f3, f4, f5, f6, f7, f8, f9, f10] = steps;

const throwFresh = () => {
  throw new Error("step 1 failed");
};
const preallocated = new Error("step 1 failed");
const returnFailure = () => new Failure(preallocated);
const returnRejected = () => Promise.reject(preallocated);
const throwPreallocated = () => {
  throw preallocated;
};
// Both handlers recover with a number computed from the error, so that the check can compare.
const onFailure = (f) => f.value.message.length;
const onRejected = (e) => e.message.length;

function deferredCase(first) {
  return () => {
    for (let k = 0; k < BATCH; k++) {
      succeed(k)
        .addCallback(first).addCallback(f2).addCallback(f3).addCallback(f4).addCallback(f5)
        .addCallback(f6).addCallback(f7).addCallback(f8).addCallback(f9).addCallback(f10)
        .addErrback(onFailure)
        .addCallback(observe);
    }
    return drained();
  };
}

function promiseCase(first) {
  return () => {
    let last;
    for (let k = 0; k < BATCH; k++) {
      last = Promise.resolve(k)
        .then(first).then(f2).then(f3).then(f4).then(f5)
        .then(f6).then(f7).then(f8).then(f9).then(f10)
        .catch(onRejected)
        .then(observe);
    }
    return last;
  };
}

// The floor for any synchronous chain: the same throwing step called in a plain loop, at the
// same stack depth as the deferkit case, its error caught and handled there. V8 records up to
// Error.stackTraceLimit (10) frames per `new Error`, so an Error made deep in the caller's
// stack costs more than one made in a microtask, where a Promise's step runs.
function plainCase(first) {
  return () => {
    for (let k = 0; k < BATCH; k++) {
      let v;
      try {
        v = first(k);
      } catch (e) {
        v = onRejected(e);
      }
      observe(v);
    }
    return drained();
  };
}

async function check(cases, label) {
  for (const [name, run] of Object.entries(cases)) {
    sink.value = 0;
    await run();
    if (sink.value !== "step 1 failed".length) throw new Error(`${label} ${name} observed ${sink.value}`);
  }
}

export default [
  {
    id: "S5a",
    title: "failure thrown at step 1 of 10",
    description:
      "succeed(k), step 1 throws new Error, steps 2-10 skipped, addErrback recovers, then observe vs Promise.resolve(k).then(throwing)...9 then...catch(handler).then(observe). Per op, deferkit creates 1 Deferred, 1 Error (stack trace), 1 Failure; Promise creates 13 promises and 1 Error; column `plain-loop`: the throwing step called and caught in a plain loop at the same stack depth, the floor for any synchronous chain",
    target: 0.7,
    batch: BATCH,
    cases: () => ({
      deferkit: deferredCase(throwFresh),
      promise: promiseCase(throwFresh),
      "plain-loop": plainCase(throwFresh),
    }),
    check: (cases) => check(cases, "S5a"),
  },
  {
    id: "S5b",
    title: "failure returned at step 1 of 10",
    description:
      "as S5a, but step 1 returns new Failure(err) vs returns Promise.reject(err), err created once. Per op, deferkit creates 1 Deferred and 1 Failure; Promise creates 14 promises (one of them the rejected one, adopted by its then); column `promise-throw`: the Promise chain whose step 1 throws the preallocated err instead (13 promises)",
    target: 0.15,
    batch: BATCH,
    cases: () => ({
      deferkit: deferredCase(returnFailure),
      promise: promiseCase(returnRejected),
      "promise-throw": promiseCase(throwPreallocated),
    }),
    check: (cases) => check(cases, "S5b"),
  },
];
