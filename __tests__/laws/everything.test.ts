// Issue 12, "one model fuzz over everything": a random program that uses every primitive at
// once (Deferreds fired by hand, chains waiting on them, deferLater on a Clock, a lock, a
// semaphore, a queue, gatherResults, coroutines; cancels and clock advances anywhere), then
// a drain that lets everything finish. The laws, against a plain model of what each primitive
// owes:
// - conservation: every operation's Deferred ends exactly once (nothing lost, nothing doubled),
//   no lock or token is leaked, the queue hands every item to exactly one get, in order;
// - order: timers run in (due time, creation) order, lock and semaphore grant in call order,
//   never above their limit;
// - propagation: a chain ends as what it waited on ended; a gather ends with its inputs'
//   values, or fails when one failed; a coroutine returns its sum or fails;
// - cancellation reaches what was waited on: cancelling a waiting chain, gather, coroutine or
//   queued run ends the Deferreds it waited on with CancelledError (unless already fired);
// - no failure is silent: every failure that ends an operation's chain is in
//   flushUnhandledFailures().
// A failing program prints fast-check's seed and path; replay with FC_SEED and fc's `path`.
import fc from "fast-check";
import {
  CancelledError,
  Clock,
  Deferred,
  DeferredLock,
  DeferredQueue,
  DeferredSemaphore,
  Failure,
  deferLater,
  gatherResults,
  inlineCallbacks,
  succeed,
} from "../../src/index.js";
import { flushUnhandledFailures } from "../../src/testing.js";
import { runs } from "./runs.js";

type End = { ok: true; value: unknown } | { ok: false; error: unknown };

/** An operation: its Deferred and how it ended (an observer added when it was made). */
interface Op {
  kind: "manual" | "wait" | "later" | "lock" | "sem" | "get" | "gather" | "coroutine";
  d: Deferred<unknown>;
  ends: End[];
  /** The manual Deferreds it waits on (its gate, inputs, or yields), in order. */
  on: Op[];
  /** For `later`: when it is due and its creation number. */
  due?: number;
  /** Whether cancel() was called on it while it was pending. */
  cancelledPending?: boolean;
  /** Which of `on` were pending when it was cancelled. */
  pendingAtCancel?: Op[];
}

interface World {
  clock: Clock;
  lock: DeferredLock;
  sem: DeferredSemaphore;
  queue: DeferredQueue<number>;
  ops: Op[];
  manuals: Op[];
  laterRan: Op[];
  lockEntered: Op[];
  semEntered: Op[];
  lockCalls: Op[];
  semCalls: Op[];
  running: { lock: number; sem: number; maxLock: number; maxSem: number };
  puts: number[];
  gets: Op[];
  nextValue: number;
}

function observe(op: Op): Op {
  op.d.addBoth((r) => {
    op.ends.push(r instanceof Failure ? { ok: false, error: r.value } : { ok: true, value: r });
    return r;
  });
  return op;
}

function manual(w: World): Op {
  const op = observe({ kind: "manual", d: new Deferred<unknown>(), ends: [], on: [] });
  w.manuals.push(op);
  w.ops.push(op);
  return op;
}

function add(w: World, op: Omit<Op, "ends">): Op {
  const full = observe({ ...op, ends: [] });
  w.ops.push(full);
  return full;
}

type Cmd = (w: World) => void;

/** A command that prints as `label` in a counterexample (fast-check's toStringMethod). */
function cmd(label: string, run: Cmd): Cmd {
  return Object.assign(run, { [fc.toStringMethod]: () => label });
}

const pick = <T,>(list: T[], i: number): T | undefined => (list.length === 0 ? undefined : list[i % list.length]);

const commands: fc.Arbitrary<Cmd>[] = [
  fc.constant(cmd("manual()", (w) => void manual(w))),
  fc.tuple(fc.nat(), fc.boolean()).map(([i, ok]) =>
    cmd(`fire(${i}, ${ok ? "ok" : "fail"})`, (w) => {
      const m = pick(w.manuals, i);
      if (m === undefined || m.d.called) return;
      if (ok) m.d.callback(w.nextValue++);
      else m.d.errback(new RangeError(`m${w.nextValue++}`));
    }),
  ),
  fc.nat().map((i) =>
    cmd(`cancel(${i})`, (w) => {
      const op = pick(w.ops, i);
      if (op === undefined) return;
      if (!op.d.called) {
        op.cancelledPending = true;
        op.pendingAtCancel = op.on.filter((m) => !m.d.called);
      }
      op.d.cancel();
    }),
  ),
  fc.constant(
    cmd("wait()", (w) => {
        const m = manual(w);
        add(w, { kind: "wait", d: succeed(0).addCallback(() => m.d), on: [m] });
      }),
    ),
    fc.integer({ min: 0, max: 20 }).map((ms) =>
      cmd(`deferLater(${ms})`, (w) => {
      // The timer's function needs the operation, which needs the timer's Deferred: `d` last.
      const op = { kind: "later", ends: [], on: [], due: w.clock.now() + ms } as Omit<Op, "d"> as Op;
      op.d = deferLater(w.clock, ms, () => {
        w.laterRan.push(op);
        return op.due;
      });
      w.ops.push(observe(op));
    }),
  ),
  fc.integer({ min: 0, max: 60 }).map((ms) => cmd(`advance(${ms})`, (w) => w.clock.advance(ms))),
  fc.constantFrom("lock" as const, "sem" as const).map((which) =>
    cmd(`${which}.run()`, (w) => {
      const gate = manual(w);
      const op = { kind: which, ends: [], on: [gate] } as Omit<Op, "d"> as Op; // `d` below
      const enter = (): Deferred<unknown> => {
        (which === "lock" ? w.lockEntered : w.semEntered).push(op);
        const r = w.running;
        if (which === "lock") r.maxLock = Math.max(r.maxLock, ++r.lock);
        else r.maxSem = Math.max(r.maxSem, ++r.sem);
        return gate.d.addBoth((x) => {
          if (which === "lock") r.lock--;
          else r.sem--;
          return x;
        });
      };
      op.d = which === "lock" ? w.lock.run(enter) : w.sem.run(enter);
      (which === "lock" ? w.lockCalls : w.semCalls).push(op);
      w.ops.push(observe(op));
    }),
  ),
  fc.constant(
    cmd("put()", (w) => {
        w.puts.push(w.nextValue);
        w.queue.put(w.nextValue++);
      }),
    ),
    fc.constant(cmd("get()", (w) => void w.gets.push(add(w, { kind: "get", d: w.queue.get(), on: [] })))),
    fc.integer({ min: 0, max: 3 }).map((n) =>
      cmd(`gatherResults(${n})`, (w) => {
      const inputs = Array.from({ length: n }, () => manual(w));
      add(w, { kind: "gather", d: gatherResults(inputs.map((m) => m.d)), on: inputs });
    }),
  ),
  fc.integer({ min: 0, max: 3 }).map((n) =>
    cmd(`coroutine(${n})`, (w) => {
      const yields = Array.from({ length: n }, () => manual(w));
      const run = inlineCallbacks(function* () {
        let sum = 0;
        for (const m of yields) sum += (yield m.d) as number;
        return sum;
      });
      add(w, { kind: "coroutine", d: run(), on: yields });
    }),
  ),
];

/** Lets everything finish: every manual Deferred fired, every timer due, every get served. */
function drain(w: World): void {
  for (let round = 0; round < 10; round++) {
    for (const m of w.manuals) if (!m.d.called) m.d.callback(w.nextValue++);
    w.clock.advance(1000);
    while (w.queue.waiting > 0) {
      w.puts.push(w.nextValue);
      w.queue.put(w.nextValue++);
    }
  }
}

const isCancelled = (e: End): boolean => !e.ok && CancelledError.is(e.error);
const same = (a: End, b: End): boolean => (a.ok && b.ok ? Object.is(a.value, b.value) : !a.ok && !b.ok && a.error === b.error);

function checkLaws(w: World, flushed: Failure[]): void {
  // Conservation: every operation ended exactly once.
  for (const op of w.ops) expect([op.kind, op.ends.length]).toEqual([op.kind, 1]);
  expect([w.lock.locked, w.sem.tokens, w.queue.waiting]).toEqual([false, 2, 0]);
  expect([w.running.lock, w.running.sem]).toEqual([0, 0]);
  // Limits and order of the lock and the semaphore: never above the limit; entered in call order.
  expect(w.running.maxLock).toBeLessThanOrEqual(1);
  expect(w.running.maxSem).toBeLessThanOrEqual(2);
  for (const [calls, entered] of [
    [w.lockCalls, w.lockEntered],
    [w.semCalls, w.semEntered],
  ] as const) {
    // (Compared by position: two operations can look alike to toEqual.)
    expect(entered.map((op) => calls.indexOf(op))).toEqual(calls.flatMap((op, i) => (entered.includes(op) ? [i] : [])));
    for (const op of calls) {
      // A run cancelled while queued never enters, and ends cancelled; one that entered ends as its gate.
      if (entered.includes(op)) expect(same(op.ends[0]!, op.on[0]!.ends[0]!) || isCancelled(op.ends[0]!)).toBe(true);
      else expect(isCancelled(op.ends[0]!)).toBe(true);
    }
  }
  // Timers: run in (due, creation) order, those not cancelled before their time.
  const laters = w.ops.filter((op) => op.kind === "later");
  const ran = w.laterRan;
  const sorted = [...ran].sort((a, b) => a.due! - b.due! || laters.indexOf(a) - laters.indexOf(b));
  expect(ran.map((op) => laters.indexOf(op))).toEqual(sorted.map((op) => laters.indexOf(op)));
  for (const op of laters) {
    if (ran.includes(op)) expect(op.ends[0]).toEqual({ ok: true, value: op.due });
    else expect(isCancelled(op.ends[0]!)).toBe(true);
  }
  // The queue: the gets that were served got the items in the order they were put, each once.
  const served = w.gets.filter((op) => op.ends[0]!.ok).map((op) => (op.ends[0] as { value: unknown }).value);
  expect(served).toEqual(w.puts.slice(0, served.length));
  for (const op of w.gets) expect(op.ends[0]!.ok || isCancelled(op.ends[0]!)).toBe(true);
  for (const op of w.ops) {
    const end = op.ends[0]!;
    // Cancellation reaches what was waited on.
    if (op.cancelledPending && op.kind !== "lock" && op.kind !== "sem") {
      for (const m of op.pendingAtCancel!) {
        // A coroutine waits on one yield at a time: the later ones were never waited on.
        if (op.kind === "coroutine" && op.on.indexOf(m) > op.on.findIndex((y) => op.pendingAtCancel!.includes(y))) continue;
        expect(isCancelled(m.ends[0]!)).toBe(true);
      }
    }
    // Propagation.
    if (op.kind === "wait") expect(same(end, op.on[0]!.ends[0]!)).toBe(true);
    if (op.kind === "gather" && !op.cancelledPending) {
      if (op.on.every((m) => m.ends[0]!.ok)) expect(end).toEqual({ ok: true, value: op.on.map((m) => (m.ends[0] as { value: unknown }).value) });
      else expect(end.ok).toBe(false);
    }
    if (op.kind === "coroutine" && !op.cancelledPending) {
      const firstFailed = op.on.find((m) => !m.ends[0]!.ok);
      if (firstFailed === undefined) {
        expect(end).toEqual({ ok: true, value: op.on.reduce((s, m) => s + ((m.ends[0] as { value: number }).value), 0) });
      } else {
        expect(end).toEqual(firstFailed.ends[0]);
      }
    }
    // No failure is silent: an operation's chain that ends in a failure is reported.
    if (op.kind !== "manual" && !end.ok) expect(flushed.some((f) => f.value === end.error)).toBe(true);
  }
}

describe("everything at once", () => {
  it("conserves every result, keeps every order, and lets no failure or cancel go astray", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(...commands), { minLength: 1, maxLength: 60, size: "large" }), (program) => {
        flushUnhandledFailures();
        const w: World = {
          clock: new Clock(),
          lock: new DeferredLock(),
          sem: new DeferredSemaphore(2),
          queue: new DeferredQueue<number>(),
          ops: [],
          manuals: [],
          laterRan: [],
          lockEntered: [],
          semEntered: [],
          lockCalls: [],
          semCalls: [],
          running: { lock: 0, sem: 0, maxLock: 0, maxSem: 0 },
          puts: [],
          gets: [],
          nextValue: 1,
        };
        for (const cmd of program) cmd(w);
        drain(w);
        checkLaws(w, flushUnhandledFailures());
      }),
      runs(1000),
    );
  });
});
