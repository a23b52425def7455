/**
 * Lock, semaphore and queue command sequences: tokens are never over-granted, waiters are
 * served first come first served, a cancelled waiter never; every value put is got exactly
 * once, in order.
 */
import * as fc from "fast-check";
import { assertBoolean, assertCount, assertOptions } from "../internal/checks.js";
import { assertArray, assertAdapter, assertMember, snapshot, settle, showError, showValue, type DeferredAdapter } from "./adapter.js";

/**
 * One command for a lock or semaphore. "cancel" cancels one acquire still waiting: the one at
 * `waiter` (modulo how many wait) in the line, oldest first; nothing when none waits.
 */
export interface LockCommand {
  /** "acquire" a token, "release" the oldest holder's, or "cancel" a waiting acquire. */
  readonly op: "acquire" | "release" | "cancel";
  /** For "cancel": which waiter, by its place in the line (modulo its length). */
  readonly waiter?: number;
}

/** One command for a queue. "cancel" cancels the waiting get at `getter` (modulo how many wait), oldest first. */
export interface QueueCommand {
  /** "put" the next value (`v0`, `v1`, …), "get" one, or "cancel" a waiting get. */
  readonly op: "put" | "get" | "cancel";
  /** For "cancel": which waiting get, by its place in the line (modulo its length). */
  readonly getter?: number;
}

const showCommands = (kind: string, cs: readonly { op: string; waiter?: number; getter?: number }[]): string =>
  `${kind} [${cs.map((c) => (c.op === "cancel" ? `cancel waiting[${c.waiter ?? c.getter}]` : c.op)).join(", ")}]`;

function assertCancelOption(options: unknown): void {
  assertOptions(options);
  const cancel = (options as { cancel?: unknown }).cancel;
  if (cancel !== undefined) assertBoolean(cancel, "options.cancel");
}

/** The id at position `k` (modulo the length) of a line, oldest first; undefined when empty. */
function pick(ids: Iterable<number>, k: number): number | undefined {
  const line = [...ids];
  return line.length === 0 ? undefined : line[k % line.length];
}

/**
 * Generates lock or semaphore commands (up to 24; 10 at fast-check's default `size`); "cancel" only when `cancel` is set.
 *
 * @example
 * ```ts
 * fc.sample(lockCommands(), { numRuns: 20, seed: 1 }).flat().some((c) => c.op === "cancel"); // => false
 * ```
 */
export function lockCommands(options: { cancel?: boolean } = {}): fc.Arbitrary<LockCommand[]> {
  assertCancelOption(options);
  const command = fc.oneof(
    { weight: 3, arbitrary: fc.constant<LockCommand>({ op: "acquire" }) },
    { weight: 2, arbitrary: fc.constant<LockCommand>({ op: "release" }) },
    ...(options.cancel === true ? [fc.nat({ max: 3 }).map((waiter): LockCommand => ({ op: "cancel", waiter }))] : []),
  );
  return fc.array(command, { maxLength: 24 }).map((cs) => Object.assign(cs, { [fc.toStringMethod]: () => showCommands("lock", cs) }));
}

/**
 * Generates queue commands (up to 24; 10 at fast-check's default `size`); "cancel" only when `cancel` is set.
 *
 * @example
 * ```ts
 * fc.sample(queueCommands({ cancel: true }), { numRuns: 3, seed: 1 }).length; // => 3
 * ```
 */
export function queueCommands(options: { cancel?: boolean } = {}): fc.Arbitrary<QueueCommand[]> {
  assertCancelOption(options);
  const command = fc.oneof(
    { weight: 2, arbitrary: fc.constant<QueueCommand>({ op: "put" }) },
    { weight: 2, arbitrary: fc.constant<QueueCommand>({ op: "get" }) },
    ...(options.cancel === true ? [fc.nat({ max: 3 }).map((getter): QueueCommand => ({ op: "cancel", getter }))] : []),
  );
  return fc.array(command, { maxLength: 24 }).map((cs) => Object.assign(cs, { [fc.toStringMethod]: () => showCommands("queue", cs) }));
}

/**
 * The model of a lock (1 token) or semaphore: first come, first served. At the end every
 * holder releases in turn, so every waiter not cancelled gets its turn.
 *
 * @example
 * ```ts
 * modelLock(1, [{ op: "acquire" }, { op: "acquire" }, { op: "release" }]); // => ["@ acquire #0", "#0 holds", "@ acquire #1", "@ release by #0", "#1 holds", "@ release everything", "@ release by #1"]
 * ```
 */
export function modelLock(tokens: number, commands: readonly LockCommand[]): string[] {
  assertCount(tokens, "tokens", 1);
  assertArray(commands, "commands");
  const trace: string[] = [];
  let free = tokens;
  let next = 0;
  const holders: number[] = [];
  const waiters: number[] = [];
  const grant = (): void => {
    while (free > 0 && waiters.length > 0) {
      free--;
      const id = waiters.shift()!;
      holders.push(id);
      trace.push(`#${id} holds`);
    }
  };
  const release = (): void => {
    trace.push(`@ release by #${holders.shift()!}`);
    free++;
    grant();
  };
  for (const c of commands) {
    if (c.op === "acquire") {
      trace.push(`@ acquire #${next}`);
      waiters.push(next++);
      grant();
    } else if (c.op === "release") {
      if (holders.length > 0) release();
    } else {
      const id = pick(waiters, c.waiter ?? 0);
      if (id === undefined) continue;
      trace.push(`@ cancel #${id}`, `#${id} cancelled`);
      waiters.splice(waiters.indexOf(id), 1);
    }
  }
  trace.push("@ release everything");
  while (holders.length > 0) release();
  return trace;
}

/**
 * Runs lock or semaphore commands (`tokens` 1: the adapter's lock) and returns the trace.
 *
 * @example
 * ```ts
 * const commands: LockCommand[] = [{ op: "acquire" }, { op: "acquire" }, { op: "cancel", waiter: 1 }];
 * await runLock(deferkitAdapter, 1, commands); // => modelLock(1, commands)
 * ```
 */
export function runLock<H>(adapter: DeferredAdapter<H>, tokens: number, commands: readonly LockCommand[]): Promise<string[]> {
  assertAdapter(adapter);
  assertCount(tokens, "tokens", 1);
  assertMember(adapter, tokens === 1 && adapter.lock !== undefined ? "lock" : "semaphore");
  assertArray(commands, "commands");
  if (commands.some((c) => c.op === "cancel")) assertMember(adapter, "cancel");
  return interpretLock(adapter, tokens, commands);
}

async function interpretLock<H>(adapter: DeferredAdapter<H>, tokens: number, commands: readonly LockCommand[]): Promise<string[]> {
  const lock = tokens === 1 && adapter.lock !== undefined ? adapter.lock() : adapter.semaphore!(tokens);
  const trace: string[] = [];
  const holders: number[] = [];
  const waiting = new Map<number, H>();
  let next = 0;
  // Helpers that never await: a synchronous implementation gets no microtask between events.
  const release = (): void => {
    trace.push(`@ release by #${holders.shift()!}`);
    lock.release();
  };
  for (const c of commands) {
    if (c.op === "acquire") {
      const id = next++;
      trace.push(`@ acquire #${id}`);
      const h = lock.acquire();
      waiting.set(id, h);
      adapter.then(
        h,
        () => {
          waiting.delete(id);
          holders.push(id);
          trace.push(`#${id} holds`);
        },
        (e) => {
          waiting.delete(id);
          const why = showError(adapter, e);
          trace.push(why === "cancelled" ? `#${id} cancelled` : `#${id} failed: ${why}`);
        },
      );
      if (!adapter.synchronous) await settle();
    } else if (c.op === "release") {
      if (holders.length === 0) continue;
      release();
      if (!adapter.synchronous) await settle();
    } else {
      const id = pick(waiting.keys(), c.waiter ?? 0);
      if (id === undefined) continue;
      trace.push(`@ cancel #${id}`);
      adapter.cancel!(waiting.get(id)!);
      if (!adapter.synchronous) await settle();
    }
  }
  trace.push("@ release everything");
  while (holders.length > 0) {
    release();
    if (!adapter.synchronous) await settle();
  }
  return snapshot(adapter, trace);
}

/**
 * The model of a queue: values and gets both first in, first out. At the end, one get per value left.
 *
 * @example
 * ```ts
 * modelQueue([{ op: "get" }, { op: "put" }, { op: "put" }]); // => ["@ get #0", "@ put v0", "get #0 got v0", "@ put v1", "@ get the rest", "@ get #1", "get #1 got v1"]
 * ```
 */
export function modelQueue(commands: readonly QueueCommand[]): string[] {
  assertArray(commands, "commands");
  const trace: string[] = [];
  const values: string[] = [];
  const getters: number[] = [];
  let puts = 0;
  let gets = 0;
  const deliver = (): void => {
    while (values.length > 0 && getters.length > 0) trace.push(`get #${getters.shift()!} got ${values.shift()!}`);
  };
  const get = (): void => {
    trace.push(`@ get #${gets}`);
    getters.push(gets++);
    deliver();
  };
  for (const c of commands) {
    if (c.op === "put") {
      const v = `v${puts++}`;
      trace.push(`@ put ${v}`);
      values.push(v);
      deliver();
    } else if (c.op === "get") get();
    else {
      const id = pick(getters, c.getter ?? 0);
      if (id === undefined) continue;
      trace.push(`@ cancel get #${id}`, `get #${id} cancelled`);
      getters.splice(getters.indexOf(id), 1);
    }
  }
  trace.push("@ get the rest");
  while (values.length > 0) get();
  return trace;
}

/**
 * Runs queue commands on the adapter's queue and returns the trace.
 *
 * @example
 * ```ts
 * const commands: QueueCommand[] = [{ op: "get" }, { op: "get" }, { op: "cancel", getter: 0 }, { op: "put" }];
 * await runQueue(deferkitAdapter, commands); // => modelQueue(commands)
 * ```
 */
export function runQueue<H>(adapter: DeferredAdapter<H>, commands: readonly QueueCommand[]): Promise<string[]> {
  assertAdapter(adapter);
  assertMember(adapter, "queue");
  assertArray(commands, "commands");
  if (commands.some((c) => c.op === "cancel")) assertMember(adapter, "cancel");
  return interpretQueue(adapter, commands);
}

async function interpretQueue<H>(adapter: DeferredAdapter<H>, commands: readonly QueueCommand[]): Promise<string[]> {
  const queue = adapter.queue!();
  const trace: string[] = [];
  const waiting = new Map<number, H>();
  let puts = 0;
  let gets = 0;
  let delivered = 0;
  const get = (): void => {
    const id = gets++;
    trace.push(`@ get #${id}`);
    const h = queue.get();
    waiting.set(id, h);
    adapter.then(
      h,
      (v) => {
        waiting.delete(id);
        delivered++;
        trace.push(`get #${id} got ${showValue(v)}`);
      },
      (e) => {
        waiting.delete(id);
        const why = showError(adapter, e);
        trace.push(why === "cancelled" ? `get #${id} cancelled` : `get #${id} failed: ${why}`);
      },
    );
  };
  for (const c of commands) {
    if (c.op === "put") {
      const v = `v${puts++}`;
      trace.push(`@ put ${v}`);
      queue.put(v);
      if (!adapter.synchronous) await settle();
    } else if (c.op === "get") {
      get();
      if (!adapter.synchronous) await settle();
    } else {
      const id = pick(waiting.keys(), c.getter ?? 0);
      if (id === undefined) continue;
      trace.push(`@ cancel get #${id}`);
      adapter.cancel!(waiting.get(id)!);
      if (!adapter.synchronous) await settle();
    }
  }
  trace.push("@ get the rest");
  // Exactly as many gets as values should be left: a lost value leaves a get without an answer.
  for (let left = puts - delivered; left > 0; left--) {
    get();
    if (!adapter.synchronous) await settle();
  }
  return snapshot(adapter, trace);
}
