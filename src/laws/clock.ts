/**
 * Clock schedules: calls scheduled with delays, some cancelled, time advanced in steps; every
 * call runs once, when its time comes, in (time, scheduling) order; a cancelled one never.
 */
import * as fc from "fast-check";
import { assertArray, assertAdapter, assertMember, snapshot, settle, type DeferredAdapter } from "./adapter.js";

/**
 * One command of a clock schedule: "call" schedules a call `delay` ms from now; "cancel"
 * cancels call number `call` (counted from 0) if it is still pending; "advance" moves time on
 * by `ms`.
 */
export interface ClockCommand {
  /** Which command. */
  readonly op: "call" | "cancel" | "advance";
  /** For "call": in how many ms. */
  readonly delay?: number;
  /** For "cancel": which call, by the order they were scheduled in. */
  readonly call?: number;
  /** For "advance": by how many ms. */
  readonly ms?: number;
}

/**
 * Generates clock schedules: up to 20 commands (10 at fast-check's default `size`), delays up to 50 ms, steps up to 40 ms.
 *
 * @example
 * ```ts
 * fc.sample(clockSchedule(), { numRuns: 3, seed: 1 }).length; // => 3
 * ```
 */
export function clockSchedule(): fc.Arbitrary<ClockCommand[]> {
  const command = fc.oneof(
    { weight: 3, arbitrary: fc.nat({ max: 50 }).map((delay): ClockCommand => ({ op: "call", delay })) },
    fc.nat({ max: 19 }).map((call): ClockCommand => ({ op: "cancel", call })),
    { weight: 2, arbitrary: fc.nat({ max: 40 }).map((ms): ClockCommand => ({ op: "advance", ms })) },
  );
  return fc.array(command, { maxLength: 20 }).map((cs) => {
    const text = cs.map((c) => (c.op === "call" ? `call in ${c.delay ?? 0}` : c.op === "cancel" ? `cancel #${c.call ?? 0}` : `advance ${c.ms ?? 0}`)).join(", ");
    return Object.assign(cs, { [fc.toStringMethod]: () => `clock [${text}]` });
  });
}

/** Far enough to run everything a schedule can make. */
const THE_END = 1_000_000;

/**
 * The model's trace.
 *
 * @example
 * ```ts
 * modelClock([{ op: "call", delay: 10 }, { op: "call", delay: 5 }, { op: "advance", ms: 10 }]); // => ["@ call #0 in 10 ms", "@ call #1 in 5 ms", "@ advance 10 ms", "ran #1", "ran #0", "@ advance to the end"]
 * ```
 */
export function modelClock(commands: readonly ClockCommand[]): string[] {
  assertArray(commands, "commands");
  const trace: string[] = [];
  let now = 0;
  const calls: { id: number; due: number; state: "pending" | "ran" | "cancelled" }[] = [];
  const advance = (ms: number): void => {
    now += ms;
    // calls is in scheduling order and Array#sort is stable: equal times keep that order.
    const due = calls.filter((c) => c.state === "pending" && c.due <= now).sort((a, b) => a.due - b.due);
    for (const c of due) {
      c.state = "ran";
      trace.push(`ran #${c.id}`);
    }
  };
  for (const c of commands) {
    if (c.op === "call") {
      const delay = c.delay ?? 0;
      trace.push(`@ call #${calls.length} in ${delay} ms`);
      calls.push({ id: calls.length, due: now + delay, state: "pending" });
    } else if (c.op === "cancel") {
      const target = calls[c.call ?? 0];
      if (target?.state !== "pending") continue;
      trace.push(`@ cancel #${c.call ?? 0}`);
      target.state = "cancelled";
    } else {
      trace.push(`@ advance ${c.ms ?? 0} ms`);
      advance(c.ms ?? 0);
    }
  }
  trace.push("@ advance to the end");
  advance(THE_END);
  return trace;
}

/**
 * Runs a clock schedule on the adapter's clock and returns its trace.
 *
 * @example
 * ```ts
 * const schedule: ClockCommand[] = [{ op: "call", delay: 5 }, { op: "cancel", call: 0 }, { op: "advance", ms: 9 }];
 * await runClock(deferkitAdapter, schedule); // => modelClock(schedule)
 * ```
 */
export function runClock<H>(adapter: DeferredAdapter<H>, commands: readonly ClockCommand[]): Promise<string[]> {
  assertAdapter(adapter);
  assertMember(adapter, "clock");
  assertArray(commands, "commands");
  return interpretClock(adapter, commands);
}

async function interpretClock<H>(adapter: DeferredAdapter<H>, commands: readonly ClockCommand[]): Promise<string[]> {
  const clock = adapter.clock!();
  const trace: string[] = [];
  const calls: { cancel(): void; state: "pending" | "ran" | "cancelled" }[] = [];
  for (const c of commands) {
    if (c.op === "call") {
      const id = calls.length;
      trace.push(`@ call #${id} in ${c.delay ?? 0} ms`);
      const entry = { cancel: () => {}, state: "pending" as "pending" | "ran" | "cancelled" };
      calls.push(entry);
      const call = clock.callLater(c.delay ?? 0, () => {
        entry.state = "ran";
        trace.push(`ran #${id}`);
      });
      entry.cancel = () => call.cancel();
    } else if (c.op === "cancel") {
      const target = calls[c.call ?? 0];
      if (target?.state !== "pending") continue;
      trace.push(`@ cancel #${c.call ?? 0}`);
      target.state = "cancelled";
      target.cancel();
    } else {
      trace.push(`@ advance ${c.ms ?? 0} ms`);
      clock.advance(c.ms ?? 0);
    }
    if (!adapter.synchronous) await settle();
  }
  trace.push("@ advance to the end");
  clock.advance(THE_END);
  if (!adapter.synchronous) await settle();
  return snapshot(adapter, trace);
}
