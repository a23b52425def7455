import fc from "fast-check";
import { Deferred, fail, inlineCallbacks, succeed } from "../../src/index.js";
import { runs } from "./runs.js";

// Law: an inlineCallbacks coroutine and the same steps written as an `async` function over
// Promises see the same values and errors at each yield/await, in the same order, and end the
// same way (result or error). Each step waits on something: a plain value, a fired Deferred
// (a resolved or rejected Promise), or one that fires later (a Promise settled later), and
// either catches a failure there or lets it end the function.

type Source = "value" | "fired" | "later";
interface Step {
  source: Source;
  fails: boolean;
  catches: boolean;
}
const stepArb: fc.Arbitrary<Step> = fc.record({
  source: fc.constantFrom<Source>("value", "fired", "later"),
  fails: fc.boolean(),
  catches: fc.boolean(),
});

type Log = (string | number)[][];

/** What each step waits on, and how to settle those that settle later, for one side. */
interface Side {
  awaitable(step: Step, i: number): unknown;
  settleLater(): void;
}

function deferredSide(): Side {
  const later: (() => void)[] = [];
  return {
    awaitable(step, i) {
      if (step.source === "value") return step.fails ? fail(new Error(`e${i}`)) : i; // a failed Deferred is "fired"
      if (step.source === "fired") return step.fails ? fail(new Error(`e${i}`)) : succeed(i);
      const d = new Deferred<number>();
      later.push(() => (step.fails ? d.errback(new Error(`e${i}`)) : d.callback(i)));
      return d;
    },
    settleLater: () => later.splice(0).forEach((f) => f()),
  };
}

function promiseSide(): Side {
  const later: (() => void)[] = [];
  return {
    awaitable(step, i) {
      if (step.source === "value") return step.fails ? Promise.reject(new Error(`e${i}`)) : i;
      if (step.source === "fired") return step.fails ? Promise.reject(new Error(`e${i}`)) : Promise.resolve(i);
      return new Promise<number>((resolve, reject) => {
        later.push(() => (step.fails ? reject(new Error(`e${i}`)) : resolve(i)));
      });
    },
    settleLater: () => later.splice(0).forEach((f) => f()),
  };
}

async function outcome(p: PromiseLike<unknown>): Promise<string> {
  try {
    return `ok ${String(await p)}`;
  } catch (e) {
    return `error ${(e as Error).message}`;
  }
}

/** Settles the "later" awaitables one turn at a time until `done` says the run is over. */
async function drive(side: Side, done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn++) {
    side.settleLater();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe("inlineCallbacks against async functions", () => {
  it("sees the same values and errors in the same order and ends the same way", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 8 }), async (steps) => {
        const coLog: Log = [];
        const coSide = deferredSide();
        const co = inlineCallbacks(function* () {
          for (let i = 0; i < steps.length; i++) {
            try {
              coLog.push(["got", (yield coSide.awaitable(steps[i]!, i)) as number]);
            } catch (e) {
              if (!steps[i]!.catches) throw e;
              coLog.push(["caught", (e as Error).message]);
            }
          }
          return coLog.length;
        })();
        let coDone = false;
        const coOutcome = outcome(co).finally(() => (coDone = true)); // then(): co stays as it is
        await drive(coSide, () => coDone);

        const asyncLog: Log = [];
        const asyncSide = promiseSide();
        let asyncDone = false;
        const asyncRun = (async () => {
          for (let i = 0; i < steps.length; i++) {
            try {
              asyncLog.push(["got", (await asyncSide.awaitable(steps[i]!, i)) as number]);
            } catch (e) {
              if (!steps[i]!.catches) throw e;
              asyncLog.push(["caught", (e as Error).message]);
            }
          }
          return asyncLog.length;
        })().finally(() => (asyncDone = true));
        const asyncOutcome = outcome(asyncRun);
        await drive(asyncSide, () => asyncDone);

        expect(coLog).toEqual(asyncLog);
        expect(await coOutcome).toEqual(await asyncOutcome);
      }),
      runs(100),
    );
  });
});
