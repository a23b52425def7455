// Runs the Promises/A+ compliance suite (promises-aplus-tests, 872 tests) against
// Deferred#then, on the built CommonJS file, with an adapter that makes each promise with
// `new Deferred()` and settles it with `callback` / `errback`.
// Usage: node __tests__/aplus/run.cjs [counts.json]
"use strict";
const { writeFileSync } = require("node:fs");
const promisesAplusTests = require("promises-aplus-tests");
const { Deferred, onUnhandledFailure } = require("../../dist/index.cjs");

// The suite rejects many promises that it never observes; those are not bugs here.
onUnhandledFailure(() => {});

function thenOf(v) {
  if ((typeof v !== "object" && typeof v !== "function") || v === null) return undefined;
  const then = v.then;
  return typeof then === "function" ? then : undefined;
}

const adapter = {
  deferred() {
    const d = new Deferred();
    // The adapter's resolve/reject are one-shot, like a Promise executor's; a Deferred
    // deliberately throws AlreadyCalledError on a second callback()/errback() instead.
    let settled = false;
    const once = (fn) => (x) => {
      if (!settled) {
        settled = true;
        fn(x);
      }
    };
    // [[Resolve]] with another Deferred adopts its outcome (callback() refuses a Deferred):
    // observe it without changing its chain, as `then` would. Any other thenable is refused by
    // callback() too; Deferred.fromPromise adopts it, which is [[Resolve]]'s 2.3.3.
    const resolve = once((v) => {
      if (v instanceof Deferred) v.addCallbacks((x) => (d.callback(x), x), (f) => (d.errback(f), f));
      else {
        let then; // read once: the suite has `then` getters that work only once, or throw
        try {
          then = thenOf(v);
        } catch (e) {
          d.errback(e);
          return;
        }
        if (then) Deferred.fromPromise({ then: (f, r) => then.call(v, f, r) }).chainDeferred(d);
        else d.callback(v);
      }
    });
    return { promise: d, resolve, reject: once((r) => d.errback(r)) };
  },
};

const counts = { passed: 0, failed: 0, skipped: 0 };
function Reporter(runner) {
  runner.on("pass", () => counts.passed++);
  runner.on("pending", () => counts.skipped++);
  runner.on("fail", (test, err) => {
    counts.failed++;
    console.log(`  FAIL ${test.fullTitle()}\n    ${err && err.message}`);
  });
}

promisesAplusTests(adapter, { reporter: Reporter }, () => {
  console.log(`promises-aplus: ${counts.passed} passed, ${counts.failed} failed`);
  if (process.argv[2]) writeFileSync(process.argv[2], JSON.stringify(counts));
  process.exitCode = counts.failed ? 1 : 0;
});
