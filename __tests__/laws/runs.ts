// How many runs each law gets. A law runs `base` times by default (fast-check's own default is
// 100; a costly law asks for fewer, a cheap one for more). FC_NUM_RUNS, when set, is the count
// for a law of the default weight, and every law scales with it: `npm run test:fuzz`
// (FC_NUM_RUNS=3000) runs each law 30 times its default, FC_NUM_RUNS=50 half of it. A law
// never passes its own `numRuns` literal (eslint forbids it here), or FC_NUM_RUNS would not
// reach it; a law without parameters gets FC_NUM_RUNS from the global configuration
// (__tests__/setup.ts).

/** fast-check's default number of runs, the weight FC_NUM_RUNS is relative to. */
const DEFAULT_RUNS = 100;

/** FC_NUM_RUNS as a positive integer, or `undefined` when unset; anything else throws. */
export const FC_NUM_RUNS: number | undefined = parseRuns(process.env.FC_NUM_RUNS);

function parseRuns(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`Expected \`FC_NUM_RUNS\` to be a positive integer, got \`${raw}\``);
  }
  return n;
}

/**
 * fast-check parameters for a law that runs `base` times by default: `base` when FC_NUM_RUNS
 * is unset, else `base * FC_NUM_RUNS / 100` rounded up (at least 1).
 */
export function runs(base: number = DEFAULT_RUNS): { numRuns: number } {
  if (FC_NUM_RUNS === undefined) return { numRuns: base };
  return { numRuns: Math.max(1, Math.ceil((base * FC_NUM_RUNS) / DEFAULT_RUNS)) };
}
