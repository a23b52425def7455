// One scenario, run in the page against each browser build (the ES module of dist/, the
// minified ES module, the IIFE's `deferkit` global): a chain, a cancel, gatherResults, a
// deferLater on the real clock, an await, a semaphore, a coroutine and an unhandled-failure
// report. Plain JS, and only the root's exports (the IIFE has no deferkit/testing).
function equal(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** The current result of `d` if it has one now, through a step that gives it back unchanged. */
function now(d) {
  let seen = "(none)";
  d.addBoth((r) => {
    seen = r;
    return r;
  });
  return seen;
}

export async function scenario(dk) {
  const { Deferred, succeed, fail, CancelledError, Failure, realClock, deferLater, gatherResults, inlineCallbacks, DeferredSemaphore, onUnhandledFailure } = dk;
  const steps = [
    [
      "a chain runs synchronously inside callback()",
      () => {
        const seen = [];
        const d = new Deferred();
        d.addCallback((n) => n + 1).addCallback((n) => void seen.push(n));
        d.callback(41);
        equal(seen, [42], "after callback");
      },
    ],
    [
      "cancel() runs the canceller and fails with CancelledError",
      () => {
        let cancelled = 0;
        const d = new Deferred(() => cancelled++);
        d.cancel();
        const r = now(d.addErrback((f) => (CancelledError.is(f.value) ? "cancelled" : f)));
        equal([cancelled, r], [1, "cancelled"], "cancel");
      },
    ],
    [
      "gatherResults gives the results in input order",
      () => {
        const a = new Deferred();
        const g = gatherResults([a, succeed("b")]);
        a.callback("a");
        equal(now(g), ["a", "b"], "gathered");
      },
    ],
    [
      "deferLater on the real clock, then await",
      async () => {
        const started = Date.now();
        const value = await deferLater(realClock, 20, () => "later");
        equal(value, "later", "value");
        if (Date.now() - started < 15) throw new Error("fired too early");
      },
    ],
    [
      "await of a failed Deferred throws its value",
      async () => {
        const boom = new Error("boom");
        let caught;
        try {
          await fail(boom);
        } catch (e) {
          caught = e;
        }
        equal(caught === boom, true, "same error");
      },
    ],
    [
      "a semaphore lets two run at once, the third waits",
      () => {
        const sem = new DeferredSemaphore(2);
        const gates = [new Deferred(), new Deferred(), new Deferred()];
        const running = [];
        gates.forEach((g, i) => sem.run(() => (running.push(i), g)));
        equal(running, [0, 1], "two at once");
        gates[0].callback();
        equal(running, [0, 1, 2], "the third after a release");
      },
    ],
    [
      "a coroutine resumes synchronously and returns",
      () => {
        const gate = new Deferred();
        const d = inlineCallbacks(function* () {
          const a = yield succeed(1);
          const b = yield gate;
          return a + b;
        })();
        gate.callback(2);
        equal(now(d), 3, "coroutine");
      },
    ],
    [
      "an unhandled failure is reported once its Deferred is collected",
      async () => {
        const reports = [];
        const restore = onUnhandledFailure((f) => reports.push(f.getErrorMessage()));
        try {
          (() => void fail(new Error("nobody handled me")))();
          for (let i = 0; i < 100 && reports.length === 0; i++) {
            await new Promise((r) => setTimeout(r, 10));
            globalThis.gc?.();
          }
          equal(reports, ["nobody handled me"], "reports");
        } finally {
          restore();
        }
      },
    ],
  ];
  const results = [];
  for (const [name, fn] of steps) {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, error: String(e && e.stack ? e.stack : e) });
    }
  }
  void Failure;
  return results;
}
