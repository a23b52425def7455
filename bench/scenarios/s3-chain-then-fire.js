import { MinimalDeferred, PlainContractDeferred, checkPlainContract } from "./floor.js";
import { Deferred, makeSteps, observe, sink, tenSteps } from "./lib.js";

const BATCH = 100;

export default {
  id: "S3",
  title: "10-step chain attached, then fire",
  description:
    "new Deferred + 10 addCallback steps (each contender its own compiled copy), then callback vs new Promise + 10 then, then resolve; column `floor`: the same with the least a synchronous chain must do; `plain-contract`: that floor plus, written plainly, what the contract adds (waits without recursion, extra step arguments) (bench/scenarios/floor.js)",
  target: 0.3,
  batch: BATCH,
  // Each contender runs its own compiled copy of the steps (see makeSteps).
  cases: () => {
    const own = { deferkit: makeSteps(), floor: makeSteps(), plainContract: makeSteps(), promise: makeSteps() };
    return {
      deferkit() {
        const [f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = own.deferkit;
        for (let k = 0; k < BATCH; k++) {
          const d = new Deferred();
          d.addCallback(f1).addCallback(f2).addCallback(f3).addCallback(f4).addCallback(f5)
            .addCallback(f6).addCallback(f7).addCallback(f8).addCallback(f9).addCallback(f10)
            .addCallback(observe);
          d.callback(k);
        }
      },
      floor() {
        const [f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = own.floor;
        for (let k = 0; k < BATCH; k++) {
          const d = new MinimalDeferred();
          d.addCallback(f1).addCallback(f2).addCallback(f3).addCallback(f4).addCallback(f5)
            .addCallback(f6).addCallback(f7).addCallback(f8).addCallback(f9).addCallback(f10)
            .addCallback(observe);
          d.callback(k);
        }
      },
      "plain-contract"() {
        const [f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = own.plainContract;
        for (let k = 0; k < BATCH; k++) {
          const d = new PlainContractDeferred();
          d.addCallback(f1).addCallback(f2).addCallback(f3).addCallback(f4).addCallback(f5)
            .addCallback(f6).addCallback(f7).addCallback(f8).addCallback(f9).addCallback(f10)
            .addCallback(observe);
          d.callback(k);
        }
      },
      promise() {
        const [f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = own.promise;
        let last;
        for (let k = 0; k < BATCH; k++) {
          let resolve;
          last = new Promise((r) => (resolve = r))
            .then(f1).then(f2).then(f3).then(f4).then(f5)
            .then(f6).then(f7).then(f8).then(f9).then(f10)
            .then(observe);
          resolve(k);
        }
        return last;
      },
    };
  },
  async check(cases) {
    cases.floor();
    if (sink.value !== tenSteps(BATCH - 1)) throw new Error(`floor result: ${sink.value}`);
    checkPlainContract();
    cases["plain-contract"]();
    if (sink.value !== tenSteps(BATCH - 1)) throw new Error(`plain-contract result: ${sink.value}`);
    cases.deferkit();
    const a = sink.value;
    await cases.promise();
    if (a !== tenSteps(BATCH - 1) || sink.value !== a) throw new Error(`S3 results differ: ${a} vs ${sink.value}`);
  },
};
