import pLimit from "p-limit";
import { needs, optional } from "./lib.js";

// Fan-out under a concurrency limit: 1,000 tasks, at most 10 at a time. Each task waits one
// microtask (as an I/O callback would arrive later), so the limiter really queues and hands
// over; the Deferred side's tasks return a Deferred fired from that microtask.
const TASKS = 1000;
const LIMIT = 10;
const expected = (TASKS * (TASKS - 1)) / 2;

/** The plain Promise semaphore people write by hand: a counter and an array of resolvers. */
function promiseSemaphore(limit) {
  let active = 0;
  const waiting = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) next();
  };
  return async (fn) => {
    if (active >= limit) await new Promise((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      release();
    }
  };
}

export default {
  id: "S10",
  title: "fan-out: 1,000 tasks, 10 at a time",
  description: `${TASKS} tasks through DeferredSemaphore(${LIMIT}).run, each returning a Deferred fired in a microtask, all gathered; vs p-limit(${LIMIT}) with async tasks and Promise.all (the baseline), and column \`hand-written\`: a plain Promise semaphore (counter + array of resolvers)`,
  target: 0.5,
  batch: TASKS,
  unavailable: needs("DeferredSemaphore", "gatherResults", "Deferred"),
  cases: () => {
    const DeferredSemaphore = optional("DeferredSemaphore");
    const Deferred = optional("Deferred");
    const gatherResults = optional("gatherResults");
    const deferredTask = (i) => {
      const d = new Deferred();
      queueMicrotask(() => d.callback(i));
      return d;
    };
    const promiseTask = (i) => new Promise((resolve) => queueMicrotask(() => resolve(i)));
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    return {
      deferkit() {
        const sem = new DeferredSemaphore(LIMIT);
        const ds = [];
        for (let i = 0; i < TASKS; i++) ds.push(sem.run(deferredTask, i));
        return gatherResults(ds).addCallback(sum).asPromise();
      },
      promise() {
        const limit = pLimit(LIMIT);
        const ps = [];
        for (let i = 0; i < TASKS; i++) ps.push(limit(promiseTask, i));
        return Promise.all(ps).then(sum);
      },
      "hand-written"() {
        const run = promiseSemaphore(LIMIT);
        const ps = [];
        for (let i = 0; i < TASKS; i++) ps.push(run(() => promiseTask(i)));
        return Promise.all(ps).then(sum);
      },
    };
  },
  async check(cases) {
    const results = [await cases.deferkit(), await cases.promise(), await cases["hand-written"]()];
    if (results.some((r) => r !== expected)) throw new Error(`S10 results differ: ${results.join(", ")}`);
  },
};
