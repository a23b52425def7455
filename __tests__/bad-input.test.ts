// Issue 12, "bad input, as a matrix": every public function, constructor and method, called
// with each wrong kind of argument, either works as documented or throws, synchronously, a
// TypeError or RangeError that names the argument and shows the value; and a refused call
// leaves its receiver and every other Deferred as they were.
//
// The table below is the public surface. The first test walks what the package exports
// (functions, classes, their static and prototype methods, up the prototype chain) and fails
// when a member has no row: a new export cannot skip this matrix.
import * as root from "../src/index.js";
import * as testingEntry from "../src/testing.js";
import * as lawsEntry from "../src/laws.js";
import {
  Clock,
  Deferred,
  DeferredList,
  DeferredLock,
  DeferredQueue,
  DeferredSemaphore,
  Failure,
  FailureGroup,
  FirstError,
  LoopingCall,
  deferLater,
  ensureDeferred,
  execute,
  fail,
  fromCallback,
  gatherResults,
  getDebugging,
  inlineCallbacks,
  maybeDeferred,
  onUnhandledFailure,
  race,
  realClock,
  setDebugging,
  succeed,
  type IClock,
} from "../src/index.js";
import {
  assertNoPendingWork,
  assertNoResult,
  describeWaiting,
  failureResultOf,
  flushUnhandledFailures,
  successResultOf,
  trackPendingWork,
} from "../src/testing.js";
import { secondCopy } from "./helpers.js";

// A second copy of the package, as when two versions end up in one bundle.
const foreign = secondCopy();

/** The wrong (and some right) kinds of argument every parameter is tried with. */
const kinds = {
  undefined: () => undefined,
  null: () => null,
  number: () => 7,
  string: () => "x",
  object: () => ({ a: 1 }),
  array: () => [],
  promise: () => Promise.resolve(1),
  deferred: () => new Deferred<number>(),
  foreignDeferred: () => new foreign.Deferred<number>(),
  negative: () => -1,
  fraction: () => 0.5,
  NaN: () => NaN,
  Infinity: () => Infinity,
  minusInfinity: () => -Infinity,
  function: () => () => 1,
};
type Kind = keyof typeof kinds;
/** How an error message shows each kind (a Deferred is named in words instead). */
const shown: Record<Exclude<Kind, "deferred" | "foreignDeferred">, string> = {
  undefined: "`undefined` (undefined)",
  null: "`null` (null)",
  number: "`7` (number)",
  string: '`"x"` (string)',
  object: "`[object Object]` (object)",
  array: "`[object Array]` (object)",
  promise: "`[object Promise]` (object)",
  negative: "`-1` (number)",
  fraction: "`0.5` (number)",
  NaN: "`NaN` (number)",
  Infinity: "`Infinity` (number)",
  minusInfinity: "`-Infinity` (number)",
  function: "`function (anonymous)` (function)",
};
const ALL = Object.keys(kinds) as Kind[];
const NONE: Kind[] = [];
const FN: Kind[] = ["function"];
const OPTIONAL_FN: Kind[] = ["function", "undefined"];
const TIME: Kind[] = ["number", "fraction"];
/** What a Deferred takes as a result: anything but a thenable (use chainDeferred or fromPromise). */
const NOT_THENABLE = ALL.filter((k) => k !== "promise" && k !== "deferred" && k !== "foreignDeferred");
/** Inputs of the combinators: an iterable of PromiseLikes (an empty one included). */
const ITERABLE: Kind[] = ["array"];
/** An options bag: `undefined` or any object (one without the option's keys sets none). */
const OPTIONS: Kind[] = ["undefined", "object", "array", "promise", "deferred", "foreignDeferred"];

interface Row {
  /** How the member is named in the table: `name`, `new Name`, `Name.method`, `Name#method`. */
  member: string;
  /** The parameter tried (`-` for a member without parameters, tried once as it is). */
  arg: string;
  /** Kinds that work as documented: the call does not throw. */
  accepts: Kind[];
  /** Calls the member with `value` in place of `arg`; other arguments are valid. */
  call: (value: unknown) => unknown;
  /** The Deferreds the call works on, compared before and after a refused call. */
  receiver?: () => Deferred<unknown>;
  /** Kinds for which the member throws a documented plain Error (not an argument error). */
  documentedError?: Kind[];
}

const rows: Row[] = [];
/** Rows for a member: one per parameter. */
function row(member: string, arg: string, accepts: Kind[], call: Row["call"], extra: Partial<Row> = {}): void {
  rows.push({ member, arg, accepts, call, ...extra });
}
/** A member without parameters: one row, called once. */
function noArgs(member: string, call: () => unknown): void {
  rows.push({ member, arg: "-", accepts: ALL, call: () => call() });
}

// The receiver of the Deferred#method rows: a pending Deferred with one step. Each call gets a
// fresh one; `receiver` hands the row the same one the call used.
let current = new Deferred<unknown>();
function pending(): Deferred<unknown> {
  current = new Deferred<unknown>();
  current.addCallback((x) => x);
  return current;
}
const onReceiver = { receiver: () => current };

// --- Deferred -----------------------------------------------------------------------------
row("new Deferred", "canceller", ["undefined", "function"], (v) => new Deferred(v as never));
row("Deferred#callback", "result", NOT_THENABLE, (v) => pending().callback(v), onReceiver);
row("Deferred#errback", "reason", ALL, (v) => pending().errback(v), onReceiver);
row("Deferred#addCallbacks", "onResult", FN, (v) => pending().addCallbacks(v as never), onReceiver);
row("Deferred#addCallbacks", "onFailure", [...OPTIONAL_FN, "null"], (v) => pending().addCallbacks((x) => x, v as never), onReceiver);
row("Deferred#addCallback", "fn", FN, (v) => pending().addCallback(v as never), onReceiver);
row("Deferred#addCallback", "...args", ALL, (v) => pending().addCallback((x: unknown, _extra: unknown) => x, v), onReceiver);
row("Deferred#addErrback", "fn", FN, (v) => pending().addErrback(v as never), onReceiver);
row("Deferred#addErrback", "...args", ALL, (v) => pending().addErrback((x: unknown, _extra: unknown) => x, v), onReceiver);
row("Deferred#addBoth", "fn", FN, (v) => pending().addBoth(v as never), onReceiver);
row("Deferred#addBoth", "...args", ALL, (v) => pending().addBoth((x: unknown, _extra: unknown) => x, v), onReceiver);
row("Deferred#chainDeferred", "other", ["deferred"], (v) => pending().chainDeferred(v as never), onReceiver);
noArgs("Deferred#pause", () => pending().pause());
noArgs("Deferred#unpause", () => {
  const d = pending();
  d.pause();
  d.unpause();
});
noArgs("Deferred#cancel", () => pending().addErrback(() => undefined).cancel());
row("Deferred#addTimeout", "ms", TIME, (v) => pending().addTimeout(v as number, new Clock()), onReceiver);
row("Deferred#addTimeout", "clock", ["undefined"], (v) => pending().addTimeout(10, v as IClock), onReceiver);
row("Deferred#addTimeout", "onTimeoutCancel", OPTIONAL_FN, (v) => pending().addTimeout(10, new Clock(), v as never), onReceiver);
row("Deferred#cancelOn", "signal", NONE, (v) => pending().cancelOn(v as AbortSignal), onReceiver);
noArgs("Deferred#asSignal", () => pending().asSignal());
// then/catch/finally follow Promises/A+: a handler that is not a function is ignored.
row("Deferred#then", "onFulfilled", ALL, (v) => void pending().then(v as never));
row("Deferred#then", "onRejected", ALL, (v) => void pending().then(undefined, v as never));
row("Deferred#catch", "onRejected", ALL, (v) => void pending().catch(v as never));
row("Deferred#finally", "onFinally", ALL, (v) => void pending().finally(v as never));
noArgs("Deferred#asPromise", () => void pending().asPromise());
noArgs("Deferred#toString", () => String(pending()));
noArgs("Deferred#called", () => pending().called);
noArgs("Deferred#paused", () => pending().paused);
// A function is the abortable form: it is called with a signal and must return a PromiseLike
// (`() => 1` does not; that TypeError is in wrap.test.ts), so the row gives it one that does.
row("Deferred.fromPromise", "promise", ["promise", "deferred", "foreignDeferred", "function"], (v) =>
  Deferred.fromPromise(typeof v === "function" ? () => Promise.resolve(v()) : (v as never)),
);
// Its options name what stops the work: `{ abort }` is required in them.
row("Deferred.fromPromise", "options", ["undefined"], (v) => Deferred.fromPromise(Promise.resolve(1), v as never));
row("Deferred.is", "value", ALL, (v) => Deferred.is(v));

// --- functions ----------------------------------------------------------------------------
row("succeed", "result", NOT_THENABLE, (v) => succeed(v));
row("fail", "reason", ALL, (v) => fail(v).addErrback(() => undefined));
row("execute", "fn", FN, (v) => execute(v as never));
row("execute", "...args", ALL, (v) => execute((x: unknown) => typeof x, v));
row("maybeDeferred", "fn", FN, (v) => maybeDeferred(v as never));
row("maybeDeferred", "...args", ALL, (v) => maybeDeferred((x: unknown) => typeof x, v));
row("inlineCallbacks", "fn", FN, (v) => inlineCallbacks(v as never));
row("ensureDeferred", "value", ["promise", "deferred", "foreignDeferred"], (v) => ensureDeferred(v as never));
row("fromCallback", "start", FN, (v) => fromCallback(v as never));
row("onUnhandledFailure", "handler", ["function", "null"], (v) => onUnhandledFailure(v as never)());
row("setDebugging", "on", NONE, (v) => {
  try {
    setDebugging(v as boolean);
  } finally {
    setDebugging(false);
  }
});
noArgs("getDebugging", () => getDebugging());

// --- Failure and errors -------------------------------------------------------------------
row("new Failure", "value", ALL, (v) => new Failure(v));
row("Failure.from", "reason", ALL, (v) => Failure.from(v));
row("Failure.is", "value", ALL, (v) => Failure.is(v));
row("Failure#check", "types", NONE, (v) => new Failure(new Error("x")).check(v as never));
row("Failure#trap", "types", NONE, (v) => {
  try {
    new Failure(new Error("x")).trap(v as never);
  } catch (e) {
    if (!(e instanceof Error) || e.message !== "x") throw e;
  }
});
noArgs("Failure#type", () => new Failure(new Error("x")).type);
noArgs("Failure#getErrorMessage", () => new Failure(new Error("x")).getErrorMessage());
noArgs("Failure#getTraceback", () => new Failure(new Error("x")).getTraceback());
noArgs("Failure#raiseException", () => {
  try {
    new Failure(new Error("x")).raiseException();
  } catch {
    // what it is for
  }
});
noArgs("Failure#toString", () => String(new Failure(new Error("x"))));
for (const name of ["AlreadyCalledError", "AlreadyCancelledError", "CancelledError", "TimeoutError", "QueueOverflow", "QueueUnderflow"] as const) {
  row(`new ${name}`, "message", ALL, (v) => new root[name](v as string));
  row(`${name}.is`, "value", ALL, (v) => (root[name] as unknown as { is(v: unknown): boolean }).is(v));
}
row("new FirstError", "subFailure", NONE, (v) => new FirstError(v as Failure, 0));
row("new FirstError", "index", ["number"], (v) => new FirstError(new Failure(1), v as number));
row("FirstError.is", "value", ALL, (v) => FirstError.is(v));
row("new FailureGroup", "failures", ["array"], (v) => new FailureGroup(v as Failure[]));
row("FailureGroup.is", "value", ALL, (v) => FailureGroup.is(v));

// --- time ---------------------------------------------------------------------------------
row("realClock.callLater", "ms", TIME, (v) => realClock.callLater(v as number, () => {}).cancel());
row("realClock.callLater", "fn", FN, (v) => realClock.callLater(5, v as never).cancel());
noArgs("realClock.now", () => realClock.now());
noArgs("new Clock", () => new Clock());
row("Clock#callLater", "ms", TIME, (v) => new Clock().callLater(v as number, () => {}));
row("Clock#callLater", "fn", FN, (v) => new Clock().callLater(5, v as never));
row("Clock#advance", "ms", TIME, (v) => new Clock().advance(v as number));
row("Clock#pump", "msList", ["array"], (v) => new Clock().pump(v as number[]));
noArgs("Clock#now", () => new Clock().now());
noArgs("Clock#getDelayedCalls", () => new Clock().getDelayedCalls());
for (const [clockName, make] of [
  ["Clock", () => new Clock()],
  ["realClock", () => realClock],
] as const) {
  const call = () => make().callLater(5, () => {});
  row(`DelayedCall#reset (${clockName})`, "ms", TIME, (v) => {
    const c = call();
    try {
      c.reset(v as number);
    } finally {
      c.cancel();
    }
  });
  row(`DelayedCall#delay (${clockName})`, "ms", TIME, (v) => {
    const c = call();
    try {
      c.delay(v as number);
    } finally {
      c.cancel();
    }
  });
  noArgs(`DelayedCall#cancel (${clockName})`, () => call().cancel());
  noArgs(`DelayedCall#active (${clockName})`, () => call().active());
  noArgs(`DelayedCall#getTime (${clockName})`, () => call().getTime());
}
row("deferLater", "clock", NONE, (v) => deferLater(v as IClock, 5));
row("deferLater", "ms", TIME, (v) => deferLater(new Clock(), v as number));
// Twisted: deferLater(clock, delay, callable=None).
row("deferLater", "fn", [...OPTIONAL_FN, "null"], (v) => deferLater(new Clock(), 5, v as never));
row("new LoopingCall", "fn", FN, (v) => new LoopingCall(v as never));
row("LoopingCall.withCount", "countFn", FN, (v) => LoopingCall.withCount(v as never));
const loop = (): LoopingCall<[]> => {
  const l = new LoopingCall(() => {});
  l.clock = new Clock();
  return l;
};
row("LoopingCall#start", "intervalMs", TIME, (v) => loop().start(v as number).addErrback(() => undefined));
row("LoopingCall#start", "now", ["undefined"], (v) => loop().start(5, v as boolean));
row("LoopingCall#clock", "clock", NONE, (v) => {
  loop().clock = v as IClock;
});
row("LoopingCall#interval", "interval", TIME, (v) => {
  const l = loop();
  l.start(5);
  l.interval = v as number;
});
noArgs("LoopingCall#running", () => loop().running);
noArgs("LoopingCall#stop", () => {
  const l = loop();
  l.start(5);
  l.stop();
});
noArgs("LoopingCall#reset", () => {
  const l = loop();
  l.start(5);
  l.reset();
});

// --- combinators --------------------------------------------------------------------------
row("new DeferredList", "deferreds", ITERABLE, (v) => new DeferredList(v as never));
row("new DeferredList", "options", OPTIONS, (v) => new DeferredList([], v as never));
row("gatherResults", "deferreds", ITERABLE, (v) => gatherResults(v as never));
// `true`/`false`, or the options form `{ consumeErrors }`.
row("gatherResults", "consumeErrors", OPTIONS, (v) => gatherResults([], v as never));
row("race", "deferreds", ITERABLE, (v) => race(v as never).addErrback(() => undefined));

// --- concurrency --------------------------------------------------------------------------
noArgs("new DeferredLock", () => new DeferredLock());
noArgs("DeferredLock#locked", () => new DeferredLock().locked);
row("DeferredLock#acquire", "options", OPTIONS, (v) => new DeferredLock().acquire(v as never));
noArgs("DeferredLock#release", () => {
  const l = new DeferredLock();
  l.acquire();
  l.release();
});
row("DeferredLock#run", "fn", FN, (v) => new DeferredLock().run(v as never));
row("DeferredLock#run", "...args", ALL, (v) => new DeferredLock().run((x: unknown) => typeof x, v));
row("new DeferredSemaphore", "tokens", ["number"], (v) => new DeferredSemaphore(v as number));
noArgs("DeferredSemaphore#tokens", () => new DeferredSemaphore(2).tokens);
noArgs("DeferredSemaphore#limit", () => new DeferredSemaphore(2).limit);
row("DeferredSemaphore#acquire", "options", OPTIONS, (v) => new DeferredSemaphore(2).acquire(v as never));
noArgs("DeferredSemaphore#release", () => {
  const s = new DeferredSemaphore(2);
  s.acquire();
  s.release();
});
row("DeferredSemaphore#run", "fn", FN, (v) => new DeferredSemaphore(2).run(v as never));
row("DeferredSemaphore#run", "...args", ALL, (v) => new DeferredSemaphore(2).run((x: unknown) => typeof x, v));
row("new DeferredQueue", "size", ["undefined", "number", "Infinity"], (v) => new DeferredQueue(v as number));
row("new DeferredQueue", "backlog", ["undefined", "number", "Infinity"], (v) => new DeferredQueue(1, v as number));
row("DeferredQueue#put", "item", NOT_THENABLE, (v) => new DeferredQueue().put(v));
row("DeferredQueue#get", "options", OPTIONS, (v) => new DeferredQueue().get(v as never));
noArgs("DeferredQueue#pending", () => new DeferredQueue().pending);
noArgs("DeferredQueue#waiting", () => new DeferredQueue().waiting);

// --- introspection ------------------------------------------------------------------------
row("describeWaiting", "deferred", ["deferred", "foreignDeferred"], (v) => describeWaiting(v as never));
row("describeWaiting", "options", OPTIONS, (v) => describeWaiting(new Deferred(), v as never));
row("describeWaiting", "options.maxDepth", ["undefined", "number"], (v) => describeWaiting(new Deferred(), { maxDepth: v as number }));

// --- deferkit/testing ---------------------------------------------------------------------
const FIRED_ONLY = { documentedError: ["deferred", "foreignDeferred"] as Kind[] };
row("successResultOf", "deferred", ["deferred", "foreignDeferred"], (v) => successResultOf(v as never), FIRED_ONLY);
row("failureResultOf", "deferred", ["deferred", "foreignDeferred"], (v) => failureResultOf(v as never), FIRED_ONLY);
row("failureResultOf", "types", NONE, (v) => failureResultOf(fail(new Error("x")), v as never));
row("assertNoResult", "deferred", ["deferred", "foreignDeferred"], (v) => assertNoResult(v as never));
noArgs("flushUnhandledFailures", () => flushUnhandledFailures());
// Tracking stops at once, so that it does not record the other rows' Deferreds.
noArgs("trackPendingWork", () => {
  trackPendingWork();
  assertNoPendingWork();
});
noArgs("assertNoPendingWork", () => assertNoPendingWork());

// --- deferkit/laws ------------------------------------------------------------------------
// An adapter whose every law fails at its first program: the rows that start a run stay cheap.
const failingAdapter: lawsEntry.DeferredAdapter<unknown> = {
  name: "fails at once",
  synchronous: true,
  create: () => ({ handle: 1, resolve() {}, reject() {} }),
  then() {
    throw new Error("no chains here");
  },
};
const started = (p: Promise<unknown>): undefined => void p.catch(() => {});
const ADAPTER: Kind[] = [];
const COMMANDS: Kind[] = ["array"];
// A Deferred as an options bag: its `cancel` and `pause` methods read as options of those names.
const OPTIONS_NOT_DEFERRED = OPTIONS.filter((k) => k !== "deferred" && k !== "foreignDeferred");
const { LawError, chainProgram, checkDeferredLaws, clockSchedule, combinatorScenario, deferkitAdapter, deferredLaws } = lawsEntry;
const { lockCommands, modelChain, modelClock, modelCombinator, modelLock, modelQueue, queueCommands } = lawsEntry;
const { runChain, runClock, runCombinator, runLock, runQueue } = lawsEntry;
const program: lawsEntry.ChainProgram = { initialOk: true, steps: [], events: [{ event: "add" }, { event: "fire" }] };
const scenario: lawsEntry.CombinatorScenario = { combinator: "all", inputs: [], order: [] };
row("checkDeferredLaws", "adapter", ADAPTER, (v) => checkDeferredLaws(v as never));
row("checkDeferredLaws", "options", OPTIONS, (v) => started(checkDeferredLaws(failingAdapter, v as never)));
row("deferredLaws", "adapter", ADAPTER, (v) => deferredLaws(v as never));
row("deferredLaws", "options", OPTIONS, (v) => deferredLaws(failingAdapter, v as never));
row("deferredLaws", "options.numRuns", ["undefined", "number"], (v) => deferredLaws(failingAdapter, { numRuns: v as number }));
row("deferredLaws", "options.seed", ["undefined", "number", "negative"], (v) => deferredLaws(failingAdapter, { seed: v as number }));
row("deferredLaws", "options.path", ["undefined", "string"], (v) => deferredLaws(failingAdapter, { path: v as string }));
row("deferredLaws", "options.only", ["undefined", "array"], (v) => deferredLaws(failingAdapter, { only: v as never }));
row("new LawError", "tag", ["string"], (v) => new LawError(v as string));
row("chainProgram", "options", OPTIONS_NOT_DEFERRED, (v) => chainProgram(v as never));
row("chainProgram", "options.kinds", ["undefined"], (v) => chainProgram({ kinds: v as never }));
row("chainProgram", "options.maxSteps", ["undefined", "number"], (v) => chainProgram({ maxSteps: v as number }));
row("chainProgram", "options.cancel", ["undefined"], (v) => chainProgram({ cancel: v as boolean }));
row("combinatorScenario", "combinator", NONE, (v) => combinatorScenario(v as never));
noArgs("clockSchedule", () => clockSchedule());
row("lockCommands", "options", OPTIONS_NOT_DEFERRED, (v) => lockCommands(v as never));
row("lockCommands", "options.cancel", ["undefined"], (v) => lockCommands({ cancel: v as boolean }));
row("queueCommands", "options", OPTIONS_NOT_DEFERRED, (v) => queueCommands(v as never));
row("queueCommands", "options.cancel", ["undefined"], (v) => queueCommands({ cancel: v as boolean }));
row("modelChain", "program", NONE, (v) => modelChain(v as never));
row("runChain", "adapter", ADAPTER, (v) => runChain(v as never, program));
row("runChain", "program", NONE, (v) => runChain(deferkitAdapter, v as never));
row("modelCombinator", "scenario", NONE, (v) => modelCombinator(v as never));
row("runCombinator", "adapter", ADAPTER, (v) => runCombinator(v as never, scenario));
row("runCombinator", "scenario", NONE, (v) => runCombinator(deferkitAdapter, v as never));
row("modelClock", "commands", COMMANDS, (v) => modelClock(v as never));
row("runClock", "adapter", ADAPTER, (v) => runClock(v as never, []));
row("runClock", "commands", COMMANDS, (v) => started(runClock(deferkitAdapter, v as never)));
row("modelLock", "tokens", ["number"], (v) => modelLock(v as number, []));
row("modelLock", "commands", COMMANDS, (v) => modelLock(1, v as never));
row("runLock", "adapter", ADAPTER, (v) => runLock(v as never, 1, []));
row("runLock", "tokens", ["number"], (v) => started(runLock(deferkitAdapter, v as number, [])));
row("runLock", "commands", COMMANDS, (v) => started(runLock(deferkitAdapter, 1, v as never)));
row("modelQueue", "commands", COMMANDS, (v) => modelQueue(v as never));
row("runQueue", "adapter", ADAPTER, (v) => runQueue(v as never, []));
row("runQueue", "commands", COMMANDS, (v) => started(runQueue(deferkitAdapter, v as never)));

/** `Name#member`/`Name.member` for every member the package exports, up the prototype chain. */
function exportedMembers(): string[] {
  const out: string[] = [];
  const exportedPrototypes = new Set(
    [...Object.values(root), ...Object.values(testingEntry), ...Object.values(lawsEntry)].flatMap((v) => (typeof v === "function" ? [v.prototype as object] : [])),
  );
  const visit = (name: string, value: unknown): void => {
    // A list of constants (LAW_NAMES) has nothing to call. The laws' adapters are called by
    // the kit with what it made: a user hands one over, never calls its members.
    if (Array.isArray(value) || name.endsWith("Adapter")) return;
    if (typeof value === "object" && value !== null) {
      for (const key of Object.keys(value)) out.push(`${name}.${key}`);
      return;
    }
    if (typeof value !== "function") return;
    const isClass = /^class\b/.test(Function.prototype.toString.call(value));
    if (!isClass) {
      out.push(name);
      return;
    }
    out.push(`new ${name}`);
    for (const key of Object.getOwnPropertyNames(value)) {
      if (!["length", "name", "prototype"].includes(key) && !key.startsWith("_")) out.push(`${name}.${key}`);
    }
    for (
      let proto = value.prototype as object | null;
      proto !== null && proto !== Object.prototype && proto !== Error.prototype && (proto === value.prototype || !exportedPrototypes.has(proto));
      proto = Object.getPrototypeOf(proto) as object | null
    ) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        if (key !== "constructor" && !key.startsWith("_") && key !== "name") out.push(`${name}#${key}`);
      }
    }
  };
  for (const [name, value] of [...Object.entries(root), ...Object.entries(testingEntry), ...Object.entries(lawsEntry)]) {
    visit(name, value);
  }
  // (A class that extends another export, as DeferredList extends Deferred, inherits its rows.)
  return [...new Set(out)].sort();
}

describe("the bad-input table", () => {
  it("has a row for every exported function, constructor and method", () => {
    const covered = new Set(rows.map((r) => r.member.replace(/ \(.*\)$/, "")));
    expect(exportedMembers().filter((m) => !covered.has(m))).toEqual([]);
  });
});

/** The other Deferreds a call must leave alone: one pending with a step, one fired. */
function witnesses(): () => void {
  const seen: unknown[] = [];
  const waiting = new Deferred<string>().addCallback((x) => seen.push(x));
  const fired = succeed("kept");
  return () => {
    expect(waiting.called).toBe(false);
    expect(seen).toEqual([]);
    expect(successResultOf(fired)).toBe("kept");
  };
}

const cases: { r: Row; kind: Kind | "-" }[] = rows.flatMap((r) =>
  r.arg === "-" ? [{ r, kind: "-" as const }] : ALL.map((kind) => ({ r, kind: kind as Kind | "-" })),
);

describe.each(cases)("$r.member ($r.arg) given $kind", ({ r, kind }) => {
  it(kind === "-" || r.accepts.includes(kind) ? "works as documented" : "throws a TypeError or RangeError naming the argument", () => {
    const check = witnesses();
    const value = kind === "-" ? undefined : kinds[kind]();
    if (kind === "-" || r.accepts.includes(kind)) {
      if (kind !== "-" && r.documentedError?.includes(kind)) {
        expect(() => r.call(value)).toThrow(Error);
        expect(() => r.call(value)).not.toThrow(TypeError);
      } else {
        expect(() => r.call(value)).not.toThrow();
      }
    } else {
      let thrown: unknown;
      let before = "";
      try {
        r.call(value);
      } catch (e) {
        thrown = e;
      }
      if (r.receiver !== undefined) before = String(r.receiver());
      expect(thrown).toBeInstanceOf(thrown instanceof RangeError ? RangeError : TypeError);
      const message = (thrown as Error).message;
      const arg = r.arg.replace(/^\.\.\./, "");
      expect(message).toContain(`\`${arg}`);
      // It shows the value: its rendering and type, or (for a Deferred given where a result
      // goes) what it is, or (for an options bag) the value of the option at fault.
      if (message.includes(`\`${arg}.`)) expect(message).toMatch(/got `.*` \(\w+\)/);
      else if (kind === "deferred" || kind === "foreignDeferred") expect(message).toMatch(/Deferred|\(object\)/);
      else expect(message).toContain(shown[kind as keyof typeof shown]);
      if (r.receiver !== undefined) {
        // The refused call changed nothing: a fresh receiver given nothing looks the same.
        expect(before).toBe(String(pending()));
      }
    }
    check();
    flushUnhandledFailures();
  });
});

describe("error messages", () => {
  // deferLater's `ms` as the probe: any argument error renders its value the same way.
  const shownFor = (value: unknown): string => {
    try {
      deferLater(new Clock(), value as number);
    } catch (e) {
      return (e as Error).message.replace(/^.*, got /, "");
    }
    throw new Error("deferLater accepted the value");
  };

  it("show a function by its name", () => {
    expect(shownFor(function retry() {})).toBe("`function retry` (function)");
  });

  it("show a string of up to 40 characters whole, and cut a longer one to 37 and an ellipsis", () => {
    expect(shownFor("a".repeat(40))).toBe(`\`"${"a".repeat(40)}"\` (string)`);
    expect(shownFor("b".repeat(41))).toBe(`\`"${"b".repeat(37)}..."\` (string)`);
  });

  it("show an object by its constructor's name, and one without a named constructor as [object]", () => {
    class Job {}
    expect(shownFor(new Job())).toBe("`[object Job]` (object)");
    expect(shownFor(Object.create(null))).toBe("`[object]` (object)");
    expect(shownFor(new (class {})())).toBe("`[object]` (object)");
    expect(shownFor({ constructor: { name: "NotAFunction" } })).toBe("`[object]` (object)");
    const oddlyNamed = Object.defineProperty(function () {}, "name", { value: 5 });
    expect(shownFor({ constructor: oddlyNamed })).toBe("`[object]` (object)");
  });
});
