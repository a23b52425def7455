/**
 * Combinator scenarios: inputs that each succeed or fail, fired in any order, combined by the
 * adapter's `all` (every value in input order, or the first error in time) or `any` (the first
 * value in time, or an error once every input failed).
 */
import * as fc from "fast-check";
import { formatValue } from "../internal/checks.js";
import { assertArray, assertAdapter, assertMember, assertObject, snapshot, LawError, observe, settle, showValue, type DeferredAdapter, type PendingHandle } from "./adapter.js";

/** A combinator scenario: `inputs[k]` says whether input k succeeds; `order` is the firing order. */
export interface CombinatorScenario {
  /** Which of the adapter's combinators. */
  readonly combinator: "all" | "any";
  /** Whether each input succeeds (with `in<k>`) or fails (with `LawError("in<k>")`). */
  readonly inputs: readonly boolean[];
  /** The inputs' indices, in the order they fire. */
  readonly order: readonly number[];
}

/**
 * Generates scenarios for one combinator: up to 6 inputs (at least 1 for `any`, which has no
 * answer for none), each fired once, in any order.
 *
 * @example
 * ```ts
 * const [s] = fc.sample(combinatorScenario("any"), { numRuns: 1, seed: 1 });
 * s!.order.length === s!.inputs.length; // => true
 * ```
 */
export function combinatorScenario(combinator: "all" | "any"): fc.Arbitrary<CombinatorScenario> {
  assertCombinator(combinator);
  return fc
    .array(fc.boolean(), { minLength: combinator === "any" ? 1 : 0, maxLength: 6 })
    .chain((inputs) => {
      const indices = inputs.map((_, k) => k);
      return fc
        .shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length })
        .map((order) => {
          const s: CombinatorScenario = { combinator, inputs, order };
          const text = `${combinator} of [${inputs.map((ok, k) => `${k}:${ok ? "ok" : "fails"}`).join(", ")}], fired in order [${order.join(", ")}]`;
          return Object.assign(s, { [fc.toStringMethod]: () => text, toString: () => text });
        });
    });
}

function assertCombinator(c: unknown): asserts c is "all" | "any" {
  if (c !== "all" && c !== "any") throw new TypeError(`Expected \`combinator\` to be "all" or "any", got ${formatValue(c)}`);
}

function assertScenario(s: unknown): asserts s is CombinatorScenario {
  assertObject(s, "scenario");
  const t = s as Partial<CombinatorScenario>;
  if (t.combinator !== "all" && t.combinator !== "any") {
    throw new TypeError(`Expected \`scenario.combinator\` to be "all" or "any", got ${formatValue(t.combinator)}`);
  }
  assertArray(t.inputs, "scenario.inputs");
  assertArray(t.order, "scenario.order");
}

/**
 * The model's trace: the end line comes right after the event that decides the result.
 *
 * @example
 * ```ts
 * modelCombinator({ combinator: "all", inputs: [true, false], order: [1, 0] }); // => ["@ combine", "@ fire input 1", "end error in1", "@ fire input 0"]
 * ```
 */
export function modelCombinator(s: CombinatorScenario): string[] {
  assertScenario(s);
  const trace = ["@ combine"];
  const values: string[] = s.inputs.map(() => "");
  let fired = 0;
  let failed = 0;
  let decided = false;
  const decide = (line: string): void => {
    if (decided) return;
    decided = true;
    trace.push(line);
  };
  if (s.inputs.length === 0) decide("end value []");
  for (const k of s.order) {
    trace.push(`@ fire input ${k}`);
    fired++;
    const ok = s.inputs[k]!;
    values[k] = `in${k}`;
    if (!ok) failed++;
    if (s.combinator === "all") {
      if (!ok) decide(`end error in${k}`);
      else if (fired === s.inputs.length) decide(`end value [${values.join(",")}]`);
    } else if (ok) decide(`end value in${k}`);
    else if (failed === s.inputs.length) decide("end error (all failed)");
  }
  return trace;
}

/**
 * Runs a combinator scenario on an adapter and returns its trace.
 *
 * @example
 * ```ts
 * const s: CombinatorScenario = { combinator: "any", inputs: [false, true], order: [0, 1] };
 * await runCombinator(deferkitAdapter, s); // => ["@ combine", "@ fire input 0", "@ fire input 1", "end value in1"]
 * ```
 */
export function runCombinator<H>(adapter: DeferredAdapter<H>, s: CombinatorScenario): Promise<string[]> {
  assertAdapter(adapter);
  assertScenario(s);
  assertMember(adapter, s.combinator);
  return interpretCombinator(adapter, s);
}

async function interpretCombinator<H>(adapter: DeferredAdapter<H>, s: CombinatorScenario): Promise<string[]> {
  const trace = ["@ combine"];
  // Inputs a combinator cancelled (Twisted's race cancels the losers) are not fired again.
  const cancelled = new Set<number>();
  const inputs: PendingHandle<H>[] = s.inputs.map((_, k) => adapter.create(() => cancelled.add(k)));
  const handles = inputs.map((i) => i.handle);
  if (s.combinator === "all") observe(adapter, adapter.all!(handles), trace, "end");
  else {
    // `any` may fail with whatever error it likes (AggregateError, FailureGroup, the last
    // input's own error): the law is only that it fails once every input failed, not before.
    adapter.then(
      adapter.any!(handles),
      (v) => void trace.push(`end value ${showValue(v)}`),
      () => void trace.push("end error (all failed)"),
    );
  }
  if (!adapter.synchronous) await settle();
  for (const k of s.order) {
    trace.push(`@ fire input ${k}`);
    if (!cancelled.has(k)) {
      if (s.inputs[k]!) inputs[k]!.resolve(`in${k}`);
      else inputs[k]!.reject(new LawError(`in${k}`));
    }
    if (!adapter.synchronous) await settle();
  }
  return snapshot(adapter, trace);
}
