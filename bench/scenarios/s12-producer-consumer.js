import { needs, optional } from "./lib.js";

// Producer/consumer: 100,000 items through a queue to one consumer that is already waiting
// (each put hands its item straight to the waiting get, whose callback takes the next get).
const ITEMS = 100_000;
const expected = (ITEMS * (ITEMS - 1)) / 2;

/** The Promise-based async queue people write by hand: buffered items, waiting resolvers. */
class AsyncQueue {
  items = [];
  head = 0;
  waiting = [];
  put(item) {
    const resolve = this.waiting.shift();
    if (resolve) resolve(item);
    else this.items.push(item);
  }
  get() {
    if (this.head < this.items.length) return Promise.resolve(this.items[this.head++]);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

export default {
  id: "S12",
  title: "producer/consumer: 100,000 items",
  description: `${ITEMS} items put one by one into a DeferredQueue whose one consumer takes the next get in each get's callback; vs the same over a Promise-based async queue (buffer + resolvers) consumed by an async loop`,
  target: 0.5,
  batch: ITEMS,
  iterations: 16,
  warmupIterations: 4,
  unavailable: needs("DeferredQueue"),
  cases: () => {
    const DeferredQueue = optional("DeferredQueue");
    return {
      deferkit() {
        const queue = new DeferredQueue();
        let sum = 0;
        let got = 0;
        const take = (item) => {
          sum += item;
          if (++got < ITEMS) queue.get().addCallback(take);
        };
        queue.get().addCallback(take);
        for (let i = 0; i < ITEMS; i++) queue.put(i);
        return sum;
      },
      async promise() {
        const queue = new AsyncQueue();
        const consumer = (async () => {
          let sum = 0;
          for (let got = 0; got < ITEMS; got++) sum += await queue.get();
          return sum;
        })();
        for (let i = 0; i < ITEMS; i++) queue.put(i);
        return consumer;
      },
    };
  },
  async check(cases) {
    const a = cases.deferkit();
    const b = await cases.promise();
    if (a !== expected || b !== expected) throw new Error(`S12 results differ: ${a} vs ${b}`);
  },
};
