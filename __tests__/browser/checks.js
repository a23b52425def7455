// Checks run inside the page against the built ESM files (plain JS: no build step here).
import * as dk from "/dist/index.js";
import * as testing from "/dist/testing.js";

const { Deferred, succeed, fail, CancelledError, Failure, realClock, deferLater, gatherResults, LoopingCall, TimeoutError, inlineCallbacks, DeferredSemaphore, DeferredQueue } = dk;
const { successResultOf, failureResultOf } = testing;

function equal(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export const checks = [
  [
    "a chain runs synchronously inside callback()",
    () => {
      const seen = [];
      const d = new Deferred();
      d.addCallback((n) => n * 2).addCallback((n) => seen.push(n));
      equal(seen, [], "before firing");
      d.callback(21);
      equal(seen, [42], "after firing");
    },
  ],
  [
    "a thrown error switches to the errbacks and await throws the same value",
    async () => {
      const boom = new Error("boom");
      const d = succeed(1).addCallback(() => {
        throw boom;
      });
      let caught;
      try {
        await d;
      } catch (e) {
        caught = e;
      }
      equal(caught === boom, true, "await throws the thrown value");
    },
  ],
  [
    "cancel() errbacks with CancelledError",
    () => {
      const d = new Deferred();
      d.cancel();
      equal(failureResultOf(d, CancelledError).value.name, "CancelledError", "failure");
    },
  ],
  [
    "a step returning a native Promise pauses the chain until it settles",
    async () => {
      const d = succeed(1).addCallback((n) => Promise.resolve(n + 1));
      equal(d.paused, 1, "waiting");
      equal(await d, 2, "result");
      equal(successResultOf(d), 2, "chain result");
    },
  ],
  [
    "a million-deep wait fires without overflowing the stack",
    () => {
      const N = 1000000;
      const ds = [];
      for (let i = 0; i <= N; i++) ds.push(new Deferred());
      for (let i = 0; i < N; i++) {
        const next = ds[i + 1];
        ds[i].addCallback(() => next);
      }
      for (let i = 0; i < N; i++) ds[i].callback(0);
      ds[N].callback("deep");
      equal(successResultOf(ds[0]), "deep", "outermost result");
    },
  ],
  [
    "Deferred.fromPromise adopts a rejected Promise as a failure",
    async () => {
      const d = Deferred.fromPromise(Promise.reject(new TypeError("no")));
      await new Promise((r) => setTimeout(r, 0));
      equal(failureResultOf(d, TypeError).getErrorMessage(), "no", "failure");
      equal(Failure.from(d) instanceof Failure, true, "Failure.from");
      equal(fail(1).called, true, "fail");
      void fail(1).addErrback(() => null);
    },
  ],
  [
    "realClock runs deferLater on the page's own timers",
    async () => {
      const started = realClock.now();
      const value = await deferLater(realClock, 20, (a, b) => a + b, 2, 3);
      equal(value, 5, "result");
      equal(realClock.now() - started >= 15, true, "waited about 20 ms");
    },
  ],
  [
    "addTimeout on realClock fails a slow Deferred with TimeoutError",
    async () => {
      const d = new Deferred().addTimeout(10);
      let caught;
      try {
        await d;
      } catch (e) {
        caught = e;
      }
      equal(TimeoutError.is(caught), true, "TimeoutError");
    },
  ],
  [
    "a LoopingCall on realClock runs until stopped, and gatherResults collects in order",
    async () => {
      let n = 0;
      const loop = new LoopingCall(() => {
        n += 1;
        if (n === 3) loop.stop();
      });
      const done = loop.start(5);
      equal(await done, loop, "start() fires with the loop");
      equal(n, 3, "runs");
      equal(successResultOf(gatherResults([succeed(1), succeed("a")])), [1, "a"], "gatherResults");
    },
  ],
  [
    "an inlineCallbacks coroutine waits on the page's timers, and a fetch-style signal aborts with it",
    async () => {
      const steps = [];
      const co = inlineCallbacks(function* () {
        steps.push((yield deferLater(realClock, 5, () => "a")));
        try {
          yield new Deferred();
        } catch (e) {
          steps.push(e.name);
          return steps;
        }
      });
      const d = co();
      const signal = d.asSignal();
      await deferLater(realClock, 20);
      d.cancel();
      equal(await d, ["a", "CancelledError"], "steps");
      equal(signal.aborted, false, "the coroutine recovered, so its chain did not fail");
      const failing = new Deferred();
      const aborted = failing.asSignal();
      failing.cancel();
      equal(aborted.aborted && aborted.reason.name === "CancelledError", true, "AbortSignal of the page aborted");
      failing.addErrback(() => null);
    },
  ],
  [
    "a DeferredSemaphore keeps two fetches of the page's timers going at a time, and a queue feeds for-await",
    async () => {
      const semaphore = new DeferredSemaphore(2);
      let running = 0;
      let most = 0;
      const work = (n) => {
        running++;
        most = Math.max(most, running);
        return deferLater(realClock, 2, () => {
          running--;
          return n * 10;
        });
      };
      const results = await gatherResults([1, 2, 3, 4, 5].map((n) => semaphore.run(work, n)));
      equal(results, [10, 20, 30, 40, 50], "results");
      equal(most, 2, "most running at once");
      equal(semaphore.tokens, 2, "tokens free at the end");
      const queue = new DeferredQueue();
      setTimeout(() => ["x", "y", "end"].forEach((item) => queue.put(item)), 1);
      const got = [];
      for await (const item of queue) {
        if (item === "end") break;
        got.push(item);
      }
      equal(got, ["x", "y"], "items in order");
      equal(queue.waiting, 0, "no get left waiting");
    },
  ],
];
