// deferkit/laws, the property-testing kit: deferkit passes every law, native Promise the subset
// that applies, and deliberately broken adapters are caught, each with a shrunk counterexample.
import * as fc from "fast-check";
import { Deferred, Failure, fail } from "../../src/index.js";
import { flushUnhandledFailures } from "../../src/testing.js";
import {
  LAW_NAMES,
  chainProgram,
  clockSchedule,
  checkDeferredLaws,
  deferkitAdapter,
  deferredLaws,
  modelChain,
  modelLock,
  modelClock,
  modelCombinator,
  modelQueue,
  promiseAdapter,
  queueCommands,
  lockCommands,
  runClock,
  runCombinator,
  runLock,
  runQueue,
  runChain,
  type ChainProgram,
  type ChainProgramOptions,
  type ClockCommand,
  type CombinatorScenario,
  type DeferredAdapter,
  type LawName,
  type LockCommand,
} from "../../src/laws.js";
import { model, type Step } from "./model.js";
import { runs } from "./runs.js";

type D = Deferred<unknown>;

describe("deferkit against every law of the kit", () => {
  it("has every law apply to it", () => {
    expect(deferredLaws(deferkitAdapter).map((l) => l.name)).toEqual(LAW_NAMES);
  });

  it.each(deferredLaws(deferkitAdapter).map((l) => [l.name, l] as const))("obeys %s", async (_name, law) => {
    await law.check();
  });

  it("leaves no failure unhandled behind a whole run of the laws", async () => {
    flushUnhandledFailures();
    await checkDeferredLaws(deferkitAdapter, runs(20));
    expect(flushUnhandledFailures()).toEqual([]);
  });
});

describe("native Promise against the subset of the laws that applies", () => {
  it("is checked for chains, all and any only", async () => {
    await expect(checkDeferredLaws(promiseAdapter, runs(5))).resolves.toEqual([
      "ordering",
      "failure propagation",
      "chaining",
      "combinator order: all",
      "combinator order: any",
    ]);
  });

  it.each(deferredLaws(promiseAdapter).map((l) => [l.name, l] as const))("obeys %s", async (_name, law) => {
    await law.check();
  });
});

// ---------------------------------------------------------------------------------------------
// Broken implementations: each is deferkit with one plausible bug, and one law catches it.
// ---------------------------------------------------------------------------------------------

/** Steps added before the chain fires are kept in a list whose pairs run swapped. */
function swapsPairs(): DeferredAdapter<D> {
  const queued = new WeakMap<D, (() => void)[]>();
  return {
    ...deferkitAdapter,
    name: "swaps each pair of steps added before it fires",
    create(onCancel) {
      const p = deferkitAdapter.create(onCancel);
      const flush = (): void => {
        const list = queued.get(p.handle) ?? [];
        queued.delete(p.handle);
        for (let i = 0; i + 1 < list.length; i += 2) [list[i], list[i + 1]] = [list[i + 1]!, list[i]!];
        for (const add of list) add();
      };
      return { handle: p.handle, resolve: (v) => (flush(), p.resolve(v)), reject: (e) => (flush(), p.reject(e)) };
    },
    then(d, onValue, onError) {
      if (d.called) return deferkitAdapter.then(d, onValue, onError);
      const list = queued.get(d) ?? [];
      queued.set(d, list);
      list.push(() => {
        deferkitAdapter.then(d, onValue, onError);
      });
      return d;
    },
  };
}

/** Fires in a microtask, while saying it is synchronous (a Promise dressed as a Deferred). */
const firesLate: DeferredAdapter<D> = {
  ...deferkitAdapter,
  name: "fires a microtask late",
  create(onCancel) {
    const p = deferkitAdapter.create(onCancel);
    return {
      handle: p.handle,
      resolve: (v) => queueMicrotask(() => p.resolve(v)),
      reject: (e) => queueMicrotask(() => p.reject(e)),
    };
  },
};

/** A step that throws hands on `undefined` instead of the error. */
const dropsThrown: DeferredAdapter<D> = {
  ...deferkitAdapter,
  name: "turns a thrown error into undefined",
  then: (d, onValue, onError) =>
    deferkitAdapter.then(
      d,
      onValue &&
        ((v) => {
          try {
            return onValue(v);
          } catch {
            return undefined;
          }
        }),
      onError,
    ),
};

/** cancel() only reaches a chain that has not fired: never what it waits on. */
const shallowCancel: DeferredAdapter<D> = {
  ...deferkitAdapter,
  name: "cancels only an unfired chain",
  cancel: (d) => {
    if (!d.called) d.cancel();
  },
};

/** A queue that hands a value to a get cancelled earlier, losing it. */
function queueLosesToCancelled(): DeferredAdapter<D> {
  return {
    ...deferkitAdapter,
    name: "queue that serves cancelled gets",
    queue() {
      const values: unknown[] = [];
      const gets: { d: D; fire(v: unknown): void }[] = [];
      return {
        put(v) {
          const g = gets.shift();
          if (g === undefined) values.push(v);
          else g.fire(v); // a cancelled get swallows it
        },
        get() {
          const p = deferkitAdapter.create();
          if (values.length > 0) p.resolve(values.shift());
          else gets.push({ d: p.handle, fire: (v) => (p.handle.called ? undefined : p.resolve(v)) });
          return p.handle;
        },
      };
    },
  };
}

/** pause() and unpause() do nothing: steps run while the chain is paused. */
const ignoresPause: DeferredAdapter<D> = {
  ...deferkitAdapter,
  name: "pause that holds nothing back",
  pause: () => {},
  unpause: () => {},
};

/** A step's returned handle is handed to the next step as a value: the chain never waits. */
const passesHandlesOn: DeferredAdapter<D> = {
  ...deferkitAdapter,
  name: "passes a returned handle on as a value",
  then(d, onValue, onError) {
    const box = (r: unknown): unknown => {
      if (!(r instanceof Deferred)) return r;
      r.addErrback(() => {}); // nobody else will see its failure
      return { handle: r };
    };
    return deferkitAdapter.then(d, onValue && ((v) => box(onValue(v))), onError && ((e) => box(onError(e))));
  },
};

/** A lock that hands itself to a waiter cancelled meanwhile, and so stays held for ever. */
function lockServesCancelled(): DeferredAdapter<D> {
  return {
    ...deferkitAdapter,
    name: "lock that serves cancelled waiters",
    lock() {
      let held = false;
      const waiting: D[] = [];
      return {
        acquire() {
          const d = new Deferred<unknown>();
          if (held) waiting.push(d);
          else {
            held = true;
            d.callback(undefined);
          }
          return d;
        },
        release() {
          const next = waiting.shift();
          if (next === undefined) held = false;
          else if (!next.called) next.callback(undefined);
        },
      };
    },
  };
}

/** all() of no inputs never fires (it waits for an input to fire first). */
const allOfNothingHangs: DeferredAdapter<D> = {
  ...deferkitAdapter,
  name: "all() of nothing that never fires",
  all: (ds) => (ds.length === 0 ? new Deferred<unknown>() : deferkitAdapter.all!(ds)),
};

/** any() that fails with the last input's own error once every input failed: allowed. */
const anyFailsWithLastError: DeferredAdapter<D> = {
  ...deferkitAdapter,
  name: "any() failing with the last error",
  any(ds) {
    const out = new Deferred<unknown>();
    let failed = 0;
    for (const d of ds) {
      d.addCallbacks(
        (v) => void (out.called ? undefined : out.callback(v)),
        (f: Failure) => void (++failed === ds.length && !out.called ? out.errback(f) : undefined),
      );
    }
    return out;
  },
};

async function failureOf(adapter: DeferredAdapter<D>, law: LawName): Promise<string> {
  // A budget to find the bug in, not a speed setting: a lowered FC_NUM_RUNS (npm run mutate
  // sets 25) must not let a broken implementation through by luck of the seed.
  const floor = Math.max(runs().numRuns, 100);
  try {
    // eslint-disable-next-line no-restricted-syntax -- a floor over FC_NUM_RUNS, see above
    await deferredLaws(adapter, { only: [law], numRuns: floor })[0]!.check();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`the law "${law}" did not catch ${adapter.name}`);
}

describe("broken implementations, each caught with a shrunk counterexample", () => {
  it("catches steps run out of order: two steps, added then fired", async () => {
    const message = await failureOf(swapsPairs(), "ordering");
    expect(message).toContain(`The law "ordering" does not hold for swaps each pair of steps added before it fires`);
    expect(message).toMatch(/seed: -?\d+, path: "[\d:]+"/);
    expect(message).toMatch(/Counterexample: \[chain fired with init; steps \[0:[\w()]+, 1:[\w()]+\]; events \[add the steps, fire[^\]]*\]\]/);
    expect(message).toMatch(/model: +step 0 got value init\n +implementation: step 1 got value init/);
  });

  it("catches a 'synchronous' implementation whose steps run a microtask after the firing", async () => {
    const message = await failureOf(firesLate, "ordering");
    expect(message).toMatch(/Counterexample: \[chain fired with init; steps \[\]; events \[add the steps, fire\]\]/);
    expect(message).toMatch(/model: +end value init\n +implementation: \(nothing more\)/);
  });

  it("catches a dropped failure: a thrown error that never reaches the end", async () => {
    const message = await failureOf(dropsThrown, "failure propagation");
    expect(message).toMatch(/Counterexample: \[chain fired with init; steps \[0:throw\]; events \[add the steps, fire\]\]/);
    expect(message).toMatch(/model: +end error t0\n +implementation: end value <undefined: undefined>/);
  });

  it("catches a cancel that does not reach the Deferred the chain waits on", async () => {
    const message = await failureOf(shallowCancel, "cancellation reach");
    expect(message).toMatch(/steps \[0:pending\(\w+\)\]; events \[add the steps, fire, cancel, fire step 0's handle\]/);
    expect(message).toMatch(/model: +cancel reached step 0's handle\n +implementation: @ fire step 0's handle/);
  });

  it("catches a queue that loses a value to a cancelled get", async () => {
    const message = await failureOf(queueLosesToCancelled(), "queue conservation");
    expect(message).toMatch(/Counterexample: \[queue \[get, cancel waiting\[0\], put\]\]/);
  });

  it("catches a pause that holds nothing back", async () => {
    const message = await failureOf(ignoresPause, "pause");
    expect(message).toMatch(/events \[[^\]]*pause[^\]]*unpause\]/);
  });

  it("catches a step's handle passed on as a value instead of waited on", async () => {
    const message = await failureOf(passesHandlesOn, "chaining");
    expect(message).toMatch(/Counterexample: \[chain fired with init; steps \[0:(fired|pending)\(\w+\)(, 1:\w+)?\]/);
    expect(message).toContain("<object: [object Object]>");
  });

  it("catches a lock that serves a waiter cancelled meanwhile", async () => {
    const message = await failureOf(lockServesCancelled(), "lock fairness");
    expect(message).toMatch(/Counterexample: \[lock \[acquire, acquire, [^\n]*cancel waiting\[\d\][^\n]*\]\]/);
    expect(message).toMatch(/model: +#\d holds\n +implementation: /);
  });

  it("catches all() of no inputs that never fires", async () => {
    const message = await failureOf(allOfNothingHangs, "combinator order: all");
    expect(message).toContain("Counterexample: [all of [], fired in order []]");
    expect(message).toMatch(/model: +end value \[\]\n +implementation: \(nothing more\)/);
  });

  it("says where the traces part: the line's number, and each trace with that line marked", async () => {
    const message = await failureOf(dropsThrown, "failure propagation");
    const at = Number(/the trace parts from the model's at line (\d+):/.exec(message)?.[1]);
    const traces = /model's trace:\n([\s\S]*?)\nimplementation's trace:\n([\s\S]*)$/.exec(message);
    expect(traces).not.toBeNull();
    for (const block of [traces![1]!, traces![2]!]) {
      const lines = block.split("\n");
      expect(lines.map((l, i) => [i + 1, l.slice(0, 4)]).filter(([, mark]) => mark === "  > ")).toEqual([[at, "  > "]]);
      expect(lines.every((l) => /^ {2}[> ] \S/.test(l))).toBe(true);
    }
    expect(message).toContain(`  model:          ${traces![1]!.split("\n")[at - 1]!.slice(4)}\n  implementation: ${traces![2]!.split("\n")[at - 1]!.slice(4)}`);
  });

  it("replays a failure from the seed and path its message gives", async () => {
    const message = await failureOf(dropsThrown, "failure propagation");
    const [, seed, path] = /seed: (-?\d+), path: "([\d:]+)"/.exec(message)!;
    const replay = deferredLaws(dropsThrown, { only: ["failure propagation"], seed: Number(seed), path })[0]!;
    await expect(replay.check()).rejects.toThrow(/Property failed after 1 tests/);
  });
});

// A law judges what its description names and nothing else: an implementation broken
// elsewhere passes it, so that the law that fails names what is broken.
describe("each law judges only what it is about", () => {
  const passes: [DeferredAdapter<D>, LawName[]][] = [
    [ignoresPause, ["ordering", "failure propagation", "chaining", "cancellation reach"]],
    [dropsThrown, ["ordering", "chaining"]],
    [passesHandlesOn, ["failure propagation"]],
    [anyFailsWithLastError, ["combinator order: any"]],
    [allOfNothingHangs, ["combinator order: any"]],
  ];
  it.each(passes.map(([adapter, laws]) => [adapter.name, adapter, laws] as const))("%s passes the laws it does not break", async (_name, adapter, laws) => {
    for (const law of deferredLaws(adapter, { only: laws, ...runs(100) })) await law.check();
  });
});

/**
 * deferkit with every clock call, lock grant, queue hand-off and combined result delivered a
 * macrotask late: right for an adapter that says it is asynchronous, wrong for one that says
 * it is synchronous.
 */
function macrotaskLate(synchronous: boolean): DeferredAdapter<D> {
  const later = (real: D): D => {
    const out = new Deferred<unknown>(() => real.cancel());
    real.addBoth((r: unknown) => {
      setImmediate(() => {
        if (out.called) return; // cancelled meanwhile
        if (r instanceof Failure) out.errback(r);
        else out.callback(r);
      });
    });
    return out;
  };
  return {
    ...deferkitAdapter,
    name: `delivers a macrotask late (synchronous: ${synchronous})`,
    synchronous,
    all: (ds) => later(deferkitAdapter.all!(ds)),
    any: (ds) => later(deferkitAdapter.any!(ds)),
    clock() {
      const clock = deferkitAdapter.clock!();
      return { callLater: (ms, fn) => clock.callLater(ms, () => void setImmediate(fn)), advance: (ms) => clock.advance(ms) };
    },
    lock() {
      const lock = deferkitAdapter.lock!();
      return { acquire: () => later(lock.acquire()), release: () => lock.release() };
    },
    semaphore(tokens) {
      const semaphore = deferkitAdapter.semaphore!(tokens);
      return { acquire: () => later(semaphore.acquire()), release: () => semaphore.release() };
    },
    queue() {
      const queue = deferkitAdapter.queue!();
      return { put: (v) => queue.put(v), get: () => later(queue.get()) };
    },
  };
}

/** Each law's counterexample as fast-check prints it: the generated program, readable. */
const LOCK_COUNTEREXAMPLE = /Counterexample: \[lock \[((acquire|release|cancel waiting\[\d\])(, )?)+\]\]/;
const COUNTEREXAMPLE: Record<string, RegExp> = {
  "combinator order: all": /Counterexample: \[all of \[(\d:(ok|fails)(, )?)*\], fired in order \[[\d, ]*\]\]/,
  "combinator order: any": /Counterexample: \[any of \[(\d:(ok|fails)(, )?)+\], fired in order \[[\d, ]+\]\]/,
  "clock order": /Counterexample: \[clock \[((call in \d+|cancel #\d+|advance \d+)(, )?)+\]\]/,
  "lock fairness": LOCK_COUNTEREXAMPLE,
  "semaphore fairness": LOCK_COUNTEREXAMPLE,
  "queue conservation": /Counterexample: \[queue \[((put|get|cancel waiting\[\d\])(, )?)+\]\]/,
};
const LATE_LAWS = Object.keys(COUNTEREXAMPLE) as LawName[];

describe("time between events: an asynchronous adapter gets it, a synchronous one none", () => {
  it.each(LATE_LAWS)("passes %s with results a macrotask late when the adapter says it is asynchronous", async (law) => {
    await deferredLaws(macrotaskLate(false), { only: [law], ...runs(30) })[0]!.check();
  });

  it.each(LATE_LAWS)("fails %s with results a macrotask late when the adapter says it is synchronous", async (law) => {
    const message = await failureOf(macrotaskLate(true), law);
    expect(message).toContain(`The law "${law}" does not hold for delivers a macrotask late (synchronous: true)`);
    expect(message).toMatch(COUNTEREXAMPLE[law]!);
  });
});

describe("the kit's lock and queue models", () => {
  it("cancel the waiter at the given place in the line, oldest first, modulo its length", () => {
    const acquires = [{ op: "acquire" }, { op: "acquire" }, { op: "acquire" }, { op: "acquire" }] as const;
    // #0 holds; #1, #2, #3 wait. Place 1 is #2; then place 3 of [#1, #3] is 3 mod 2 = 1: #3.
    const trace = modelLock(1, [...acquires, { op: "cancel", waiter: 1 }, { op: "cancel", waiter: 3 }]);
    expect(trace.filter((l) => l.startsWith("@ cancel"))).toEqual(["@ cancel #2", "@ cancel #3"]);
    const gets = modelQueue([{ op: "get" }, { op: "get" }, { op: "get" }, { op: "cancel", getter: 5 }, { op: "put" }]);
    expect(gets.filter((l) => l.includes("cancel") || l.includes("got"))).toEqual(["@ cancel get #2", "get #2 cancelled", "get #0 got v0"]);
  });

  it("cancel nothing when no one waits", () => {
    expect(modelLock(1, [{ op: "cancel", waiter: 2 }, { op: "acquire" }])).toEqual(["@ acquire #0", "#0 holds", "@ release everything", "@ release by #0"]);
  });
});

describe("the kit's lock and queue runners", () => {
  const acquires: LockCommand[] = [{ op: "acquire" }, { op: "acquire" }, { op: "acquire" }];

  it("run a 1-token lock on the semaphore when the adapter has no lock", async () => {
    const semaphoreOnly: DeferredAdapter<D> = { ...deferkitAdapter, lock: undefined };
    await expect(runLock(semaphoreOnly, 1, acquires)).resolves.toEqual(modelLock(1, acquires));
  });

  it("run more tokens on the semaphore even when the adapter has a lock", async () => {
    await expect(runLock(deferkitAdapter, 2, acquires)).resolves.toEqual(modelLock(2, acquires));
  });

  it("write a waiter that fails for another reason than a cancel as failed, with the error", async () => {
    const refusing: DeferredAdapter<D> = {
      ...deferkitAdapter,
      lock: () => ({ acquire: () => fail(new Error("refused")), release: () => {} }),
      queue: () => ({ put: () => {}, get: () => fail(new Error("closed")) }),
    };
    await expect(runLock(refusing, 1, [{ op: "acquire" }])).resolves.toEqual([
      "@ acquire #0",
      "#0 failed: <not a LawError: Error: refused>",
      "@ release everything",
    ]);
    await expect(runQueue(refusing, [{ op: "get" }])).resolves.toContain("get #0 failed: <not a LawError: Error: closed>");
  });

  it("leave cancel out of the lock, semaphore and queue laws of an adapter without cancel", async () => {
    const noCancel: DeferredAdapter<D> = { ...deferkitAdapter, name: "deferkit without cancel", cancel: undefined, isCancellation: undefined };
    const laws = deferredLaws(noCancel, { only: ["lock fairness", "semaphore fairness", "queue conservation"], ...runs(50) });
    for (const law of laws) await law.check();
  });
});

describe("chainProgram's options", () => {
  // A fixed sample of the arbitrary, not a law: enough programs that each option shows.
  // eslint-disable-next-line no-restricted-syntax -- a sample size, not a law's run count
  const sample = (options?: ChainProgramOptions): ChainProgram[] => fc.sample(chainProgram(options), { numRuns: 300, seed: 20261204 });
  const kindsOf = (ps: ChainProgram[]): Set<string> => new Set(ps.flatMap((p) => p.steps.map((s) => s.kind)));
  const eventsOf = (p: ChainProgram): string[] => p.events.map((e) => e.event);

  it("draws steps of the kinds asked for, all of them, and only those", () => {
    expect(kindsOf(sample({ kinds: ["map", "pending"] }))).toEqual(new Set(["map", "pending"]));
    expect(kindsOf(sample())).toEqual(new Set(["map", "throw", "fired", "pending", "recover", "rethrow", "both"]));
  });

  it("says of each fired and pending step whether its handle succeeds, both ways", () => {
    const handles = sample({ kinds: ["fired", "pending"] }).flatMap((p) => p.steps);
    expect(new Set(handles.map((s) => s.ok))).toEqual(new Set([true, false]));
  });

  it("fires the chain with a failure in some programs, and never with initialFailure: false", () => {
    expect(new Set(sample().map((p) => p.initialOk))).toEqual(new Set([true, false]));
    expect(new Set(sample({ initialFailure: false }).map((p) => p.initialOk))).toEqual(new Set([true]));
  });

  it("keeps to maxSteps, and fires each pending step's handle once", () => {
    for (const p of sample({ kinds: ["pending", "map"], maxSteps: 3 })) {
      expect(p.steps.length).toBeLessThanOrEqual(3);
      const pending = p.steps.flatMap((s, i) => (s.kind === "pending" ? [i] : []));
      expect(p.events.flatMap((e) => (e.event === "firePending" ? [e.step] : [])).sort()).toEqual(pending);
    }
  });

  it("adds one cancel with cancel: true, one pause before one unpause with pause: true, and none without", () => {
    const count = (p: ChainProgram, event: string): number => eventsOf(p).filter((e) => e === event).length;
    for (const p of sample()) expect([count(p, "cancel"), count(p, "pause"), count(p, "unpause")]).toEqual([0, 0, 0]);
    for (const p of sample({ cancel: true, pause: true })) {
      expect([count(p, "cancel"), count(p, "pause"), count(p, "unpause")]).toEqual([1, 1, 1]);
      expect(eventsOf(p).indexOf("pause")).toBeLessThan(eventsOf(p).indexOf("unpause"));
    }
  });

  it("orders the events differently from program to program: the chain fires before its steps are added in some, after in others", () => {
    const orders = new Set(sample({ kinds: ["pending"], cancel: true }).map((p) => eventsOf(p).filter((e) => e !== "firePending").join(",")));
    expect(orders).toContain("add,fire,cancel");
    expect(orders).toContain("fire,add,cancel");
    expect(orders).toContain("cancel,add,fire");
  });
});

describe("the kit's clock schedules", () => {
  it("draw calls, cancels and advances, with times that come due before the end and cancels of calls the schedule can make", () => {
    // eslint-disable-next-line no-restricted-syntax -- a sample size, not a law's run count
    const commands = fc.sample(clockSchedule(), { numRuns: 200, seed: 20261204 }).flat();
    expect(new Set(commands.map((c) => c.op))).toEqual(new Set(["call", "cancel", "advance"]));
    const most = (op: string, field: "delay" | "call" | "ms"): number => Math.max(...commands.filter((c) => c.op === op).map((c) => c[field]!));
    // A schedule has up to 20 commands: a cancel names one of up to 20 calls.
    expect([most("call", "delay"), most("cancel", "call"), most("advance", "ms")]).toEqual([50, 19, 40]);
  });

  it("hold from none up to 20 commands: 10 at fast-check's default size, 20 at a larger one", () => {
    expect(extents(() => clockSchedule())).toEqual([
      [0, 10],
      [0, 20],
    ]);
  });

  it.each([
    ["after the last command", (ms: number) => ms >= 1_000_000],
    ["after every command but the last", (ms: number) => ms < 1_000_000],
  ])("give a synchronous clock no time %s: one that runs its calls late there breaks clock order", async (_where, late) => {
    // The runner advances a clock far past every call at the end: an adapter late only there,
    // or only before it, is still late, and a synchronous one must not be given time for it.
    const adapter: DeferredAdapter<D> = {
      ...deferkitAdapter,
      name: "a clock late at times",
      clock() {
        const clock = deferkitAdapter.clock!();
        let lateNow = false;
        return {
          callLater: (ms, fn) => clock.callLater(ms, () => (lateNow ? void setImmediate(fn) : fn())),
          advance: (ms) => {
            lateNow = late(ms);
            clock.advance(ms);
          },
        };
      },
    };
    expect(await failureOf(adapter, "clock order")).toMatch(COUNTEREXAMPLE["clock order"]!);
  });

  it("print in a counterexample as the commands they hold, in order", () => {
    // eslint-disable-next-line no-restricted-syntax -- a sample size, not a law's run count
    const schedules = fc.sample(clockSchedule(), { numRuns: 50, seed: 20261205 }).filter((cs) => new Set(cs.map((c) => c.op)).size === 3);
    expect(schedules.length).toBeGreaterThan(0);
    for (const cs of schedules) {
      const each = cs.map((c) => (c.op === "call" ? `call in ${c.delay}` : c.op === "cancel" ? `cancel #${c.call}` : `advance ${c.ms}`));
      expect(fc.stringify(cs)).toBe(`clock [${each.join(", ")}]`);
    }
  });

  it("read a command without its number as 0, in the model and in the runner alike", async () => {
    const commands: ClockCommand[] = [{ op: "call" }, { op: "call", delay: 1 }, { op: "cancel" }, { op: "advance" }];
    const trace = ["@ call #0 in 0 ms", "@ call #1 in 1 ms", "@ cancel #0", "@ advance 0 ms", "@ advance to the end", "ran #1"];
    expect(modelClock(commands)).toEqual(trace);
    await expect(runClock(deferkitAdapter, commands)).resolves.toEqual(trace);
  });
});

/**
 * The shortest and longest of 500 samples, at fast-check's default size and at "large". (An
 * arbitrary takes the size in force when it is made: `make` is called under each.)
 */
function extents(make: () => fc.Arbitrary<{ length: number }>): number[][] {
  const extent = (): number[] => {
    // eslint-disable-next-line no-restricted-syntax -- a sample size, not a law's run count
    const ls = fc.sample(make(), { numRuns: 500, seed: 20261205 }).map((x) => x.length);
    return [Math.min(...ls), Math.max(...ls)];
  };
  const atDefault = extent();
  const before = fc.readConfigureGlobal();
  fc.configureGlobal({ ...before, baseSize: "large" });
  try {
    return [atDefault, extent()];
  } finally {
    fc.configureGlobal(before);
  }
}

describe("how long the generated sequences are, as their docs say", () => {
  it("lockCommands and queueCommands: up to 24, 10 at fast-check's default size", () => {
    expect(extents(() => lockCommands({ cancel: true }))).toEqual([
      [0, 10],
      [0, 24],
    ]);
    expect(extents(() => queueCommands())).toEqual([
      [0, 10],
      [0, 24],
    ]);
  });

  it("chainProgram: at most maxSteps steps (12 by default), 10 at fast-check's default size", () => {
    expect(extents(() => chainProgram().map((p) => p.steps))).toEqual([
      [0, 10],
      [0, 12],
    ]);
  });
});

describe("the kit's chain model", () => {
  it("ends as the suite's own fold over the same steps, for any schedule without cancel or pause", () => {
    // Two models written apart (this one event by event, model.ts as a fold) must agree.
    fc.assert(
      fc.property(chainProgram(), (p) => {
        // The kit's steps are model.ts's, but for when a pending one fires (the schedule's job).
        const steps = p.steps.map((s): Step => (s.kind === "pending" ? { kind: "pending", ok: s.ok!, at: 0, inside: null } : (s as Step)));
        const fold = model(p.initialOk ? { ok: true, value: "init" } : { ok: false, id: "init" }, steps);
        const end = modelChain(p).end;
        expect(end.ok ? { ok: true, value: end.tag } : { ok: false, id: end.tag }).toEqual(fold.outcome);
      }),
      runs(300),
    );
  });
});

describe("bad input", () => {
  it.each([
    ["undefined", undefined, "Expected `adapter` to be an object, got `undefined` (undefined)"],
    ["null", null, "Expected `adapter` to be an object, got `null` (null)"],
    ["an object without a name", { synchronous: true }, "Expected `adapter.name` to be a string, got `undefined` (undefined)"],
    ["an adapter without synchronous", { name: "x" }, "Expected `adapter.synchronous` to be a boolean, got `undefined` (undefined)"],
    ["an adapter without create", { name: "x", synchronous: true }, "Expected `adapter.create` to be a function, got `undefined` (undefined)"],
    ["an adapter without then", { name: "x", synchronous: true, create() {} }, "Expected `adapter.then` to be a function, got `undefined` (undefined)"],
  ])("rejects %s as the adapter with a TypeError naming it", (_what, adapter, message) => {
    expect(() => deferredLaws(adapter as unknown as DeferredAdapter<unknown>)).toThrow(TypeError);
    expect(() => deferredLaws(adapter as unknown as DeferredAdapter<unknown>)).toThrow(message);
  });

  it("rejects a law name it does not know, and a law the adapter cannot run, with a RangeError", () => {
    expect(() => deferredLaws(deferkitAdapter, { only: ["speed" as LawName] })).toThrow(
      new RangeError(`Expected \`options.only\` to name laws among ${LAW_NAMES.join(", ")}, got \`"speed"\` (string)`),
    );
    expect(() => deferredLaws(promiseAdapter, { only: ["pause"] })).toThrow(
      new RangeError(`The law "pause" does not apply to native Promise: the adapter lacks what it needs`),
    );
  });

  it("rejects an empty list of step kinds, and a kind it does not know", () => {
    expect(() => chainProgram({ kinds: [] })).toThrow(RangeError);
    expect(() => chainProgram({ kinds: ["jump" as never] })).toThrow(
      'Expected `options.kinds` to hold step kinds (map, throw, fired, pending, recover, rethrow, both, fail), got `"jump"` (string)',
    );
  });

  it("checks a runner's needs before it starts: a cancel event needs adapter.cancel", () => {
    const program = { initialOk: true, steps: [], events: [{ event: "cancel" as const }] };
    expect(() => runChain(promiseAdapter, program)).toThrow("Expected `adapter.cancel` to be a function, got `undefined` (undefined)");
  });

  it.each([
    ["a pause event needs adapter.pause", { steps: [], events: [{ event: "pause" }] }, "Expected `adapter.pause` to be a function"],
    ["an unpause event needs adapter.unpause", { steps: [], events: [{ event: "unpause" }] }, "Expected `adapter.unpause` to be a function"],
    ["a fail step needs adapter.failWith", { steps: [{ kind: "map" }, { kind: "fail" }], events: [] }, "Expected `adapter.failWith` to be a function"],
  ] as const)("checks a runner's needs before it starts: %s", (_label, program, message) => {
    expect(() => runChain(promiseAdapter, { initialOk: true, ...program } as ChainProgram)).toThrow(message);
  });

  it.each([
    ["a combinator it does not know", { combinator: "race", inputs: [], order: [] }, 'Expected `scenario.combinator` to be "all" or "any", got `"race"` (string)'],
    ["inputs that are not an array", { combinator: "all", inputs: 2, order: [] }, "Expected `scenario.inputs` to be an array, got `2` (number)"],
    ["an order that is not an array", { combinator: "any", inputs: [true], order: "0" }, 'Expected `scenario.order` to be an array, got `"0"` (string)'],
  ] as const)("rejects a combinator scenario with %s, naming the field", async (_what, scenario, message) => {
    expect(() => modelCombinator(scenario as unknown as CombinatorScenario)).toThrow(new TypeError(message));
    expect(() => runCombinator(deferkitAdapter, scenario as unknown as CombinatorScenario)).toThrow(new TypeError(message));
  });

  it("checks the lock and queue runners' needs before they start: a cancel needs adapter.cancel", () => {
    const noCancel: DeferredAdapter<D> = { ...deferkitAdapter, cancel: undefined };
    const message = "Expected `adapter.cancel` to be a function, got `undefined` (undefined)";
    expect(() => runLock(noCancel, 1, [{ op: "acquire" }, { op: "cancel", waiter: 0 }])).toThrow(message);
    expect(() => runQueue(noCancel, [{ op: "get" }, { op: "cancel", getter: 0 }])).toThrow(message);
  });

  it.each([
    ["steps that are not an array", { initialOk: true, steps: 1, events: [] }, "Expected `program.steps` to be an array, got `1` (number)"],
    ["events that are not an array", { initialOk: true, steps: [], events: null }, "Expected `program.events` to be an array, got `null` (null)"],
  ] as const)("rejects a chain program with %s, naming the field", (_what, program, message) => {
    expect(() => modelChain(program as unknown as ChainProgram)).toThrow(new TypeError(message));
    expect(() => runChain(deferkitAdapter, program as unknown as ChainProgram)).toThrow(new TypeError(message));
  });

  it("rejects a firePending event that names no pending step, with a RangeError", async () => {
    for (const step of [undefined, 0, 1]) {
      const program: ChainProgram = { initialOk: true, steps: [{ kind: "map" }], events: [{ event: "firePending", step }] };
      expect(() => modelChain(program)).toThrow(new RangeError(`Expected a "firePending" event to name a pending step, got step ${String(step)}`));
      await expect(runChain(deferkitAdapter, program)).rejects.toThrow(RangeError);
    }
  });
});
