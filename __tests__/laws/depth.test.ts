import fc from "fast-check";
import { Deferred } from "../../src/index.js";
import { failureResultOf, successResultOf } from "../../src/testing.js";
import { runs } from "./runs.js";

// The contract asks for waits of any depth without recursion (a million must not overflow the
// stack); these laws go to 100,000 to stay fast. Runs are few: each deep case builds up to
// 100,001 Deferreds.
const MAX_DEPTH = 100_000;
const INNER = 42;
/** Runs of a law whose cases go up to MAX_DEPTH deep (tens of ms each). */
const DEEP_RUNS = runs(12);

type Order = "innermost-first" | "outermost-first" | "random";

/** mulberry32: a small seeded PRNG, so that a random order of 100,001 items is one integer to shrink. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The indices 0..n in the given order; "random" is a Fisher-Yates shuffle seeded by `seed`. */
function indices(n: number, order: Order, seed: number): number[] {
  const xs = Array.from({ length: n + 1 }, (_, i) => (order === "innermost-first" ? n - i : i));
  if (order === "random") {
    const rnd = prng(seed);
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
  }
  return xs;
}

interface NestedCase {
  depth: number;
  order: Order;
  seed: number;
  innerOk: boolean;
  /** Each level also adds 1 after its wait, so every level must resume, not only the outermost. */
  stepAfter: boolean;
}

/**
 * ds[0] waits on ds[1], which waits on ds[2], ... ds[depth]: each ds[i]'s step returns ds[i+1],
 * still pending when built. The Deferreds are then fired one by one in `order`.
 */
function nestedWaits(c: NestedCase): { outer: Deferred<number>; error: Error } {
  const ds = Array.from({ length: c.depth + 1 }, () => new Deferred<number>());
  for (let i = 0; i < c.depth; i++) {
    const next = ds[i + 1]!;
    ds[i]!.addCallback(() => next);
    if (c.stepAfter) ds[i]!.addCallback((n) => n + 1);
  }
  const error = new Error("innermost failed");
  for (const k of indices(c.depth, c.order, c.seed)) {
    if (k < c.depth) ds[k]!.callback(-1);
    else if (c.innerOk) ds[k]!.callback(INNER);
    else ds[k]!.errback(error);
  }
  return { outer: ds[0]!, error };
}

function checkNested(c: NestedCase): void {
  let built!: { outer: Deferred<number>; error: Error };
  expect(() => (built = nestedWaits(c))).not.toThrow();
  if (c.innerOk) expect(successResultOf(built.outer)).toBe(INNER + (c.stepAfter ? c.depth : 0));
  else expect(failureResultOf(built.outer).value).toBe(built.error);
}

interface ChainCase {
  depth: number;
  order: Order;
  seed: number;
  /** How many chainDeferred links are made before ds[0] fires (clamped to depth). */
  fireAfter: number;
  ok: boolean;
}

/** ds[0].chainDeferred(ds[1]), ds[1].chainDeferred(ds[2]), ... made in `order`, ds[0] fired among them. */
function chainDeferreds(c: ChainCase): { ds: Deferred<number>[]; error: Error } {
  const ds = Array.from({ length: c.depth + 1 }, () => new Deferred<number>());
  const error = new Error("first failed");
  const fire = (): void => (c.ok ? ds[0]!.callback(INNER) : ds[0]!.errback(error));
  const links = indices(c.depth - 1, c.order, c.seed);
  const fireAfter = Math.min(c.fireAfter, links.length);
  links.forEach((i, k) => {
    if (k === fireAfter) fire();
    ds[i]!.chainDeferred(ds[i + 1]!);
  });
  if (fireAfter === links.length) fire();
  return { ds, error };
}

function checkChain(c: ChainCase): void {
  let built!: { ds: Deferred<number>[]; error: Error };
  expect(() => (built = chainDeferreds(c))).not.toThrow();
  const last = built.ds[c.depth]!;
  if (c.ok) expect(successResultOf(last)).toBe(INNER);
  else expect(failureResultOf(last).value).toBe(built.error);
  // Every link carries on with undefined once it has passed its result on.
  for (let i = 0; i < c.depth; i++) {
    if (successResultOf(built.ds[i]!) !== undefined) {
      throw new Error(`ds[${i}] of ${c.depth} ends with ${String(successResultOf(built.ds[i]!))}, not undefined`);
    }
  }
}

const orderArb = fc.constantFrom<Order>("innermost-first", "outermost-first", "random");

describe("Deferreds waiting on Deferreds, nested deep", () => {
  it("deliver the innermost result at any depth up to 100,000, in any firing order, without RangeError", () => {
    // Law: for depth n in 1..100,000, ds[0] ends with ds[n]'s value (plus n when each level adds
    // 1 after its wait) or its failure, whichever order the n+1 Deferreds fire in.
    fc.assert(
      fc.property(
        fc.record({
          depth: fc.integer({ min: 1, max: MAX_DEPTH }),
          order: orderArb,
          seed: fc.integer(),
          innerOk: fc.boolean(),
          stepAfter: fc.boolean(),
        }),
        checkNested,
      ),
      DEEP_RUNS,
    );
  });

  it("deliver the innermost result at shallow depths in any firing order", () => {
    // Law: the same, at depths 1..8 where every firing order can be tried quickly.
    fc.assert(
      fc.property(
        fc.record({
          depth: fc.integer({ min: 1, max: 8 }),
          order: orderArb,
          seed: fc.integer(),
          innerOk: fc.boolean(),
          stepAfter: fc.boolean(),
        }),
        checkNested,
      ),
    );
  });

  it.each([
    ["outermost-first", false],
    ["outermost-first", true],
    ["random", true],
  ] as const)("deliver the innermost result through 100,000 waits fired %s (step after each wait: %s)", (order, stepAfter) => {
    checkNested({ depth: MAX_DEPTH, order, seed: 20241018, innerOk: true, stepAfter });
  });

  it("deliver the innermost failure through 100,000 waits fired outermost-first", () => {
    checkNested({ depth: MAX_DEPTH, order: "outermost-first", seed: 0, innerOk: false, stepAfter: true });
  });
});

describe("Deferred#chainDeferred() chains, long", () => {
  it("pass the first result to the last at any length up to 100,000, whatever order the links are made in", () => {
    // Law: for n in 1..100,000 links ds[i].chainDeferred(ds[i+1]), made in any order with ds[0]
    // fired at any point among them, ds[n] ends with ds[0]'s result and every other link with
    // undefined, without RangeError.
    fc.assert(
      fc.property(
        fc.record({
          depth: fc.integer({ min: 1, max: MAX_DEPTH }),
          order: orderArb,
          seed: fc.integer(),
          fireAfter: fc.nat({ max: MAX_DEPTH }),
          ok: fc.boolean(),
        }),
        checkChain,
      ),
      DEEP_RUNS,
    );
  });

  it("pass the first result to the last at shallow lengths, whatever order the links are made in", () => {
    // Law: the same, at lengths 1..8.
    fc.assert(
      fc.property(
        fc.record({
          depth: fc.integer({ min: 1, max: 8 }),
          order: orderArb,
          seed: fc.integer(),
          fireAfter: fc.nat({ max: 8 }),
          ok: fc.boolean(),
        }),
        checkChain,
      ),
    );
  });

  it.each([
    ["made first to last, fired after", "outermost-first", MAX_DEPTH],
    ["made last to first, fired before", "innermost-first", 0],
  ] as const)("pass the first result through 100,000 links %s", (_how, order, fireAfter) => {
    checkChain({ depth: MAX_DEPTH, order, seed: 0, fireAfter, ok: true });
  });
});

describe("regressions", () => {
  // Counterexamples found by the laws above are pinned here as plain tests (none found so far).
});
