// Fixtures that several test files share. Each is here because it was written out more than
// twice; a fixture used by one file stays in that file.
import { Deferred, type Canceller } from "../src/index.js";

/**
 * The two orders in which a subject can meet its inputs' results (STYLE item 9): the inputs
 * already have them when the subject is built (it takes them synchronously, inside its
 * constructor or `addCallback`), or they arrive afterwards. `run(fire, build)` calls the two
 * in this timing's order.
 */
export interface Timing {
  label: string;
  /** Whether the inputs fire before the subject is built. */
  firedFirst: boolean;
  run(fire: () => void, build: () => void): void;
}

/** Both timings, labelled for `describe.each(...)("... ($label)")`. */
export function twoTimings(firedFirstLabel: string, firedLaterLabel: string): Timing[] {
  return [
    {
      label: firedFirstLabel,
      firedFirst: true,
      run(fire, build) {
        fire();
        build();
      },
    },
    {
      label: firedLaterLabel,
      firedFirst: false,
      run(fire, build) {
        build();
        fire();
      },
    },
  ];
}

// A positive control for collectGarbage(): an object only this registry knows about. If its
// finalizer has not run by the end, nothing proves that the collector ran finalizers at all,
// and a test asserting that something was *not* reported would pass for the wrong reason.
let controlsFinalized = 0;
const controlRegistry = new FinalizationRegistry<null>(() => {
  controlsFinalized++;
});

/**
 * Runs the garbage collector (jest runs with `node --expose-gc`) until finalization callbacks
 * have had their chance to run, and throws if a freshly dropped control object was not
 * finalized meanwhile.
 */
export async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("collectGarbage() needs node --expose-gc (npm test runs jest with it)");
  const before = controlsFinalized;
  (() => {
    controlRegistry.register({ control: true }, null);
  })();
  // Four rounds always (what the unhandled-failure tests were tuned with), more while the
  // control is still alive, for up to 2 s (a busy machine). Files that call this run first in
  // their jest worker: see scripts/jest-sequencer.cjs for a worker where finalizers stop.
  const deadline = Date.now() + 2000;
  for (let i = 0; i < 4 || (controlsFinalized === before && Date.now() < deadline); i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
  if (controlsFinalized === before) {
    throw new Error("collectGarbage(): the control object was not finalized, so finalizers may not have run");
  }
}

/** A canceller that only records the Deferreds it is called with (Twisted's canceller tests). */
export function countingCanceller<T>(): Canceller<T> & { calls: Deferred<T>[] } {
  const calls: Deferred<T>[] = [];
  const fn = ((d: Deferred<T>) => {
    calls.push(d);
  }) as Canceller<T> & { calls: Deferred<T>[] };
  fn.calls = calls;
  return fn;
}

/** `n` pending Deferreds whose cancellers count their calls in `cancels[i]`. */
export function countedInputs<T>(n: number): { ds: Deferred<T>[]; cancels: number[] } {
  const cancels = Array.from({ length: n }, () => 0);
  const ds = cancels.map((_, i) => new Deferred<T>(() => void cancels[i]!++));
  return { ds, cancels };
}

/**
 * An input whose own `cancel()` throws: a user's subclass can do that, and a combinator must
 * still cancel its other inputs (and report the error rather than lose it).
 */
export class StubbornDeferred<T> extends Deferred<T> {
  override cancel(): void {
    throw new RangeError("cannot cancel");
  }
}

/** A synchronous thenable that fulfils with "rows" and counts how often its `then` is called. */
export function countingThenable(): { then(onFulfilled: (v: string) => void): void; readonly calls: number } {
  let calls = 0;
  return {
    then(onFulfilled: (v: string) => void) {
      calls++;
      onFulfilled("rows");
    },
    get calls() {
      return calls;
    },
  };
}

/**
 * Two Deferreds whose chains wait on each other: `a`'s step returned `b` while `b`'s step had
 * returned `a`. Neither can ever fire (with debugging on, `a`'s chain fails instead, and the
 * failure goes on to `b`).
 */
export function waitingOnEachOther(): { a: Deferred<number>; b: Deferred<number> } {
  const a = new Deferred<number>();
  const b = new Deferred<number>();
  a.addCallback(() => b);
  b.addCallback(() => a);
  b.callback(1); // b waits on a
  a.callback(1); // a's step returns b, which waits on a: a would wait on b
  return { a, b };
}

/**
 * A second copy of the package, loaded from src/ apart from the one the tests import, as when
 * two versions end up in one bundle: its classes are others (`instanceof` fails across the
 * two), so it shows what deferkit does with a Deferred or Failure it did not make.
 */
export function secondCopy(): typeof import("../src/index.js") {
  let copy!: typeof import("../src/index.js");
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    copy = require("../src/index.js") as typeof import("../src/index.js");
  });
  return copy;
}
