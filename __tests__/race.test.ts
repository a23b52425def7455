import fc from "fast-check";
import {
  AlreadyCalledError,
  CancelledError,
  Deferred,
  fail,
  Failure,
  FailureGroup,
  onUnhandledFailure,
  race,
  succeed,
} from "../src/index.js";
import { assertNoResult, failureResultOf, successResultOf } from "../src/testing.js";
import { combinatorCancelContract } from "./contracts/combinator-cancel.js";
import { collectGarbage, countedInputs, twoTimings } from "./helpers.js";


function failureGroupOf(d: Deferred<unknown>): FailureGroup {
  return failureResultOf(d, FailureGroup).value as FailureGroup;
}

const timings = twoTimings("inputs fired before race() was called", "inputs fired after race() was called");

describe.each(timings)("race() ($label)", ({ run }) => {
  it("succeeds with [index, result] of the first success and cancels the inputs still pending", () => {
    const { ds, cancels } = countedInputs<string>(4);
    let raced!: Deferred<[number, string]>;
    run(
      () => {
        ds[0]!.errback(new Error("lost"));
        ds[2]!.callback("winner");
      },
      () => {
        raced = race(ds);
      },
    );
    expect(successResultOf(raced)).toEqual([2, "winner"]);
    expect(cancels).toEqual([0, 1, 0, 1]);
  });

  it("fails with a FailureGroup of every failure, in input order, when all inputs fail", () => {
    const { ds, cancels } = countedInputs<string>(3);
    const errors = [new Error("0"), new Error("1"), new Error("2")];
    let raced!: Deferred<[number, string]>;
    run(
      () => {
        ds[2]!.errback(errors[2]);
        ds[0]!.errback(errors[0]);
        ds[1]!.errback(errors[1]);
      },
      () => {
        raced = race(ds);
      },
    );
    expect(failureGroupOf(raced).failures.map((f) => f.value)).toEqual(errors);
    expect(cancels).toEqual([0, 0, 0]);
  });

  it("consumes every input's result: each input's chain carries on with undefined", () => {
    const ds = [new Deferred<number>(), new Deferred<number>(), new Deferred<number>()];
    run(
      () => {
        ds[0]!.errback(new Error("failed"));
        ds[1]!.callback(1);
      },
      () => {
        race(ds);
      },
    );
    // ds[0] failed and ds[2] was cancelled: neither failure is left on its input.
    expect(ds.map((d) => successResultOf(d))).toEqual([undefined, undefined, undefined]);
  });
});

describe("race()", () => {
  it("succeeds with the winner's [index, result], cancelling every other input exactly once", () => {
    // Twisted: RaceTests.test_success
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.anything(), (before, after, value) => {
        const { ds, cancels } = countedInputs<unknown>(before + 1 + after);
        const raced = race(ds);
        ds[before]!.callback(value);
        expect(successResultOf(raced)).toEqual([before, value]);
        expect(successResultOf(raced)[1]).toBe(value);
        expect(cancels).toEqual(ds.map((_, i) => (i === before ? 0 : 1)));
      }),
    );
  });

  it("fails with a FailureGroup holding each input's failure when every input fails, cancelling nothing", () => {
    // Twisted: RaceTests.test_failure
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), (n) => {
        const { ds, cancels } = countedInputs<unknown>(n);
        const raced = race(ds);
        const failure = new Failure(new Error("same for all"));
        for (const d of ds) d.errback(failure);
        const group = failureGroupOf(raced);
        expect(group.failures).toHaveLength(n);
        for (const f of group.failures) expect(f).toBe(failure);
        expect(cancels).toEqual(ds.map(() => 0));
      }),
    );
  });

  it("ignores a late success from an input that had no canceller, without an error", () => {
    // Twisted: RaceTests.test_resultAfterCancel
    const reported: unknown[] = [];
    const restore = onUnhandledFailure((f) => reported.push(f.value));
    try {
      const ds = [new Deferred<string>(), new Deferred<string>(), new Deferred<string>()];
      const raced = race(ds);
      ds[1]!.callback("first");
      expect(() => ds[2]!.callback("late")).not.toThrow(); // cancelled without canceller: swallowed once
      expect(successResultOf(raced)).toEqual([1, "first"]);
      expect(reported).toEqual([]);
    } finally {
      restore();
    }
  });

  it("ignores the success a loser's canceller gives it", () => {
    // Twisted: RaceTests.test_resultFromCancel
    const winner = new Deferred<string>();
    const loser = new Deferred<string>((d) => d.callback("from the canceller"));
    const raced = race([winner, loser]);
    winner.callback("won");
    expect(successResultOf(raced)).toEqual([0, "won"]);
    expect(successResultOf(loser)).toBeUndefined();
  });

  it("lets a later success win after earlier failures", () => {
    const { ds, cancels } = countedInputs<string>(3);
    const raced = race(ds);
    ds[0]!.errback(new Error("a"));
    assertNoResult(raced);
    ds[2]!.callback("c");
    expect(successResultOf(raced)).toEqual([2, "c"]);
    expect(cancels).toEqual([0, 1, 0]);
  });

  it("takes already-fired inputs in input order", () => {
    const raced = race([new Deferred<string>(), succeed("b"), succeed("c")]);
    expect(successResultOf(raced)).toEqual([1, "b"]);
  });

  it("cancels the losers before the race's own steps run", () => {
    const { ds, cancels } = countedInputs<string>(2);
    const raced = race(ds);
    const seen: number[][] = [];
    raced.addCallback(() => {
      seen.push([...cancels]);
    });
    ds[0]!.callback("a");
    expect(seen).toEqual([[0, 1]]);
  });

  it("does not throw AlreadyCalledError into the winner's chain when a loser settles late", () => {
    const winner = new Deferred<number>();
    const loser = new Deferred<number>(() => {
      /* a canceller that does not fire: cancel() errbacks with CancelledError */
    });
    const raced = race([winner, loser]);
    winner.callback(1);
    expect(() => loser.callback(2)).toThrow(AlreadyCalledError); // the loser's own rule
    expect(successResultOf(winner)).toBeUndefined();
    expect(successResultOf(raced)).toEqual([0, 1]);
  });

  it("keeps a result given to its callback() by hand; the input that wins later carries on", () => {
    const winner = new Deferred<number>();
    const raced = race([winner]);
    raced.callback([7, 7]);
    winner.callback(1); // no AlreadyCalledError from the race's step into the winner's chain
    expect(successResultOf(winner)).toBeUndefined();
    expect(successResultOf(raced)).toEqual([7, 7]);
  });

  it("keeps a result that a loser's canceller gave it by hand while the winner was deciding it", () => {
    const winner = new Deferred<number>();
    const box: { raced?: Deferred<[number, number]> } = {};
    const loser = new Deferred<number>(() => box.raced!.callback([9, 9]));
    const raced = (box.raced = race([winner, loser]));
    winner.callback(1); // cancels the loser, whose canceller fires the race first
    expect(successResultOf(winner)).toBeUndefined(); // no AlreadyCalledError in its chain
    expect(successResultOf(raced)).toEqual([9, 9]);
    expect(successResultOf(loser)).toBeUndefined(); // its CancelledError, consumed by the race
  });

  it("throws a TypeError naming `deferreds` or the index of a bad element", () => {
    expect(() => race(null as unknown as Deferred<number>[])).toThrow(
      "Expected `deferreds` to be an iterable of Deferreds, got `null` (null)",
    );
    expect(() => race([succeed(1), "x"] as unknown as Deferred<number>[])).toThrow(
      'Expected `deferreds[1]` to be a Deferred or a PromiseLike, got `"x"` (string)',
    );
  });

  it("takes any iterable of Deferreds", () => {
    expect(successResultOf(race(new Set([succeed("only")])))).toEqual([0, "only"]);
  });

  describe("with no inputs", () => {
    it("never fires", () => {
      assertNoResult(race([]));
    });

    it("fails with a plain CancelledError when cancelled (as Twisted)", () => {
      const raced = race([]);
      raced.cancel();
      expect(failureResultOf(raced, CancelledError).check(FailureGroup)).toBeNull();
    });
  });

  describe("#cancel()", () => {
    it("cancels every input exactly once and fails with the FailureGroup of their CancelledErrors", () => {
      // Twisted: RaceTests.test_cancel
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 }), (n) => {
          const { ds, cancels } = countedInputs<unknown>(n);
          const raced = race(ds);
          raced.cancel();
          expect(cancels).toEqual(ds.map(() => 1));
          const group = failureGroupOf(raced);
          expect(group.failures.map((f) => f.check(CancelledError))).toEqual(ds.map(() => CancelledError));
        }),
      );
    });

    it("does not cancel inputs that already failed", () => {
      const { ds, cancels } = countedInputs<string>(3);
      const raced = race(ds);
      ds[1]!.errback(new Error("early"));
      raced.cancel();
      expect(cancels).toEqual([1, 0, 1]);
      expect(failureGroupOf(raced).failures.map((f) => f.getErrorMessage())).toEqual([
        "Deferred was cancelled",
        "early",
        "Deferred was cancelled",
      ]);
    });

    it("the winner cancels what a loser that already failed waits on after its step", () => {
      const { ds } = countedInputs<string>(2);
      const raced = race(ds);
      ds[0]!.errback(new Error("early"));
      const later = new Deferred<string>();
      ds[0]!.addCallback(() => later);
      ds[1]!.callback("won");
      expect(successResultOf(raced)).toEqual([1, "won"]);
      failureResultOf(ds[0]!, CancelledError); // `later` was cancelled and handed its failure on
    });

    it("succeeds when a canceller succeeds its input, cancelling the rest", () => {
      const { ds, cancels } = countedInputs<string>(3);
      const lucky = new Deferred<string>((d) => d.callback("saved"));
      ds[1] = lucky;
      const raced = race(ds);
      raced.cancel();
      expect(successResultOf(raced)).toEqual([1, "saved"]);
      expect(cancels).toEqual([1, 0, 1]);
    });

    it("stops once a canceller's success decided the race: what losers wait on later is left alone", () => {
      const lucky = new Deferred<string>((d) => d.callback("saved"));
      const loser = new Deferred<string>();
      const raced = race([lucky, loser]);
      let laterCancels = 0;
      loser.addCallback(() => new Deferred<string>(() => laterCancels++)); // runs after race's step
      raced.cancel();
      expect(successResultOf(raced)).toEqual([0, "saved"]);
      expect(laterCancels).toBe(0);
    });

    it("fails with CancelledError when an input stays pending through its cancellation", () => {
      // The race is a Deferred with a canceller, so the usual fallback applies (as Twisted).
      const paused = new Deferred<number>();
      paused.pause();
      const raced = race([paused]);
      raced.cancel();
      failureResultOf(raced, CancelledError);
      expect(() => paused.unpause()).not.toThrow(); // its late result is ignored by the race
      expect(successResultOf(paused)).toBeUndefined();
    });

  });

  it("reports none of its inputs' failures as unhandled", async () => {
    const reported: string[] = [];
    const restore = onUnhandledFailure((f) => {
      const message = f.getErrorMessage();
      if (message.startsWith("race test:")) reported.push(message);
    });
    try {
      (() => {
        fail(new Error("race test: control, not raced"));
        const loser = fail<number>(new Error("race test: failed loser"));
        const pending = new Deferred<number>((d) => d.errback(new CancelledError("race test: cancelled loser")));
        const winner = new Deferred<number>();
        race([loser, pending, winner]);
        winner.callback(1);
      })();
      await collectGarbage();
      expect(reported).toEqual(["race test: control, not raced"]);
    } finally {
      restore();
    }
  });
});

combinatorCancelContract({
  name: "race",
  combine: (ds) => race(ds),
  settleWithoutDeciding: (d) => d.errback(new Error("not decisive")),
  decide: (ds) => ds[0]!.callback("first"),
  expectAllCancelled(raced, n) {
    const group = failureGroupOf(raced);
    expect(group.failures.map((f) => f.check(CancelledError))).toEqual(Array(n).fill(CancelledError));
  },
});
