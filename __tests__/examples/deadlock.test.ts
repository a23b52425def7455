// examples/deadlock.ts on a Clock: no real time passes.
import { CancelledError, FirstError } from "deferkit";
import { successResultOf, failureResultOf, assertNoResult, describeWaiting } from "deferkit/testing";
import { describeWorkers, main, onClock } from "../../examples/deadlock";

describe("examples/deadlock", () => {
  it("hang: each worker holds one lock and waits on the other's, for ever", () => {
    const { clock, states, done } = onClock("hang");
    clock.advance(10_000);
    assertNoResult(done);
    expect(describeWorkers(states)).toEqual(["worker 1: holds A, waits on B", "worker 2: holds B, waits on A"]);
    expect(String(describeWaiting(done))).toBe(
      [
        "gatherResults: 2 of 2 inputs pending (#0, #1)",
        "├─ inlineCallbacks, generator work: at yield #3",
        "│  └─ DeferredLock#acquire(): the lock is held, 0 waiters ahead",
        "└─ inlineCallbacks, generator work: at yield #3",
        "   └─ DeferredLock#acquire(): the lock is held, 0 waiters ahead",
      ].join("\n"),
    );
    expect(clock.getDelayedCalls()).toEqual([]); // nothing scheduled: no timer will ever free them
    done.cancel(); // cancelling the pair cancels both waits and releases both locks
    expect(CancelledError.is(failureResultOf(done, FirstError).value.subFailure.value)).toBe(true);
    expect(states.map((s) => s.holds)).toEqual([[], []]);
  });

  it("ordering: taking A before B everywhere, both finish, one after the other", () => {
    const { clock, states, done } = onClock("ordering");
    clock.pump([10, 10, 10, 10]);
    successResultOf(done);
    expect(describeWorkers(states)).toEqual(["worker 1: done after 1 attempt", "worker 2: done after 1 attempt"]);
  });

  it("timeouts: a worker that gives up releases what it holds, backs off and gets through", () => {
    const { clock, states, done } = onClock("timeouts");
    clock.advance(59);
    assertNoResult(done);
    expect(describeWorkers(states)).toEqual(["worker 1: holds A, waits on B", "worker 2: holds B, waits on A"]);
    clock.pump(Array.from({ length: 20 }, () => 10));
    successResultOf(done);
    expect(states.every((s) => s.done && s.holds.length === 0)).toBe(true);
    expect(states[0]!.attempts).toBe(2); // worker 1 timed out once, then went through
  });

  it("main() prints the three cases and finishes by itself", async () => {
    const lines: string[] = [];
    await main([], (l) => lines.push(l)).addTimeout(5000).asPromise();
    expect(lines).toContain("deadlock: each waits for a lock the other holds; describeWaiting(done) says:");
    expect(lines).toContain("  ├─ inlineCallbacks, generator work: at yield #3");
    expect(lines.filter((l) => l === "both finished")).toHaveLength(2);
  });
});
