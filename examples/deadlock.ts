// Two workers, two locks, taken in opposite order: the classic deadlock, shown hanging, then
// made safe two ways.
//
//   1. hang:     worker 1 takes A then B, worker 2 takes B then A. Each holds one lock and waits
//                for the other's forever. The example prints what each worker holds and waits on,
//                and describeWaiting's account of the pair.
//   2. ordering: both take A before B. One waits for the other, then runs.
//   3. timeouts: each acquire() has addTimeout. A worker that times out releases what it holds,
//                backs off (a different time for each worker), and tries again.
//
//   npm run example:deadlock
import {
  Clock,
  Deferred,
  DeferredLock,
  deferLater,
  gatherResults,
  inlineCallbacks,
  realClock,
  TimeoutError,
  type IClock,
} from "deferkit";
import { describeWaiting } from "deferkit/testing";

/** What a worker is doing, for the printout. */
export interface WorkerState {
  name: string;
  holds: ("A" | "B")[];
  waitsOn: string | null;
  done: boolean;
  attempts: number;
}

type Locks = Record<"A" | "B", DeferredLock>;

/**
 * A worker that takes `order[0]`, does a step of work (`stepMs` on `clock`), takes `order[1]`,
 * does its job and releases both. With `timeoutMs`, each acquire() gives up after that long: the
 * worker releases what it holds, waits `backoffMs` and starts again.
 */
function worker(
  state: WorkerState,
  locks: Locks,
  order: ["A" | "B", "A" | "B"],
  clock: IClock,
  options: { stepMs: number; timeoutMs?: number; backoffMs?: number },
): Deferred<void> {
  return inlineCallbacks(function* work() {
    for (;;) {
      state.attempts++;
      try {
        for (const name of order) {
          state.waitsOn = name;
          const acquired = locks[name].acquire();
          yield options.timeoutMs === undefined ? acquired : acquired.addTimeout(options.timeoutMs, clock);
          state.waitsOn = null;
          state.holds.push(name);
          yield deferLater(clock, options.stepMs); // the work between the two locks
        }
        state.done = true;
        return;
      } catch (e) {
        if (!TimeoutError.is(e)) throw e;
      } finally {
        for (const name of state.holds.splice(0)) locks[name].release();
      }
      // Gave up waiting, and let go of what we held: back off, then try again.
      state.waitsOn = null;
      yield deferLater(clock, options.backoffMs ?? 0);
    }
  })();
}

export type Strategy = "hang" | "ordering" | "timeouts";

/** Runs the two workers with `strategy`; `states` shows where each is at any time. */
export function runWorkers(strategy: Strategy, clock: IClock = realClock): { states: WorkerState[]; done: Deferred<unknown[]> } {
  const locks: Locks = { A: new DeferredLock(), B: new DeferredLock() };
  const states: WorkerState[] = ["worker 1", "worker 2"].map((name) => ({ name, holds: [], waitsOn: null, done: false, attempts: 0 }));
  const secondOrder: ["A" | "B", "A" | "B"] = strategy === "ordering" ? ["A", "B"] : ["B", "A"];
  const timeouts = strategy === "timeouts";
  // consumeErrors: cancelling a deadlocked pair cancels both workers, and their
  // CancelledErrors are this gathering's business, not unhandled failures.
  const done = gatherResults([
    worker(states[0]!, locks, ["A", "B"], clock, { stepMs: 10, ...(timeouts ? { timeoutMs: 50, backoffMs: 5 } : {}) }),
    worker(states[1]!, locks, secondOrder, clock, { stepMs: 10, ...(timeouts ? { timeoutMs: 50, backoffMs: 30 } : {}) }),
  ], true);
  return { states, done };
}

/** One line per worker: what it holds and what it waits on. */
export function describeWorkers(states: WorkerState[]): string[] {
  return states.map((s) => {
    if (s.done) return `${s.name}: done after ${s.attempts} attempt${s.attempts === 1 ? "" : "s"}`;
    const holds = s.holds.length ? `holds ${s.holds.join(", ")}` : "holds nothing";
    return `${s.name}: ${holds}, waits on ${s.waitsOn ?? "nothing"}`;
  });
}

/** `npm run example:deadlock`: the three strategies, each given 200 ms of the real clock. */
export function main(_args: string[], print: (line: string) => void = (line) => void process.stdout.write(`${line}\n`)): Deferred<void> {
  return inlineCallbacks(function* () {
    for (const strategy of ["hang", "ordering", "timeouts"] as Strategy[]) {
      print(`-- ${strategy}`);
      const { states, done } = runWorkers(strategy);
      // Give the workers 200 ms: a deadlock never ends by itself.
      yield deferLater(realClock, 200);
      for (const line of describeWorkers(states)) print(line);
      if (done.called) {
        print("both finished");
      } else {
        print("deadlock: each waits for a lock the other holds; describeWaiting(done) says:");
        for (const line of String(describeWaiting(done)).split("\n")) print(`  ${line}`);
        print("cancelling both");
        done.cancel(); // the workers' waits are cancelled, their locks released
        done.addErrback(() => undefined);
      }
    }
  })();
}

/** For the tests: a Clock on which the three strategies run without real time. */
export function onClock(strategy: Strategy): { clock: Clock; states: WorkerState[]; done: Deferred<unknown[]> } {
  const clock = new Clock();
  return { clock, ...runWorkers(strategy, clock) };
}
