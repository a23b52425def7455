import fc from "fast-check";
import { Fifo } from "../../src/internal/fifo.js";

// Tests of an internal module: the waiter line of locks, semaphores and queues.

describe("Fifo", () => {
  it("gives values back in the order they were pushed", () => {
    const q = new Fifo<number>();
    [1, 2, 3].forEach((n) => q.push(n));
    expect(q.size).toBe(3);
    expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual([1, 2, 3, undefined]);
    expect(q.size).toBe(0);
  });

  it("peeks at the first value without taking it", () => {
    const q = new Fifo<string>();
    expect(q.peek()).toBeUndefined();
    q.push("a");
    q.push("b");
    expect(q.peek()).toBe("a");
    expect(q.size).toBe(2);
  });

  it("removes an entry from the head, the middle or the tail, once", () => {
    const q = new Fifo<string>();
    const [a, b, c, d] = ["a", "b", "c", "d"].map((v) => q.push(v));
    expect(q.remove(b!)).toBe(true);
    expect(q.remove(b!)).toBe(false);
    expect(q.remove(a!)).toBe(true);
    expect(q.remove(d!)).toBe(true);
    expect(q.size).toBe(1);
    expect(q.shift()).toBe("c");
    expect(q.remove(c!)).toBe(false); // shifted already
    q.push("e");
    expect(q.drain()).toEqual(["e"]);
  });

  it("drains every value in order and leaves their entries unremovable", () => {
    const q = new Fifo<number>();
    const entries = [1, 2, 3].map((n) => q.push(n));
    expect(q.drain()).toEqual([1, 2, 3]);
    expect(q.size).toBe(0);
    expect(entries.map((e) => q.remove(e))).toEqual([false, false, false]);
    q.push(4);
    expect(q.shift()).toBe(4);
  });

  it("takes a constant time per operation: a million pushes, removals and shifts", () => {
    // Array#shift would make this quadratic; a linked line keeps it linear.
    const q = new Fifo<number>();
    const entries = [];
    for (let i = 0; i < 1_000_000; i++) entries.push(q.push(i));
    for (let i = 0; i < 1_000_000; i += 2) q.remove(entries[i]!);
    let sum = 0;
    let n = 0;
    for (let v = q.shift(); v !== undefined; v = q.shift()) {
      sum += v;
      n++;
    }
    expect(n).toBe(500_000);
    expect(sum).toBe(250_000_000_000); // 1 + 3 + ... + 999,999
  });

  it("agrees with an array model for any sequence of push, shift and remove", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("push" as const), value: fc.integer() }),
      fc.record({ kind: fc.constant("shift" as const) }),
      fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const q = new Fifo<number>();
        const model: { value: number; entry: ReturnType<Fifo<number>["push"]> }[] = [];
        const gone: ReturnType<Fifo<number>["push"]>[] = [];
        for (const o of ops) {
          if (o.kind === "push") model.push({ value: o.value, entry: q.push(o.value) });
          else if (o.kind === "shift") {
            const first = model.shift();
            expect(q.shift()).toBe(first?.value);
            if (first) gone.push(first.entry);
          } else if (model.length > 0) {
            const [taken] = model.splice(o.pick % model.length, 1);
            expect(q.remove(taken!.entry)).toBe(true);
            gone.push(taken!.entry);
          }
          expect(q.size).toBe(model.length);
          expect(q.peek()).toBe(model[0]?.value);
        }
        for (const entry of gone) expect(q.remove(entry)).toBe(false);
        expect(q.drain()).toEqual(model.map((m) => m.value));
      }),
    );
  });
});
