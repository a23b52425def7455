import { MinimalDeferred } from "./floor.js";
import { Deferred, observe, sink } from "./lib.js";

const BATCH = 100;
const step = (n) => n + 1;

export default {
  id: "S1",
  title: "create, fire, one step, observe",
  description:
    "new Deferred + addCallback + callback + observe vs new Promise + then + resolve + then; column `floor`: the same with the least a synchronous chain must do (bench/scenarios/floor.js)",
  target: 0.25,
  batch: BATCH,
  cases: () => ({
    deferkit() {
      for (let k = 0; k < BATCH; k++) {
        const d = new Deferred();
        d.addCallback(step);
        d.callback(k);
        d.addCallback(observe);
      }
    },
    floor() {
      for (let k = 0; k < BATCH; k++) {
        const d = new MinimalDeferred();
        d.addCallback(step);
        d.callback(k);
        d.addCallback(observe);
      }
    },
    promise() {
      let last;
      for (let k = 0; k < BATCH; k++) {
        let resolve;
        const p = new Promise((r) => (resolve = r));
        last = p.then(step).then(observe);
        resolve(k);
      }
      return last;
    },
  }),
  async check(cases) {
    cases.floor();
    if (sink.value !== BATCH) throw new Error(`floor result: ${sink.value}`);
    cases.deferkit();
    const a = sink.value;
    await cases.promise();
    if (a !== BATCH || sink.value !== BATCH) throw new Error(`S1 results differ: ${a} vs ${sink.value}`);
  },
};
