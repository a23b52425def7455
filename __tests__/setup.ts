// Tests create failed Deferreds on purpose and drop some of them; when the garbage collector
// finds those, the default handler would print "Unhandled error in Deferred" into the test
// output. Collect them instead; the tests of the hook itself install their own handler.
import fc from "fast-check";
import { onUnhandledFailure } from "../src/index.js";
import { FC_NUM_RUNS } from "./laws/runs.js";

onUnhandledFailure(() => {});

// The laws explore new inputs on every local run (fast-check prints the seed of a failure;
// pin what it finds under `regressions`). CI replays one fixed seed so that a submission's
// result does not depend on luck; `npm run test:fuzz` runs them long, with fresh seeds.
// FC_NUM_RUNS sets the runs of a property without parameters here; a law with a count of its
// own scales it by FC_NUM_RUNS through runs() (__tests__/laws/runs.ts).
const seed = process.env.FC_SEED ?? (process.env.CI ? "20261126" : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
if (FC_NUM_RUNS !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), numRuns: FC_NUM_RUNS });
