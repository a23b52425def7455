import fc from "fast-check";
import { CancelledError, Deferred, DeferredLock, DeferredQueue, DeferredSemaphore, fail } from "../../src/index.js";
import { failureResultOf, successResultOf } from "../../src/testing.js";
import { runs } from "./runs.js";

// Model tests (fc.commands) for DeferredSemaphore, DeferredLock and DeferredQueue: any sequence
// of commands, checked after each against a plain model of tokens, a waiter line and a buffer.
// The kit's "lock fairness", "semaphore fairness" and "queue conservation" (deferkit/laws, run
// on deferkit in kit.test.ts) see these primitives only through an adapter's acquire, release,
// put, get and cancel. What only deferkit's own API shows stays here: `run()` with each outcome
// (a value, a returned failure, a throw, a Deferred that fires later, which holds its token
// until it fires), and `tokens`, `locked`, `pending` and `waiting` after every command.

/** What a Deferred shows now: its value, its failure's error name, or "pending". */
function stateOf(d: Deferred<unknown>): unknown {
  if (!d.called) return "pending";
  try {
    return successResultOf(d);
  } catch {
    try {
      return `failure ${(failureResultOf(d).value as Error).name}`; // and marks it handled
    } catch {
      return "pending"; // fired, but its chain waits (a run whose function has not finished)
    }
  }
}

// ---- semaphore ----

type Outcome = "ok" | "fail" | "throw" | "later";
interface SemModel {
  limit: number;
  free: number;
  line: number[]; // waiting ids: acquires and runs, oldest first
  held: number; // tokens held by acquires
  running: number[]; // "later" runs whose function was called and has not finished, by id
  expected: Map<number, unknown>; // id -> what its Deferred shows
  isRun: Map<number, Outcome>;
  ran: number[];
  nextId: number;
}
interface SemReal {
  sem: DeferredSemaphore | DeferredLock;
  ds: Map<number, Deferred<unknown>>;
  ran: number[];
  gates: Map<number, Deferred<number>>; // what each "later" run's function returned
}

function freeTokens(primitive: DeferredSemaphore | DeferredLock): number {
  return primitive instanceof DeferredLock ? (primitive.locked ? 0 : 1) : primitive.tokens;
}

function grant(m: SemModel, id: number): void {
  const outcome = m.isRun.get(id);
  if (outcome === undefined) {
    m.held++;
    m.expected.set(id, "SEM");
    return;
  }
  m.ran.push(id);
  if (outcome === "later") {
    m.running.push(id); // holds its token until FinishRun fires what it returned
    return;
  }
  m.free++; // released again at once (the function is synchronous)
  m.expected.set(id, outcome === "ok" ? id : `failure ${outcome === "fail" ? "RangeError" : "TypeError"}`);
}

function serve(m: SemModel): void {
  while (m.free > 0 && m.line.length > 0) {
    const id = m.line.shift()!;
    m.free--;
    grant(m, id);
  }
}

function check(m: SemModel, r: SemReal): void {
  expect(freeTokens(r.sem)).toBe(m.free);
  expect(m.free >= 0 && m.free <= m.limit).toBe(true);
  expect(r.ran).toEqual(m.ran);
  for (const [id, d] of r.ds) {
    const shown = stateOf(d);
    expect(shown === r.sem ? "SEM" : shown).toEqual(m.expected.get(id) ?? "pending");
  }
}

class Acquire implements fc.Command<SemModel, SemReal> {
  check = (): boolean => true;
  run(m: SemModel, r: SemReal): void {
    const id = m.nextId++;
    r.ds.set(id, r.sem.acquire());
    m.line.push(id);
    serve(m);
    check(m, r);
  }
  toString = (): string => "acquire";
}

class Run implements fc.Command<SemModel, SemReal> {
  constructor(readonly outcome: Outcome) {}
  check = (): boolean => true;
  run(m: SemModel, r: SemReal): void {
    const id = m.nextId++;
    m.isRun.set(id, this.outcome);
    const outcome = this.outcome;
    r.ds.set(
      id,
      r.sem.run(() => {
        r.ran.push(id);
        if (outcome === "fail") return fail(new RangeError("failed"));
        if (outcome === "throw") throw new TypeError("threw");
        if (outcome === "later") {
          const gate = new Deferred<number>();
          r.gates.set(id, gate);
          return gate;
        }
        return id;
      }),
    );
    m.line.push(id);
    serve(m);
    check(m, r);
  }
  toString = (): string => `run(${this.outcome})`;
}

class Release implements fc.Command<SemModel, SemReal> {
  check = (m: Readonly<SemModel>): boolean => m.held > 0;
  run(m: SemModel, r: SemReal): void {
    r.sem.release();
    m.held--;
    m.free++;
    serve(m);
    check(m, r);
  }
  toString = (): string => "release";
}

class CancelWaiter implements fc.Command<SemModel, SemReal> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<SemModel>): boolean => m.line.length > 0;
  run(m: SemModel, r: SemReal): void {
    const [id] = m.line.splice(this.pick % m.line.length, 1);
    r.ds.get(id!)!.cancel();
    m.expected.set(id!, "failure CancelledError");
    check(m, r);
  }
  toString = (): string => `cancel(${this.pick})`;
}

class FinishRun implements fc.Command<SemModel, SemReal> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<SemModel>): boolean => m.running.length > 0;
  run(m: SemModel, r: SemReal): void {
    const [id] = m.running.splice(this.pick % m.running.length, 1);
    m.expected.set(id!, id);
    m.free++;
    serve(m);
    r.gates.get(id!)!.callback(id!);
    check(m, r);
  }
  toString = (): string => `finish(${this.pick})`;
}

// ---- queue ----

interface QueueModel {
  items: number[];
  line: number[]; // waiting get ids
  expected: Map<number, unknown>;
  nextId: number;
  nextItem: number;
  got: number[]; // items delivered, in order of delivery
}
interface QueueReal {
  queue: DeferredQueue<number>;
  ds: Map<number, Deferred<number>>;
}

function checkQueue(m: QueueModel, r: QueueReal): void {
  expect([r.queue.pending, r.queue.waiting]).toEqual([m.items.length, m.line.length]);
  for (const [id, d] of r.ds) expect(stateOf(d)).toEqual(m.expected.get(id) ?? "pending");
  // Conservation: every item put is delivered once or still buffered, in order.
  expect([...m.got, ...m.items]).toEqual([...Array(m.nextItem).keys()]);
}

class Put implements fc.Command<QueueModel, QueueReal> {
  check = (): boolean => true;
  run(m: QueueModel, r: QueueReal): void {
    const item = m.nextItem++;
    r.queue.put(item);
    const id = m.line.shift();
    if (id === undefined) m.items.push(item);
    else {
      m.expected.set(id, item);
      m.got.push(item);
    }
    checkQueue(m, r);
  }
  toString = (): string => "put";
}

class Get implements fc.Command<QueueModel, QueueReal> {
  check = (): boolean => true;
  run(m: QueueModel, r: QueueReal): void {
    const id = m.nextId++;
    r.ds.set(id, r.queue.get());
    const item = m.items.shift();
    if (item === undefined) m.line.push(id);
    else {
      m.expected.set(id, item);
      m.got.push(item);
    }
    checkQueue(m, r);
  }
  toString = (): string => "get";
}

class CancelGet implements fc.Command<QueueModel, QueueReal> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<QueueModel>): boolean => m.line.length > 0;
  run(m: QueueModel, r: QueueReal): void {
    const [id] = m.line.splice(this.pick % m.line.length, 1);
    r.ds.get(id!)!.cancel();
    m.expected.set(id!, "failure CancelledError");
    checkQueue(m, r);
  }
  toString = (): string => `cancelGet(${this.pick})`;
}

describe("concurrency primitives against a model", () => {
  const semaphoreCommands = [
    fc.constant(new Acquire()),
    fc.constantFrom<Outcome>("ok", "fail", "throw", "later").map((o) => new Run(o)),
    fc.constant(new Release()),
    fc.nat().map((k) => new CancelWaiter(k)),
    fc.nat().map((k) => new FinishRun(k)),
  ];
  const newModel = (limit: number): SemModel => ({
    limit,
    free: limit,
    line: [],
    held: 0,
    running: [],
    expected: new Map(),
    isRun: new Map(),
    ran: [],
    nextId: 0,
  });

  it("DeferredSemaphore: tokens stay in [0, limit], waiters are served in order, a cancelled one never", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.commands(semaphoreCommands, { size: "+1" }), (limit, cmds) => {
        const model = newModel(limit);
        const real: SemReal = { sem: new DeferredSemaphore(limit), ds: new Map(), ran: [], gates: new Map() };
        fc.modelRun(() => ({ model, real }), cmds);
      }),
      runs(200),
    );
  });

  it("DeferredLock: held by one at a time, waiters served in order, a cancelled one never", () => {
    fc.assert(
      fc.property(fc.commands(semaphoreCommands, { size: "+1" }), (cmds) => {
        const model = newModel(1);
        const real: SemReal = { sem: new DeferredLock(), ds: new Map(), ran: [], gates: new Map() };
        fc.modelRun(() => ({ model, real }), cmds);
      }),
      runs(200),
    );
  });

  it("DeferredQueue: every item put is got exactly once, in order; cancelled gets lose nothing", () => {
    const commands = [fc.constant(new Put()), fc.constant(new Get()), fc.nat().map((k) => new CancelGet(k))];
    fc.assert(
      fc.property(fc.commands(commands, { size: "+1" }), (cmds) => {
        const model: QueueModel = { items: [], line: [], expected: new Map(), nextId: 0, nextItem: 0, got: [] };
        fc.modelRun(() => ({ model, real: { queue: new DeferredQueue<number>(), ds: new Map() } }), cmds);
      }),
      runs(200),
    );
  });

  it("a cancelled waiter's Deferred fails with CancelledError (the model's notation)", () => {
    const d = new Deferred<number>();
    d.cancel();
    expect(stateOf(d)).toBe("failure CancelledError");
    expect(CancelledError.name).toBe("CancelledError");
  });
});
