// Jest's default order, except that the test files which wait for the garbage collector to run
// finalizers (they call collectGarbage()) go first, each in a fresh worker.
//
// Why: on a fresh clone (no jest cache to reorder files), after lock, abort and queue tests had
// run in the same worker, V8 ran no FinalizationRegistry callback in that worker again: not
// deferkit's, not the control object's of collectGarbage(), for 60 s and more. The same code
// outside jest finalizes within two rounds (and so do these tests in a fresh worker): it comes
// from jest's many vm contexts in one isolate, not from deferkit.
const fs = require("node:fs");
const Sequencer = require("@jest/test-sequencer").default;

class FinalizersFirst extends Sequencer {
  sort(tests) {
    const first = [];
    const rest = [];
    for (const test of super.sort(tests)) {
      (fs.readFileSync(test.path, "utf8").includes("collectGarbage(") ? first : rest).push(test);
    }
    return [...first, ...rest];
  }
}

module.exports = FinalizersFirst;
