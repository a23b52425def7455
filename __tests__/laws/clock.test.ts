import fc from "fast-check";
import { AlreadyCalledError, AlreadyCancelledError, Clock, type DelayedCall } from "../../src/index.js";
import { runs } from "./runs.js";

// Law: whatever calls are scheduled, cancelled, reset and delayed (from outside, or from inside
// a running call), and however the time is advanced, the Clock runs each call at most once, in
// (time, scheduling order) — where reset() and delay() count as scheduling — exactly as this
// small model does. fast-check prints the seed and the shrunk counterexample on failure.
// The kit's "clock order" law (deferkit/laws, kit.test.ts) has calls, cancels and advances
// made from outside, through an adapter; reset(), delay(), the errors of a call already run or
// cancelled, and calls that schedule, cancel or reset others while they run are Clock's own
// API and stay here.

/** What a call does when it runs, besides logging its id. */
type Action =
  | { k: "none" }
  | { k: "schedule"; ms: number }
  | { k: "cancel"; ref: number }
  | { k: "reset"; ref: number; ms: number };

type Op =
  | { k: "schedule"; ms: number; action: Action }
  | { k: "cancel"; ref: number }
  | { k: "reset"; ref: number; ms: number }
  | { k: "delay"; ref: number; ms: number }
  | { k: "advance"; ms: number };

/** The outcome of an operation on a call: done, or which of AlreadyCalledError/AlreadyCancelledError it threw. */
type Outcome = "ok" | "called" | "cancelled";

interface Snapshot {
  outcomes: Outcome[];
  log: number[];
  now: number;
  /** Pending calls in running order, as [id, time]. */
  pending: Array<[number, number]>;
  active: boolean[];
}

// ---------------------------------------------------------------------------------------------
// The model: a list of calls, searched linearly for the next (time, ticket).

interface MCall {
  id: number;
  time: number;
  ticket: number;
  state: Outcome | "pending";
  action: Action;
}

function runModel(ops: Op[]): Snapshot {
  let now = 0;
  let tickets = 0;
  const calls: MCall[] = [];
  const log: number[] = [];
  const outcomes: Outcome[] = [];
  const schedule = (ms: number, action: Action): void => {
    calls.push({ id: calls.length, time: now + ms, ticket: tickets++, state: "pending", action });
  };
  const pick = (ref: number): MCall | undefined => calls[ref % Math.max(1, calls.length)];
  const change = (c: MCall | undefined, f: (c: MCall) => void): Outcome => {
    if (c === undefined) return "ok";
    if (c.state !== "pending") return c.state;
    f(c);
    return "ok";
  };
  const pending = () =>
    calls.filter((c) => c.state === "pending").sort((a, b) => a.time - b.time || a.ticket - b.ticket);
  for (const op of ops) {
    switch (op.k) {
      case "schedule":
        schedule(op.ms, op.action);
        break;
      case "cancel":
        outcomes.push(change(pick(op.ref), (c) => (c.state = "cancelled")));
        break;
      case "reset":
        outcomes.push(change(pick(op.ref), (c) => ((c.time = now + op.ms), (c.ticket = tickets++))));
        break;
      case "delay":
        outcomes.push(change(pick(op.ref), (c) => ((c.time += op.ms), (c.ticket = tickets++))));
        break;
      case "advance": {
        now += op.ms;
        for (;;) {
          const next = pending()[0];
          if (next === undefined || next.time > now) break;
          next.state = "called";
          log.push(next.id);
          const a = next.action;
          if (a.k === "schedule") schedule(a.ms, { k: "none" });
          else if (a.k === "cancel") change(pick(a.ref), (c) => (c.state = "cancelled"));
          else if (a.k === "reset") change(pick(a.ref), (c) => ((c.time = now + a.ms), (c.ticket = tickets++)));
        }
        break;
      }
    }
  }
  return {
    outcomes,
    log,
    now,
    pending: pending().map((c) => [c.id, c.time]),
    active: calls.map((c) => c.state === "pending"),
  };
}

// ---------------------------------------------------------------------------------------------
// The system.

function runClock(ops: Op[]): Snapshot {
  const clock = new Clock();
  const calls: DelayedCall[] = [];
  const log: number[] = [];
  const outcomes: Outcome[] = [];
  const pick = (ref: number): DelayedCall | undefined => calls[ref % Math.max(1, calls.length)];
  const attempt = (call: DelayedCall | undefined, f: (c: DelayedCall) => void): Outcome => {
    if (call === undefined) return "ok";
    try {
      f(call);
      return "ok";
    } catch (e) {
      if (AlreadyCalledError.is(e)) return "called";
      if (AlreadyCancelledError.is(e)) return "cancelled";
      throw e;
    }
  };
  const schedule = (ms: number, action: Action): void => {
    const id = calls.length;
    calls.push(
      clock.callLater(ms, () => {
        log.push(id);
        if (action.k === "schedule") schedule(action.ms, { k: "none" });
        else if (action.k === "cancel") {
          const c = pick(action.ref);
          if (c !== undefined && c.active()) c.cancel();
        } else if (action.k === "reset") {
          const c = pick(action.ref);
          if (c !== undefined && c.active()) c.reset(action.ms);
        }
      }),
    );
  };
  for (const op of ops) {
    switch (op.k) {
      case "schedule":
        schedule(op.ms, op.action);
        break;
      case "cancel":
        outcomes.push(attempt(pick(op.ref), (c) => c.cancel()));
        break;
      case "reset":
        outcomes.push(attempt(pick(op.ref), (c) => c.reset(op.ms)));
        break;
      case "delay":
        outcomes.push(attempt(pick(op.ref), (c) => c.delay(op.ms)));
        break;
      case "advance":
        clock.advance(op.ms);
        break;
    }
  }
  return {
    outcomes,
    log,
    now: clock.now(),
    pending: clock.getDelayedCalls().map((c) => [calls.indexOf(c), c.getTime()]),
    active: calls.map((c) => c.active()),
  };
}

// Small ranges, so that calls often fall due at the same time and ties are exercised.
// (No negative amounts: every time API refuses one, see time-args.test.ts.)
const ms = fc.integer({ min: 0, max: 12 });
const ref = fc.nat({ max: 40 });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Action>({ k: "none" }) },
  fc.record({ k: fc.constant("schedule" as const), ms }),
  fc.record({ k: fc.constant("cancel" as const), ref }),
  fc.record({ k: fc.constant("reset" as const), ref, ms }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant("schedule" as const), ms, action: actionArb }) },
  fc.record({ k: fc.constant("cancel" as const), ref }),
  fc.record({ k: fc.constant("reset" as const), ref, ms }),
  fc.record({ k: fc.constant("delay" as const), ref, ms }),
  { weight: 2, arbitrary: fc.record({ k: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 8 }) }) },
);
const opsArb = fc.array(opArb, { maxLength: 40 });

describe("Clock against the reference model", () => {
  it("runs every call at most once, in (time, scheduling order), as the model does", () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const actual = runClock(ops);
        expect(new Set(actual.log).size).toBe(actual.log.length);
        expect(actual).toEqual(runModel(ops));
      }),
      runs(500),
    );
  });

  it("runs everything still pending, in the model's order, when the time moves past it all", () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        // A running call can schedule or reset one other call to at most 12 ms after its own
        // run, so each further advance lets a chain go one link deeper: one advance per call
        // (at most 80: 40 ops, each scheduling at most one more) brings every chain to its end.
        const flush: Op[] = Array.from({ length: 81 }, () => ({ k: "advance" as const, ms: 1000 }));
        const all: Op[] = [...ops, ...flush];
        const actual = runClock(all);
        expect(actual.pending).toEqual([]);
        expect(actual).toEqual(runModel(all));
      }),
      runs(300),
    );
  });

  it("pins: a call reset to a time already shared with others goes after them", () => {
    // A regression pin of the tie rule: reset() counts as scheduling anew.
    const ops: Op[] = [
      { k: "schedule", ms: 5, action: { k: "none" } },
      { k: "schedule", ms: 5, action: { k: "none" } },
      { k: "reset", ref: 0, ms: 5 },
      { k: "advance", ms: 5 },
    ];
    expect(runClock(ops).log).toEqual([1, 0]);
    expect(runModel(ops).log).toEqual([1, 0]);
  });

  it("pins: a chain of calls that reset and schedule each other needs one advance per link", () => {
    // Found by the law above (seed -1371490707): call 0 resets call 1 to 1 ms after its own run,
    // and call 1 then schedules call 2 1 ms later, so two large advances leave call 2 pending.
    const ops: Op[] = [
      { k: "schedule", ms: 0, action: { k: "reset", ref: 15, ms: 1 } },
      { k: "schedule", ms: 0, action: { k: "schedule", ms: 1 } },
      { k: "advance", ms: 1000 },
      { k: "advance", ms: 1000 },
    ];
    const actual = runClock(ops);
    expect(actual.log).toEqual([0, 1]);
    expect(actual.pending).toEqual([[2, 2001]]);
    expect(actual).toEqual(runModel(ops));
  });
});
