import fc from "fast-check";
import {
  CancelledError,
  Deferred,
  DeferredList,
  type DeferredListEntry,
  Failure,
  FailureGroup,
  FirstError,
  gatherResults,
  race,
} from "../../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../../src/testing.js";
import { runs } from "./runs.js";

// Laws of DeferredList, gatherResults and race against a small model. The kit's "combinator
// order" laws (deferkit/laws: all and any, through an adapter) are the part any implementation
// can be held to; DeferredList's options (fireOnOneCallback, fireOnOneErrback, consumeErrors),
// FirstError and which inputs a cancel reaches are deferkit's own API and stay here.
//
// A scenario is N inputs, each ending in a success (`v<i>`) or a failure (error e<i>); some
// already have their result when the combinator is built ("pre-fired"), the rest fire after,
// in a random order. A combinator *observes* the pre-fired inputs inside its constructor, in
// input order, then the others as they fire: that observation order is "time" for the model.
// fast-check prints the seed and the shrunk scenario of any failure; pin those as plain tests
// at the bottom of this file.

interface Scenario {
  /** ok[i]: input i succeeds (else it fails). */
  ok: boolean[];
  /** preFired[i]: input i has its result before the combinator is built. */
  preFired: boolean[];
  /** The order the other inputs fire in (a permutation of all indices; pre-fired ones skipped). */
  order: number[];
  /** How many of the post-built firings happen before `cancel()`, in the cancel laws. */
  cancelAfter: number;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.integer({ min: 0, max: 7 }).chain((n) => {
  const indices = Array.from({ length: n }, (_, i) => i);
  return fc.record({
    ok: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    preFired: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    order: fc.shuffledSubarray(indices, { minLength: n, maxLength: n }),
    cancelAfter: fc.integer({ min: 0, max: n }),
  });
});

/** A scenario's inputs, with counting cancellers that do not fire them (CancelledError follows). */
class Inputs {
  readonly ds: Deferred<string>[];
  readonly errors: Error[];
  readonly cancels: number[];
  constructor(readonly s: Scenario) {
    const n = s.ok.length;
    this.errors = Array.from({ length: n }, (_, i) => new Error(`e${i}`));
    this.cancels = Array.from({ length: n }, () => 0);
    this.ds = this.cancels.map((_, i) => new Deferred<string>(() => void this.cancels[i]!++));
  }
  get n(): number {
    return this.s.ok.length;
  }
  /** The indices that fire after the combinator is built, in firing order. */
  get post(): number[] {
    return this.s.order.filter((i) => !this.s.preFired[i]);
  }
  /** Observation order: pre-fired inputs in input order, then the others in firing order. */
  get observed(): number[] {
    return [...this.s.ok.keys()].filter((i) => this.s.preFired[i]).concat(this.post);
  }
  fire(i: number): void {
    const d = this.ds[i]!;
    if (d.called) return; // cancelled on the way: its own result no longer matters
    if (this.s.ok[i]) d.callback(`v${i}`);
    else d.errback(this.errors[i]);
  }
  firePre(): void {
    for (let i = 0; i < this.n; i++) if (this.s.preFired[i]) this.fire(i);
  }
  /** Builds the combinator between the pre-fired and the post firings; cancels it after `cancelAt` of them. */
  run<D extends Deferred<unknown>>(build: (ds: Deferred<string>[]) => D, cancelAt: number | null = null): D {
    this.firePre();
    const combined = build(this.ds);
    this.post.forEach((i, k) => {
      if (k === cancelAt) combined.cancel();
      this.fire(i);
    });
    if (cancelAt !== null && cancelAt >= this.post.length) combined.cancel();
    return combined;
  }
}

/** Asserts an entry holds input i's own outcome. */
function expectOwnOutcome(inputs: Inputs, entry: DeferredListEntry<string> | undefined, i: number): void {
  if (inputs.s.ok[i]) {
    expect(entry).toEqual([true, `v${i}`]);
  } else {
    expect(entry?.[0]).toBe(false);
    expect((entry![1] as Failure).value).toBe(inputs.errors[i]);
  }
}

/**
 * Asserts each input's own chain after a combinator that was not cancelled: a success passes
 * on, a failure stays unless consumed, and no input was cancelled.
 */
function expectOwnChainsUncancelled(inputs: Inputs, consumeErrors: boolean): void {
  inputs.ds.forEach((d, i) => {
    if (inputs.s.ok[i]) expect(successResultOf(d)).toBe(`v${i}`);
    else if (consumeErrors) expect(successResultOf(d)).toBeUndefined();
    else expect(failureResultOf(d).value).toBe(inputs.errors[i]);
  });
  expect(inputs.cancels.every((c) => c === 0)).toBe(true);
}

function expectCancelled(entry: DeferredListEntry<string> | undefined): void {
  expect(entry?.[0]).toBe(false);
  expect((entry![1] as Failure).check(CancelledError)).toBe(CancelledError);
}

// Cheap scenarios (at most 7 inputs): three times fast-check's default.
const RUNS = runs(300);

describe("combinator laws", () => {
  it("DeferredList keeps input order for any firing order and mix of outcomes", () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), (s, consumeErrors) => {
        const inputs = new Inputs(s);
        const list = inputs.run((ds) => new DeferredList(ds, { consumeErrors }));
        const entries = successResultOf(list);
        expect(entries).toHaveLength(inputs.n);
        entries.forEach((entry, i) => expectOwnOutcome(inputs, entry, i));
        expectOwnChainsUncancelled(inputs, consumeErrors);
      }),
      RUNS,
    );
  });

  it("DeferredList with fireOnOneErrback fails with the FirstError of the first failure in time", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const inputs = new Inputs(s);
        const list = inputs.run((ds) => new DeferredList(ds, { fireOnOneErrback: true, consumeErrors: true }));
        const firstFailure = inputs.observed.find((i) => !s.ok[i]);
        if (firstFailure === undefined) {
          successResultOf(list).forEach((entry, i) => expectOwnOutcome(inputs, entry, i));
        } else {
          const err = failureResultOf(list, FirstError).value as FirstError;
          expect(err.index).toBe(firstFailure);
          expect(err.subFailure.value).toBe(inputs.errors[firstFailure]);
        }
      }),
      RUNS,
    );
  });

  it("DeferredList with fireOnOneCallback fires with [result, index] of the first success in time", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const inputs = new Inputs(s);
        const list = inputs.run((ds) => new DeferredList(ds, { fireOnOneCallback: true, consumeErrors: true }));
        const firstSuccess = inputs.observed.find((i) => s.ok[i]);
        if (inputs.n === 0) {
          assertNoResult(list); // Twisted: an empty fireOnOneCallback list never fires
        } else if (firstSuccess === undefined) {
          const entries = successResultOf(list) as DeferredListEntry<string>[];
          entries.forEach((entry, i) => expectOwnOutcome(inputs, entry, i));
        } else {
          expect(successResultOf(list)).toEqual([`v${firstSuccess}`, firstSuccess]);
        }
      }),
      RUNS,
    );
  });

  it("gatherResults keeps input order, or fails with the FirstError of the first failure in time", () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), (s, consumeErrors) => {
        const inputs = new Inputs(s);
        const gathered = inputs.run((ds) => gatherResults(ds, consumeErrors));
        const firstFailure = inputs.observed.find((i) => !s.ok[i]);
        if (firstFailure === undefined) {
          expect(successResultOf(gathered)).toEqual(s.ok.map((_, i) => `v${i}`));
        } else {
          const err = failureResultOf(gathered, FirstError).value as FirstError;
          expect(err.index).toBe(firstFailure);
          expect(err.subFailure.value).toBe(inputs.errors[firstFailure]);
        }
        expectOwnChainsUncancelled(inputs, consumeErrors);
      }),
      RUNS,
    );
  });

  it("race returns the first success in time and cancels each loser still pending exactly once", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const inputs = new Inputs(s);
        const raced = inputs.run((ds) => race(ds));
        const observed = inputs.observed;
        const at = observed.findIndex((i) => s.ok[i]);
        if (inputs.n === 0) {
          assertNoResult(raced);
        } else if (at < 0) {
          const group = failureResultOf(raced, FailureGroup).value as FailureGroup;
          expect(group.failures.map((f) => f.value)).toEqual(inputs.errors);
          expect(inputs.cancels.every((c) => c === 0)).toBe(true);
        } else {
          const winner = observed[at]!;
          expect(successResultOf(raced)).toEqual([winner, `v${winner}`]);
          // Fired before the decision: every pre-fired input, and the post ones before the winner.
          const firedBefore = new Set(s.preFired[winner] ? observed.filter((i) => s.preFired[i]) : observed.slice(0, at));
          inputs.cancels.forEach((count, i) => {
            expect([i, count]).toEqual([i, i === winner || firedBefore.has(i) ? 0 : 1]);
          });
        }
        // race consumes every input's result (each input has one: fired, or cancelled by race).
        inputs.ds.forEach((d) => expect(successResultOf(d)).toBeUndefined());
      }),
      RUNS,
    );
  });

  describe("cancel() at any point", () => {
    /** Inputs observed before cancel() (the pre-fired ones and the first `cancelAt` post firings). */
    function observedBeforeCancel(inputs: Inputs): number[] {
      return inputs.observed.slice(0, inputs.observed.length - inputs.post.length + inputs.s.cancelAfter);
    }

    function expectCancels(inputs: Inputs, cancelled: (i: number) => boolean): void {
      inputs.cancels.forEach((count, i) => expect([i, count]).toEqual([i, cancelled(i) ? 1 : 0]));
    }

    it("DeferredList cancels exactly the inputs it has not observed, once each", () => {
      fc.assert(
        fc.property(scenarioArb, (s) => {
          const inputs = new Inputs(s);
          const list = inputs.run((ds) => new DeferredList(ds, { consumeErrors: true }), s.cancelAfter);
          const seen = new Set(observedBeforeCancel(inputs));
          expectCancels(inputs, (i) => !seen.has(i));
          successResultOf(list).forEach((entry, i) => {
            if (seen.has(i)) expectOwnOutcome(inputs, entry, i);
            else expectCancelled(entry);
          });
        }),
        RUNS,
      );
    });

    it("gatherResults cancels the inputs it has not observed unless a failure already decided it", () => {
      fc.assert(
        fc.property(scenarioArb, (s) => {
          const inputs = new Inputs(s);
          const gathered = inputs.run((ds) => gatherResults(ds, true), s.cancelAfter);
          const seenOrder = observedBeforeCancel(inputs);
          const seen = new Set(seenOrder);
          const failedFirst = seenOrder.find((i) => !s.ok[i]);
          const decided = failedFirst !== undefined || seen.size === inputs.n;
          expectCancels(inputs, (i) => !decided && !seen.has(i));
          if (failedFirst !== undefined) {
            expect((failureResultOf(gathered, FirstError).value as FirstError).index).toBe(failedFirst);
          } else if (decided) {
            expect(successResultOf(gathered)).toEqual(s.ok.map((_, i) => `v${i}`));
          } else {
            // The cancel loop goes in input order: the first unobserved input fails first.
            const err = failureResultOf(gathered, FirstError).value as FirstError;
            expect(err.index).toBe(s.ok.findIndex((_, i) => !seen.has(i)));
            expect(err.subFailure.check(CancelledError)).toBe(CancelledError);
          }
        }),
        RUNS,
      );
    });

    it("race cancels every input it has not observed unless a success already decided it", () => {
      fc.assert(
        fc.property(scenarioArb, (s) => {
          const inputs = new Inputs(s);
          const raced = inputs.run((ds) => race(ds), s.cancelAfter);
          const seenOrder = observedBeforeCancel(inputs);
          const seen = new Set(seenOrder);
          const winnerAt = seenOrder.findIndex((i) => s.ok[i]);
          if (inputs.n === 0) {
            failureResultOf(raced, CancelledError); // Twisted: race([]) cancelled is a CancelledError
          } else if (winnerAt >= 0) {
            // Decided before cancel(): the cancel is a no-op (the law above covers the winner's cancels).
            const winner = seenOrder[winnerAt]!;
            expect(successResultOf(raced)).toEqual([winner, `v${winner}`]);
          } else if (seen.size === inputs.n) {
            const group = failureResultOf(raced, FailureGroup).value as FailureGroup;
            expect(group.failures.map((f) => f.value)).toEqual(inputs.errors);
            expectCancels(inputs, () => false);
          } else {
            expectCancels(inputs, (i) => !seen.has(i));
            const group = failureResultOf(raced, FailureGroup).value as FailureGroup;
            group.failures.forEach((f, i) => {
              if (seen.has(i)) expect(f.value).toBe(inputs.errors[i]);
              else expect(f.check(CancelledError)).toBe(CancelledError);
            });
          }
        }),
        RUNS,
      );
    });
  });
});
