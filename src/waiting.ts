// describeWaiting: why is this Deferred still pending? It follows the "waits on" protocol
// (internal/waits.ts) from a Deferred down to what would fire it, and names each link: the
// Deferred a step returned, a combinator's pending inputs, a lock, semaphore or queue line, a
// timer, a coroutine's yield, a Promise.
//
// It knows the primitives by their classes, so that the primitives carry no description code
// of their own: a bundle that never calls describeWaiting pays nothing for it.
import { Deferred } from "./deferred.js";
import { CoroutineRun } from "./coroutine.js";
import { Gathering, Racing } from "./deferred-list.js";
import { assertCount, assertOptions, formatValue } from "./internal/checks.js";
import { InLine } from "./internal/line.js";
import { PAUSE, READY_MASK, CALLED, RUNNING } from "./internal/state.js";
import { isWait, PROMISE_WAIT } from "./internal/waits.js";
import { DeferredLock, type DeferredSemaphore } from "./lock.js";
import { DeferredQueue } from "./queue.js";
import { TimerWait } from "./time.js";

/**
 * What one Deferred in the chain of `describeWaiting()` is doing:
 * - `"fired"`: it has its result (nothing to wait for);
 * - `"running"`: one of its steps is running now (it was asked from inside it);
 * - `"paused"`: `pause()` holds it until `unpause()`;
 * - `"waiting"`: a step returned another Deferred, which it waits on (`on[0]`);
 * - `"combinator"`: a `DeferredList`, `gatherResults` or `race`, waiting on its pending inputs (`on`);
 * - `"coroutine"`: an `inlineCallbacks` generator, at a `yield` of `on[0]` (or returning it);
 * - `"lock"`, `"semaphore"`, `"queue"`: an `acquire()` or `get()` waiting its turn in line;
 * - `"timer"`: a `deferLater` whose clock call has not come due;
 * - `"promise"`: a Deferred made from a Promise or other thenable, which has not settled;
 * - `"canceller"`: made with a canceller by code that fires it itself;
 * - `"pending"`: made with `new Deferred()` and not fired: whoever holds it must fire it;
 * - `"cycle"`: a Deferred already met further up this chain: the chain waits on itself and can
 *   never fire;
 * - `"foreign"`: a Deferred of another copy of deferkit (two versions in one bundle), whose
 *   waits this copy cannot read;
 * - `"more"`: the chain goes on deeper than `maxDepth`.
 */
export type WaitingKind =
  | "fired"
  | "running"
  | "paused"
  | "waiting"
  | "combinator"
  | "coroutine"
  | "lock"
  | "semaphore"
  | "queue"
  | "timer"
  | "promise"
  | "canceller"
  | "pending"
  | "cycle"
  | "foreign"
  | "more";

/** One Deferred in the chain of what a pending Deferred waits on (see `describeWaiting`). */
export interface Waiting {
  /** What the Deferred is doing (see {@link WaitingKind}). */
  readonly kind: WaitingKind;
  /** The Deferred. */
  readonly deferred: Deferred<unknown>;
  /** One line for a person: what it is and why it has no result. */
  readonly description: string;
  /** What it waits on in turn: the Deferreds whose results it needs and that have none yet. */
  readonly on: readonly Waiting[];
  /** The whole chain from here, one Deferred per line, indented by depth. */
  toString(): string;
}

/** Options of `describeWaiting`. */
export interface DescribeWaitingOptions {
  /** How many links to follow before stopping with a `"more"` entry; default 50. */
  maxDepth?: number;
}

class WaitingNode implements Waiting {
  constructor(
    readonly kind: WaitingKind,
    readonly deferred: Deferred<unknown>,
    readonly description: string,
    readonly on: readonly Waiting[],
  ) {}

  toString(): string {
    const lines: string[] = [];
    const walk = (node: Waiting, prefix: string, childPrefix: string): void => {
      lines.push(`${prefix}${node.description}`);
      node.on.forEach((child, i) => {
        const last = i === node.on.length - 1;
        walk(child, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "));
      });
    };
    walk(this, "", "");
    return lines.join("\n");
  }
}

/**
 * Why a Deferred has no result yet: the chain of what it waits on, down to what would fire it,
 * as data (for a test) and as text (`String(...)`, for a person).
 *
 * A Deferred whose step returned another Deferred waits on that one; a `DeferredList`,
 * `gatherResults` or `race` on its inputs that have no result yet; an `inlineCallbacks`
 * coroutine on what it yielded; a lock or semaphore `acquire()` and a queue `get()` on their
 * turn (with how many wait ahead, and, with `setDebugging(true)`, where the lock was taken); a
 * `deferLater` on its clock. A Deferred met twice on one path closes a cycle, which can never
 * fire: it is shown as `"cycle"`. Looking changes nothing.
 *
 * @example
 * ```ts
 * const lock = new DeferredLock();
 * lock.acquire();
 * const job = succeed("job").addCallback(() => lock.acquire());
 * const why = describeWaiting(job);
 * why.kind; // => "waiting"
 * why.on[0]!.description; // => "DeferredLock#acquire(): the lock is held, 0 waiters ahead"
 * String(why).split("\n").length; // => 2
 * ```
 */
export function describeWaiting(deferred: Deferred<unknown>, options?: DescribeWaitingOptions): Waiting {
  if (!Deferred.is(deferred)) {
    throw new TypeError(`Expected \`deferred\` to be a Deferred, got ${formatValue(deferred)}`);
  }
  assertOptions(options);
  let maxDepth = 50;
  if (options?.maxDepth !== undefined) {
    assertCount(options.maxDepth, "options.maxDepth", 0);
    maxDepth = options.maxDepth;
  }
  return describe(deferred, new Set(), maxDepth);
}

function describe(d: Deferred<unknown>, path: Set<Deferred<unknown>>, depthLeft: number): Waiting {
  if (path.has(d)) {
    return new WaitingNode("cycle", d, `${d.toString()}: a cycle: it waits on itself through the chain above, and can never fire`, []);
  }
  if (depthLeft < 0) return new WaitingNode("more", d, `${d.toString()}: and more (maxDepth reached)`, []);
  path.add(d);
  try {
    return describeOne(d, path, depthLeft);
  } finally {
    path.delete(d);
  }
}

function describeOne(d: Deferred<unknown>, path: Set<Deferred<unknown>>, depthLeft: number): Waiting {
  if (!(d instanceof Deferred)) {
    return new WaitingNode("foreign", d, `${String(d)}: a Deferred of another copy of deferkit, whose waits this copy cannot read`, []);
  }
  const below = (inner: readonly Deferred<unknown>[]): Waiting[] => inner.map((x) => describe(x, path, depthLeft - 1));
  const state = d._state;
  const link = d._link;
  if ((state & CALLED) !== 0) {
    if (link instanceof Deferred) {
      return new WaitingNode("waiting", d, `${d.toString()}: waits on the Deferred a step returned`, below([link]));
    }
    const n = Math.floor(state / PAUSE);
    if (n > 0) {
      return new WaitingNode("paused", d, `${d.toString()}: pause() holds it (${n} unpause() call${n === 1 ? "" : "s"} to go)`, []);
    }
    if ((state & RUNNING) !== 0) return new WaitingNode("running", d, `${d.toString()}: a step of it is running`, []);
    return new WaitingNode("fired", d, `${d.toString()}: has its result`, []);
  }
  if (link === undefined) {
    return new WaitingNode("pending", d, `${d.toString()}: nothing in deferkit fires it; the code that made it must call callback() or errback()`, []);
  }
  if (!isWait(link)) {
    return new WaitingNode("canceller", d, `${d.toString()}: made with a canceller; the code that made it fires it`, []);
  }
  if (link === PROMISE_WAIT) return new WaitingNode("promise", d, `${d.toString()}: waits on a Promise (or thenable) to settle`, []);
  if (d instanceof InLine) return inLine(d);
  if (link instanceof TimerWait) {
    const call = link.call;
    const due = call !== null && link.clock !== null && call.active() ? ` in ${formatMs(call.getTime() - link.clock.now())}` : "";
    return new WaitingNode("timer", d, `deferLater: due${due} on its clock`, []);
  }
  if (link instanceof CoroutineRun) {
    const fnName = link.fn?.name ?? "";
    const name = fnName === "" ? "an anonymous generator" : `generator ${fnName}`;
    const at = link.waitingOn === null ? "running" : link.finishing ? "returning the Deferred below" : `at yield #${link.yields}`;
    return new WaitingNode("coroutine", d, `inlineCallbacks, ${name}: ${at}`, below(link.waitingOn === null ? [] : [link.waitingOn]));
  }
  // The only other Waits are the combinators' (gatherResults, race, DeferredList).
  const inputs = (d as unknown as { _inputs: Deferred<unknown>[] | null })._inputs ?? [];
  const pending: Deferred<unknown>[] = [];
  const indexes: number[] = [];
  inputs.forEach((input, i) => {
    // Not fired, running or paused (waiting on another Deferred is a pause): no result to give.
    if ((input._state & READY_MASK) !== CALLED) {
      pending.push(input);
      indexes.push(i);
    }
  });
  const name = d instanceof Gathering ? "gatherResults" : d instanceof Racing ? "race" : "DeferredList";
  // (A combinator still pending has at least one input still pending.)
  return new WaitingNode("combinator", d, `${name}: ${pending.length} of ${inputs.length} inputs pending (#${indexes.join(", #")})`, below(pending));
}

function inLine(waiter: InLine): Waiting {
  const owner = waiter._owner;
  const ahead = waiter._entry === null ? 0 : waiter._line.ahead(waiter._entry);
  const aheadText = `${ahead} waiter${ahead === 1 ? "" : "s"} ahead`;
  if (owner instanceof DeferredQueue) {
    return new WaitingNode("queue", waiter, `DeferredQueue#get(): the queue is empty, ${aheadText}`, []);
  }
  if (owner instanceof DeferredLock) {
    const since = owner._takenAt === undefined ? "" : `; taken at ${firstFrame(owner._takenAt)}`;
    return new WaitingNode("lock", waiter, `DeferredLock#acquire(): the lock is held, ${aheadText}${since}`, []);
  }
  // The only other line is a semaphore's.
  const semaphore = owner as DeferredSemaphore;
  return new WaitingNode("semaphore", waiter, `DeferredSemaphore#acquire(): all ${semaphore.limit} tokens are held, ${aheadText}`, []);
}

/** "f (file.ts:1:2)" from a captured stack (its first line, without V8's "at "). */
function firstFrame(stack: string): string {
  return stack.split("\n")[0]!.trim().replace(/^at /, "");
}

function formatMs(ms: number): string {
  return `${Math.round(ms * 1000) / 1000} ms`;
}
