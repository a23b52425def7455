/**
 * The law set: each law a fast-check property comparing an adapter's trace with the reference
 * model's, and `checkDeferredLaws` to run all the ones an adapter supports.
 */
import * as fc from "fast-check";
import { assertArray, assertAdapter, type DeferredAdapter } from "./adapter.js";
import { assertCount, assertOptions, formatValue } from "../internal/checks.js";
import { chainProgram, modelChain, runChain, type ChainProgramOptions } from "./chain.js";
import { combinatorScenario, modelCombinator, runCombinator } from "./combinators.js";
import { clockSchedule, modelClock, runClock } from "./clock.js";
import { lockCommands, modelLock, modelQueue, queueCommands, runLock, runQueue } from "./concurrency.js";

/** The laws, by name. */
export type LawName =
  | "ordering"
  | "failure propagation"
  | "chaining"
  | "cancellation reach"
  | "pause"
  | "combinator order: all"
  | "combinator order: any"
  | "clock order"
  | "lock fairness"
  | "semaphore fairness"
  | "queue conservation";

/** One law, ready to run on one adapter. */
export interface Law {
  /** The law's name (one of `LAW_NAMES`). */
  readonly name: LawName;
  /** What the law says, in a sentence. */
  readonly description: string;
  /** Runs the property; rejects with the seed, path and shrunk counterexample when it fails. */
  check(): Promise<void>;
}

/** How the laws run. */
export interface LawOptions {
  /** Programs per law (default: fast-check's global `numRuns`, 100 unless configured). */
  readonly numRuns?: number;
  /** fast-check's seed, to replay a failure (its message gives both seed and path). */
  readonly seed?: number;
  /** fast-check's path, with `seed`, to replay exactly the failing program. */
  readonly path?: string;
  /** Only these laws (each must apply to the adapter). */
  readonly only?: readonly LawName[];
}

interface LawSpec {
  name: LawName;
  description: string;
  applies(a: DeferredAdapter<unknown>): boolean;
  property(a: DeferredAdapter<unknown>): fc.IAsyncProperty<[unknown]>;
}

/** A property whose runs compare a trace with the model's, and say where they part. */
function traceProperty<P>(arb: fc.Arbitrary<P>, expected: (p: P) => string[], actual: (p: P) => Promise<string[]>): fc.IAsyncProperty<[unknown]> {
  return fc.asyncProperty(arb as fc.Arbitrary<unknown>, async (p) => {
    const want = expected(p as P);
    const got = await actual(p as P);
    const at = want.findIndex((line, i) => got[i] !== line);
    const differs = at !== -1 ? at : got.length !== want.length ? want.length : -1;
    if (differs === -1) return;
    const block = (lines: string[]): string => lines.map((l, i) => `  ${i === differs ? ">" : " "} ${l}`).join("\n");
    throw new Error(
      `the trace parts from the model's at line ${differs + 1}:\n` +
        `  model:          ${want[differs] ?? "(nothing more)"}\n` +
        `  implementation: ${got[differs] ?? "(nothing more)"}\n` +
        `model's trace:\n${block(want)}\nimplementation's trace:\n${block(got)}`,
    );
  });
}

const has = (a: DeferredAdapter<unknown>, ...members: (keyof DeferredAdapter<unknown>)[]): boolean =>
  members.every((m) => typeof a[m] === "function");

function chainLaw(name: LawName, description: string, options: (a: DeferredAdapter<unknown>) => ChainProgramOptions, ...needs: (keyof DeferredAdapter<unknown>)[]): LawSpec {
  return {
    name,
    description,
    applies: (a) => has(a, ...needs),
    property: (a) => traceProperty(chainProgram(options(a)), (p) => modelChain(p).trace, (p) => runChain(a, p)),
  };
}

const withFail = (a: DeferredAdapter<unknown>, kinds: ChainProgramOptions["kinds"] & unknown[]): ChainProgramOptions["kinds"] =>
  has(a, "failWith") ? [...kinds, "fail"] : kinds;

const LAWS: readonly LawSpec[] = [
  chainLaw(
    "ordering",
    "Steps run in the order added, each once, each seeing the result of the one before; a synchronous implementation runs them before the call that fired the chain returns.",
    () => ({ kinds: ["map", "both", "fired", "pending"], initialFailure: false }),
  ),
  chainLaw(
    "failure propagation",
    "A failure skips every value step until an error step takes it; nothing thrown or failed is lost or seen twice.",
    (a) => ({ kinds: withFail(a, ["map", "throw", "recover", "rethrow", "both"]) }),
  ),
  chainLaw(
    "chaining",
    "A step that returns a pending handle pauses the chain until that handle fires, whenever it fires, and the chain goes on with its result.",
    (a) => ({ kinds: withFail(a, ["map", "fired", "pending", "recover", "rethrow", "both"]) }),
  ),
  chainLaw(
    "cancellation reach",
    "cancel() on an unfired chain calls its canceller and fails it with a cancellation; on a chain waiting on a step's handle, it reaches that handle instead; on anything else it does nothing.",
    (a) => ({ kinds: withFail(a, ["map", "throw", "fired", "pending", "recover", "both"]), cancel: true }),
    "cancel",
    "isCancellation",
  ),
  chainLaw(
    "pause",
    "No step runs while the chain is paused; unpausing runs what was held back, in order.",
    (a) => ({ kinds: withFail(a, ["map", "throw", "fired", "pending", "recover", "both"]), pause: true }),
    "pause",
    "unpause",
  ),
  {
    name: "combinator order: all",
    description: "all() gives every value in input order, whatever order the inputs fire in, or the first error in time.",
    applies: (a) => has(a, "all"),
    property: (a) => traceProperty(combinatorScenario("all"), modelCombinator, (s) => runCombinator(a, s)),
  },
  {
    name: "combinator order: any",
    description: "any() gives the first value in time, and fails only once every input failed.",
    applies: (a) => has(a, "any"),
    property: (a) => traceProperty(combinatorScenario("any"), modelCombinator, (s) => runCombinator(a, s)),
  },
  {
    name: "clock order",
    description: "Every call runs once, when the clock reaches its time, in (time, scheduling) order; a cancelled call never runs.",
    applies: (a) => has(a, "clock"),
    property: (a) => traceProperty(clockSchedule(), modelClock, (cs) => runClock(a, cs)),
  },
  {
    name: "lock fairness",
    description: "One holder at a time; waiters get the lock first come, first served; a cancelled waiter never gets it.",
    applies: (a) => has(a, "lock"),
    property: (a) => traceProperty(lockCommands({ cancel: has(a, "cancel", "isCancellation") }), (cs) => modelLock(1, cs), (cs) => runLock(a, 1, cs)),
  },
  {
    name: "semaphore fairness",
    description: "At most `tokens` holders at a time (here 2); waiters served first come, first served; a cancelled waiter never.",
    applies: (a) => has(a, "semaphore"),
    property: (a) => traceProperty(lockCommands({ cancel: has(a, "cancel", "isCancellation") }), (cs) => modelLock(2, cs), (cs) => runLock({ ...a, lock: undefined }, 2, cs)),
  },
  {
    name: "queue conservation",
    description: "Every value put is got exactly once, in order, by the gets in the order they were made; a cancelled get takes nothing.",
    applies: (a) => has(a, "queue"),
    property: (a) => traceProperty(queueCommands({ cancel: has(a, "cancel", "isCancellation") }), modelQueue, (cs) => runQueue(a, cs)),
  },
];

/**
 * Every law's name, in the order `checkDeferredLaws` runs them.
 *
 * @example
 * ```ts
 * LAW_NAMES.length; // => 11
 * LAW_NAMES[0]; // => "ordering"
 * ```
 */
export const LAW_NAMES: readonly LawName[] = LAWS.map((l) => l.name);

function assertLawOptions(options: unknown): asserts options is LawOptions {
  assertOptions(options);
  if (options === undefined) return;
  const o = options as Record<string, unknown>;
  if (o.numRuns !== undefined) assertCount(o.numRuns, "options.numRuns", 1);
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) {
    throw new TypeError(`Expected \`options.seed\` to be an integer, got ${formatValue(o.seed)}`);
  }
  if (o.path !== undefined && typeof o.path !== "string") {
    throw new TypeError(`Expected \`options.path\` to be a string, got ${formatValue(o.path)}`);
  }
  if (o.only !== undefined) assertArray(o.only, "options.only");
}

/**
 * The laws that apply to `adapter` (those whose optional members it has), each ready to run:
 * one test per law in any test runner.
 *
 * @example
 * ```ts
 * for (const law of deferredLaws(deferkitAdapter, { numRuns: 20 })) {
 *   await law.check(); // in a test runner: it(law.name, () => law.check())
 * }
 * ```
 */
export function deferredLaws<H>(adapter: DeferredAdapter<H>, options?: LawOptions): Law[] {
  assertAdapter(adapter);
  assertLawOptions(options);
  const a = adapter as DeferredAdapter<unknown>;
  const only = options?.only;
  if (only !== undefined) {
    for (const name of only) {
      const spec = LAWS.find((l) => l.name === name);
      if (spec === undefined) throw new RangeError(`Expected \`options.only\` to name laws among ${LAW_NAMES.join(", ")}, got ${formatValue(name)}`);
      if (!spec.applies(a)) throw new RangeError(`The law "${name}" does not apply to ${a.name}: the adapter lacks what it needs`);
    }
  }
  const params: fc.Parameters<[unknown]> = {};
  if (options?.numRuns !== undefined) params.numRuns = options.numRuns;
  if (options?.seed !== undefined) params.seed = options.seed;
  if (options?.path !== undefined) params.path = options.path;
  return LAWS.filter((l) => l.applies(a) && (only === undefined || only.includes(l.name))).map((l) => ({
    name: l.name,
    description: l.description,
    async check() {
      const details = await fc.check(l.property(a), params);
      if (details.failed) {
        const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        throw new Error(`The law "${l.name}" does not hold for ${a.name}: ${l.description}\n${fc.defaultReportMessage(details)}\n\nWhy: ${why}`);
      }
    },
  }));
}

/**
 * Runs every law that applies to `adapter` (see `deferredLaws`) and resolves with their names;
 * rejects at the first that fails, with the seed, the path and the shrunk counterexample.
 *
 * @example
 * ```ts
 * const checked = await checkDeferredLaws(promiseAdapter, { numRuns: 20 });
 * // checked: ["ordering", "failure propagation", "chaining", "combinator order: all", "combinator order: any"]
 * ```
 */
export function checkDeferredLaws<H>(adapter: DeferredAdapter<H>, options?: LawOptions): Promise<LawName[]> {
  // Bad arguments throw here, synchronously, rather than as a rejection.
  const laws = deferredLaws(adapter, options);
  return (async () => {
    for (const law of laws) await law.check();
    return laws.map((l) => l.name);
  })();
}
