// The cancellation contract of the combinators over a list of inputs: one suite that
// DeferredList, gatherResults and race each run (STYLE 11). What differs between them (which
// input result decides one, what it ends in once cancelled) is a parameter; each combinator's
// own file keeps the ports of Twisted's tests and the cases only it has.
import { CancelledError, Deferred, onUnhandledFailure } from "../../src/index.js";
import { assertNoResult, failureResultOf } from "../../src/testing.js";
import { countedInputs, StubbornDeferred } from "../helpers.js";

export interface CombinatorUnderTest {
  name: string;
  /** Builds the combinator over `inputs`. */
  combine(inputs: Deferred<string>[]): Deferred<unknown>;
  /** Gives `input` a result that does not decide the combinator by itself. */
  settleWithoutDeciding(input: Deferred<string>): void;
  /** Gives `inputs[0]` (and only it) a result that decides the combinator. */
  decide(inputs: Deferred<string>[]): void;
  /** Asserts what the combinator ends in once every input was cancelled (with CancelledError). */
  expectAllCancelled(combined: Deferred<unknown>, n: number): void;
}

export function combinatorCancelContract(subject: CombinatorUnderTest): void {
  const { combine, settleWithoutDeciding, decide, expectAllCancelled } = subject;

  describe(`${subject.name}: cancel() contract`, () => {
    it("cancels every pending input once, however often it is cancelled", () => {
      const { ds, cancels } = countedInputs<string>(3);
      const combined = combine(ds);
      combined.cancel();
      combined.cancel();
      expect(cancels).toEqual([1, 1, 1]);
      expectAllCancelled(combined, 3);
    });

    it("leaves an input that has its result alone, but reaches what it waits on after the combinator's step", () => {
      const { ds, cancels } = countedInputs<string>(2);
      const combined = combine(ds);
      settleWithoutDeciding(ds[0]!);
      let laterCancels = 0;
      ds[0]!.addBoth(() => new Deferred<string>(() => void laterCancels++));
      combined.cancel();
      expect(cancels).toEqual([0, 1]);
      expect(laterCancels).toBe(1);
      failureResultOf(ds[0]!, CancelledError); // what it waited on handed it a CancelledError
    });

    it("goes on past an input whose cancel() throws, and reports that error", () => {
      const reported: unknown[] = [];
      const restore = onUnhandledFailure((f) => reported.push(f.value));
      try {
        const { ds, cancels } = countedInputs<string>(2);
        const stubborn = new StubbornDeferred<string>();
        combine([stubborn, ...ds]).cancel();
        expect(cancels).toEqual([1, 1]);
        assertNoResult(stubborn);
        expect(reported).toHaveLength(1);
        expect((reported[0] as Error).message).toBe("cannot cancel");
      } finally {
        restore();
      }
    });

    it("once decided, leaves its inputs and what they wait on alone", () => {
      const { ds, cancels } = countedInputs<string>(3);
      const combined = combine(ds);
      decide(ds); // race cancels its losers here: only what cancel() adds counts
      const cancelsBefore = [...cancels];
      const calledBefore = ds.map((d) => d.called);
      let laterCancels = 0;
      ds[0]!.addBoth(() => new Deferred<string>(() => void laterCancels++));
      combined.cancel();
      expect(cancels).toEqual(cancelsBefore);
      expect(ds.map((d) => d.called)).toEqual(calledBefore);
      expect(laterCancels).toBe(0);
    });

    it("once decided, cancels what its own chain waits on", () => {
      // A deliberate difference for DeferredList and gatherResults: Twisted's do nothing then.
      const { ds, cancels } = countedInputs<string>(2);
      const combined = combine(ds);
      decide(ds);
      const cancelsBefore = [...cancels];
      let innerCancels = 0;
      combined.addBoth(() => new Deferred<unknown>(() => void innerCancels++));
      combined.cancel();
      expect(innerCancels).toBe(1);
      expect(cancels).toEqual(cancelsBefore);
      failureResultOf(combined, CancelledError);
    });
  });
}
