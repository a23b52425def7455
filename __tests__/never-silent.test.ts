// Failures are never silent (issue 12): for each public entry point, a failure that nobody
// handles reaches onUnhandledFailure once its Deferred is collected, and a handled one does
// not. Each case builds its Deferreds inside a function, so that nothing keeps them alive.
import {
  Clock,
  Deferred,
  DeferredList,
  DeferredLock,
  DeferredQueue,
  DeferredSemaphore,
  fail,
  gatherResults,
  inlineCallbacks,
  LoopingCall,
  maybeDeferred,
  onUnhandledFailure,
  race,
  succeed,
  type Failure,
} from "../src/index.js";
import { collectGarbage } from "./helpers.js";

type Case = [name: string, unhandled: () => void, handled: () => void];

const boom = (): never => {
  throw new Error("boom");
};

const cases: Case[] = [
  ["a step that throws", () => void succeed(1).addCallback(boom), () => void succeed(1).addCallback(boom).addErrback(() => 0)],
  ["errback()", () => void new Deferred().errback(new Error("boom")), () => void fail(new Error("boom")).addErrback(() => 0)],
  ["maybeDeferred()", () => void maybeDeferred(boom), () => void maybeDeferred(boom).addErrback(() => 0)],
  [
    "gatherResults()",
    () => void gatherResults([fail(new Error("boom"))], true),
    () => void gatherResults([fail(new Error("boom"))], true).addErrback(() => 0),
  ],
  [
    "DeferredList with fireOnOneErrback",
    () => void new DeferredList([fail(new Error("boom"))], { fireOnOneErrback: true, consumeErrors: true }),
    () => void new DeferredList([fail(new Error("boom"))], { fireOnOneErrback: true, consumeErrors: true }).addErrback(() => 0),
  ],
  ["race()", () => void race([fail(new Error("boom"))]), () => void race([fail(new Error("boom"))]).addErrback(() => 0)],
  [
    "an inlineCallbacks coroutine",
    () => void inlineCallbacks(function* () {
      yield succeed(1);
      boom();
    })(),
    () =>
      void inlineCallbacks(function* () {
        yield succeed(1);
        boom();
      })().addErrback(() => 0),
  ],
  [
    "a cancelled lock waiter",
    () => {
      const lock = new DeferredLock();
      void lock.acquire();
      lock.acquire().cancel();
    },
    () => {
      const lock = new DeferredLock();
      void lock.acquire();
      lock.acquire().addErrback(() => 0).cancel();
    },
  ],
  [
    "a semaphore's run() whose function fails",
    () => void new DeferredSemaphore(1).run(boom),
    () => void new DeferredSemaphore(1).run(boom).addErrback(() => 0),
  ],
  [
    "a cancelled queue get",
    () => new DeferredQueue<number>().get().cancel(),
    () => new DeferredQueue<number>().get().addErrback(() => 0).cancel(),
  ],
  [
    "addTimeout",
    () => {
      const clock = new Clock();
      void new Deferred().addTimeout(10, clock);
      clock.advance(10);
    },
    () => {
      const clock = new Clock();
      void new Deferred().addTimeout(10, clock).addErrback(() => 0);
      clock.advance(10);
    },
  ],
  [
    "a LoopingCall whose function throws",
    () => {
      const loop = new LoopingCall(boom);
      loop.clock = new Clock();
      void loop.start(10);
    },
    () => {
      const loop = new LoopingCall(boom);
      loop.clock = new Clock();
      void loop.start(10).addErrback(() => 0);
    },
  ],
];

describe.each(cases)("%s", (_name, unhandled, handled) => {
  let reports: Failure[];
  let restore: ReturnType<typeof onUnhandledFailure>;
  beforeEach(() => {
    reports = [];
    restore = onUnhandledFailure((f) => void reports.push(f));
  });
  afterEach(() => void onUnhandledFailure(restore));

  it("reports an unhandled failure once its Deferreds are collected", async () => {
    unhandled();
    await collectGarbage();
    expect(reports.length).toBe(1);
  });

  it("reports nothing when the failure is handled", async () => {
    handled();
    await collectGarbage();
    expect(reports).toEqual([]);
  });
});
