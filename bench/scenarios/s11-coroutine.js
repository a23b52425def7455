import { needs, optional, succeed } from "./lib.js";

// A coroutine that waits on ten things that already have their results: inlineCallbacks
// resumes at once, in a loop, where an async function takes a microtask per await.
const BATCH = 100;
const expected = 45; // 0 + 1 + ... + 9
// The last coroutine's Deferred, for check().
const out = { last: undefined, floor: 0 };

export default {
  id: "S11",
  title: "coroutine yielding 10 fired Deferreds",
  description: `${BATCH} inlineCallbacks coroutines, each yielding succeed(0..9) in turn and returning the sum, vs ${BATCH} async functions awaiting Promise.resolve(0..9); column \`floor\`: the same generator driven by a bare loop (no coroutine machinery), the least a generator coroutine costs`,
  target: 0.3,
  batch: BATCH,
  unavailable: needs("inlineCallbacks"),
  cases: () => {
    const co = optional("inlineCallbacks")?.(function* () {
      let sum = 0;
      for (let i = 0; i < 10; i++) sum += yield succeed(i);
      return sum;
    });
    // The floor: the same generator driven by a bare loop that hands each fired Deferred's
    // result straight back, with no Deferred for the coroutine and no checks: the least any
    // generator-based coroutine must do.
    function* gen() {
      let sum = 0;
      for (let i = 0; i < 10; i++) sum += yield succeed(i);
      return sum;
    }
    async function asyncFn() {
      let sum = 0;
      for (let i = 0; i < 10; i++) sum += await Promise.resolve(i);
      return sum;
    }
    return {
      // Synchronous, and returns nothing: a returned Deferred would be awaited by tinybench.
      deferkit() {
        for (let k = 0; k < BATCH; k++) out.last = co();
      },
      floor() {
        for (let k = 0; k < BATCH; k++) {
          const it = gen();
          let step = it.next();
          while (!step.done) step = it.next(step.value._result);
          out.floor = step.value;
        }
      },
      promise() {
        let last;
        for (let k = 0; k < BATCH; k++) last = asyncFn();
        return last;
      },
    };
  },
  async check(cases) {
    cases.deferkit();
    cases.floor();
    if (out.floor !== expected) throw new Error(`S11 floor result: ${out.floor}`);
    const a = await out.last;
    const b = await cases.promise();
    if (a !== expected || b !== expected) throw new Error(`S11 results differ: ${a} vs ${b}`);
  },
};
