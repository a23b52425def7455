/**
 * The two adapters the package ships: deferkit itself (every law), and native Promise (the
 * subset that applies: chains, `all`, `any`). Both are also worked examples of an adapter.
 */
import { CancelledError, FirstError } from "../errors.js";
import { Deferred } from "../deferred.js";
import { Failure } from "../failure.js";
import { gatherResults, race } from "../deferred-list.js";
import { Clock } from "../time.js";
import { DeferredLock, DeferredSemaphore } from "../lock.js";
import { DeferredQueue } from "../queue.js";
import type { DeferredAdapter } from "./adapter.js";

/**
 * deferkit seen by the laws: every law applies. `all` is `gatherResults` (its FirstError
 * unwrapped), `any` is `race` (its `[index, value]` reduced to the value).
 *
 * @example
 * ```ts
 * await checkDeferredLaws(deferkitAdapter); // resolves: deferkit obeys its own laws
 * ```
 */
export const deferkitAdapter: DeferredAdapter<Deferred<unknown>> = {
  name: "deferkit",
  synchronous: true,
  create(onCancel) {
    const d = new Deferred<unknown>(onCancel === undefined ? undefined : () => onCancel());
    return { handle: d, resolve: (v) => d.callback(v), reject: (e) => d.errback(e) };
  },
  then(d, onValue, onError) {
    if (onValue === undefined) {
      if (onError !== undefined) d.addErrback((f: Failure) => onError(f));
    } else if (onError === undefined) d.addCallback(onValue);
    else d.addCallbacks(onValue, (f: Failure) => onError(f));
    return d;
  },
  failWith: (error) => new Failure(error),
  errorOf: (reason) => (reason instanceof Failure ? reason.value : reason),
  cancel: (d) => d.cancel(),
  isCancellation: (error) => error instanceof CancelledError,
  pause: (d) => d.pause(),
  unpause: (d) => d.unpause(),
  all: (ds) =>
    gatherResults(ds, { consumeErrors: true }).addErrback((f: Failure) =>
      f.value instanceof FirstError ? f.value.subFailure : f,
    ) as Deferred<unknown>,
  any: (ds) => race(ds).addCallback(([, value]) => value) as Deferred<unknown>,
  clock() {
    const clock = new Clock();
    return { callLater: (ms, fn) => clock.callLater(ms, fn), advance: (ms) => clock.advance(ms) };
  },
  lock() {
    const lock = new DeferredLock();
    return { acquire: () => lock.acquire() as Deferred<unknown>, release: () => lock.release() };
  },
  semaphore(tokens) {
    const semaphore = new DeferredSemaphore(tokens);
    return { acquire: () => semaphore.acquire() as Deferred<unknown>, release: () => semaphore.release() };
  },
  queue() {
    const queue = new DeferredQueue<unknown>();
    return { put: (v) => queue.put(v), get: () => queue.get() };
  },
};

/**
 * Native Promise seen by the laws: the chain laws without cancel, pause or Failure values,
 * and `all`/`any` as `Promise.all`/`Promise.any`. It passes them: where a Deferred and a
 * Promise both apply, they agree (only later: a Promise's steps run in a later job).
 *
 * @example
 * ```ts
 * await checkDeferredLaws(promiseAdapter); // the subset that applies to Promise
 * ```
 */
export const promiseAdapter: DeferredAdapter<Promise<unknown>> = {
  name: "native Promise",
  synchronous: false,
  create() {
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const handle = new Promise<unknown>((res, rej) => ((resolve = res), (reject = rej)));
    // The laws fail some handles nobody waits on (a step that never runs): not a leak.
    handle.catch(() => {});
    return { handle, resolve, reject };
  },
  then(p, onValue, onError) {
    const next = p.then(onValue, onError);
    // The laws observe a chain's end only once its schedule has run: a rejection before then
    // is not unhandled (Node would end the process for it).
    next.catch(() => {});
    return next;
  },
  all: (ps) => Promise.all(ps),
  any: (ps) => Promise.any(ps),
};
