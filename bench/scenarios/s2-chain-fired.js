import { minimalSucceed } from "./floor.js";
import { makeSteps, observe, sink, succeed, tenSteps } from "./lib.js";

const BATCH = 100;

export default {
  id: "S2",
  title: "10-step chain on a fired Deferred",
  description:
    "succeed(k) + 10 distinct addCallback steps (each contender its own compiled copy) vs Promise.resolve(k) + 10 then; column `floor`: the same with the least a synchronous chain must do (bench/scenarios/floor.js)",
  target: 0.15,
  batch: BATCH,
  // Each contender runs its own compiled copy of the steps (see makeSteps).
  cases: () => {
    const own = { deferkit: makeSteps(), floor: makeSteps(), promise: makeSteps() };
    return {
      deferkit() {
        const [f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = own.deferkit;
        for (let k = 0; k < BATCH; k++) {
          succeed(k)
            .addCallback(f1).addCallback(f2).addCallback(f3).addCallback(f4).addCallback(f5)
            .addCallback(f6).addCallback(f7).addCallback(f8).addCallback(f9).addCallback(f10)
            .addCallback(observe);
        }
      },
      floor() {
        const [f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = own.floor;
        for (let k = 0; k < BATCH; k++) {
          minimalSucceed(k)
            .addCallback(f1).addCallback(f2).addCallback(f3).addCallback(f4).addCallback(f5)
            .addCallback(f6).addCallback(f7).addCallback(f8).addCallback(f9).addCallback(f10)
            .addCallback(observe);
        }
      },
      promise() {
        const [f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = own.promise;
        let last;
        for (let k = 0; k < BATCH; k++) {
          last = Promise.resolve(k)
            .then(f1).then(f2).then(f3).then(f4).then(f5)
            .then(f6).then(f7).then(f8).then(f9).then(f10)
            .then(observe);
        }
        return last;
      },
    };
  },
  async check(cases) {
    cases.floor();
    if (sink.value !== tenSteps(BATCH - 1)) throw new Error(`floor result: ${sink.value}`);
    cases.deferkit();
    const a = sink.value;
    await cases.promise();
    if (a !== tenSteps(BATCH - 1) || sink.value !== a) throw new Error(`S2 results differ: ${a} vs ${sink.value}`);
  },
};
