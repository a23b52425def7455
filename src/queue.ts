// DeferredQueue: a buffer of items and a line of waiting gets, each a Fifo (O(1) at both ends,
// and a cancelled get leaves the line in O(1)).
//
// put() hands its item to the oldest waiting get, whose chain runs inside put(). A chain that
// puts again at once (a consumer feeding the queue, or a burst of puts meeting a million
// waiting gets) would nest one callback() per item, as Twisted's does. Instead, while a
// hand-off runs, put() and get() only join the buffer and the line, and the running hand-off's
// loop matches them up, oldest item to oldest get. So the two Fifos can both be non-empty
// during a hand-off, and the counts below subtract the pairs still to be matched.
import type { SignalOptions } from "./abort.js";
import { checkResult, Deferred, succeed } from "./deferred.js";
import { QueueOverflow, QueueUnderflow } from "./errors.js";
import { signalOption } from "./internal/abort.js";
import { assertCount } from "./internal/checks.js";
import { Fifo } from "./internal/fifo.js";
import { InLine, nextInLine } from "./internal/line.js";

/**
 * A queue whose `get()` returns a Deferred: items put before a get wait in a buffer, gets made
 * before a put wait in line, and each item goes to exactly one get, in the order put.
 *
 * Twisted: `defer.DeferredQueue`. `size` bounds the buffer (`put()` beyond it throws
 * `QueueOverflow`), `backlog` the waiting gets (`get()` beyond it throws `QueueUnderflow`),
 * both synchronously; both default to `Infinity` (Twisted's `None`), and anything but a
 * non-negative integer or `Infinity` throws `RangeError` (`TypeError` for a non-number).
 * `pending` and `waiting` are counts (in Twisted, the lists themselves). Cancelling a waiting
 * get takes it out of the line: the next item goes to the next get, and nothing is lost.
 * `for await (const item of queue)` consumes it.
 *
 * **Gotchas:** a get's chain runs inside the `put()` that fills it; a `put()` made from inside
 * such a chain is handed over when that chain returns. An item cannot be a `Deferred` (a
 * Deferred cannot fire with one): `put()` throws `TypeError`.
 *
 * @example
 * ```ts
 * const queue = new DeferredQueue<string>();
 * const first = queue.get(); // waits
 * queue.put("a"); // goes to the waiting get, which fires now
 * queue.put("b"); // buffered
 * successResultOf(first); // => "a"
 * queue.pending; // => 1
 * successResultOf(queue.get()); // => "b"
 * queue.pending; // => 0
 * ```
 */
export class DeferredQueue<T> {
  /** How many items may wait in the buffer. */
  readonly size: number;
  /** How many gets may wait for items. */
  readonly backlog: number;
  /** @internal Items put and not yet got, oldest first. */
  readonly _items: Fifo<T>;
  /** @internal Gets waiting for an item, oldest first. */
  readonly _getters: Fifo<InLine>;
  /** @internal Set while a hand-off runs (see the module comment). */
  _serving: boolean;

  constructor(size: number = Infinity, backlog: number = Infinity) {
    assertCount(size, "size", 0, true);
    assertCount(backlog, "backlog", 0, true);
    this.size = size;
    this.backlog = backlog;
    this._items = new Fifo<T>();
    this._getters = new Fifo<InLine>();
    this._serving = false;
  }

  /**
   * How many items wait in the buffer for a get (Twisted: `len(queue.pending)`).
   *
   * @example
   * ```ts
   * const queue = new DeferredQueue<string>();
   * queue.put("a");
   * queue.pending; // => 1
   * ```
   */
  get pending(): number {
    return Math.max(0, this._items.size - this._getters.size);
  }

  /**
   * How many gets wait for an item (Twisted: `len(queue.waiting)`).
   *
   * @example
   * ```ts
   * const queue = new DeferredQueue<string>();
   * queue.get();
   * queue.waiting; // => 1
   * ```
   */
  get waiting(): number {
    return Math.max(0, this._getters.size - this._items.size);
  }

  /**
   * Gives `item` to the oldest waiting get (its chain runs inside this call), or buffers it.
   *
   * Twisted: `DeferredQueue.put`. Throws `QueueOverflow` when no get waits and `size` items are
   * already buffered, and `TypeError` for a Deferred item; either way nothing changes.
   *
   * @example
   * ```ts
   * const queue = new DeferredQueue<number>(1);
   * queue.put(1);
   * let caught: unknown;
   * try { queue.put(2); } catch (e) { caught = e; }
   * QueueOverflow.is(caught); // => true
   * successResultOf(queue.get()); // => 1
   * ```
   */
  put(item: T): void {
    // A get() fires with the item, so the item follows callback()'s rule: no Deferred, no Promise.
    if (typeof item === "object" && item !== null) checkResult(item, "item");
    if (this._items.size - this._getters.size >= this.size) {
      throw new QueueOverflow(`DeferredQueue is full: ${this.size} items are waiting for a get()`);
    }
    if (this._serving) {
      this._items.push(item); // the running hand-off passes it on, in order
      return;
    }
    // Not serving: the buffer is empty whenever a get waits. The fast path gives the item
    // straight to the get, without a trip through the buffer (bench S12).
    const getter = nextInLine(this._getters);
    if (getter === undefined) {
      this._items.push(item);
      return;
    }
    this._serving = true;
    try {
      getter.callback(item);
      this._serve();
    } finally {
      this._serving = false;
    }
  }

  /**
   * A Deferred of the next item: fired at once from the buffer, else when an item is put.
   *
   * Twisted: `DeferredQueue.get`. Throws `QueueUnderflow` when the buffer is empty and
   * `backlog` gets already wait. Cancelling a waiting get fails it with `CancelledError` and
   * takes it out of the line; cancelling one that has its item does nothing. With
   * `{ signal }`, an abort cancels a waiting get (the `CancelledError`'s `cause` is the
   * signal's `reason`); a signal that has already aborted gives a failed Deferred and takes no
   * item.
   *
   * @example
   * ```ts
   * const queue = new DeferredQueue<string>();
   * const controller = new AbortController();
   * const d = queue.get({ signal: controller.signal });
   * controller.abort("shutting down");
   * failureResultOf(d, CancelledError);
   * queue.put("kept"); // no get waits any more: it is buffered, not lost
   * successResultOf(queue.get()); // => "kept"
   * ```
   */
  get(options?: SignalOptions): Deferred<T> {
    const signal = signalOption(options);
    if (signal?.aborted === true) return new Deferred<T>().cancelOn(signal);
    if (this._getters.size === 0 && this._items.size > 0) return succeed(this._items.shift() as T);
    if (this._getters.size - this._items.size >= this.backlog) {
      throw new QueueUnderflow(`DeferredQueue backlog is full: ${this.backlog} gets are waiting for an item`);
    }
    // Joins the line; while serving with items still buffered, the running hand-off serves it.
    const getter = new InLine(this, this._getters);
    if (signal !== undefined) getter.cancelOn(signal);
    return getter as Deferred<unknown> as Deferred<T>;
  }

  /** @internal Matches buffered items with waiting gets, oldest first, in a loop. */
  _serve(): void {
    while (this._items.size > 0) {
      const getter = nextInLine(this._getters);
      if (getter === undefined) return;
      getter.callback(this._items.shift());
    }
  }

  /**
   * Consumes the queue with `for await`: each step is a `get()`, so items are taken one at a
   * time, as the loop asks for them. The iteration never ends by itself; `break` (the
   * iterator's `return()`) cancels a get still waiting, so no item goes to it and none is
   * lost.
   *
   * @example
   * ```ts
   * const queue = new DeferredQueue<number>();
   * [1, 2, 3].forEach((n) => queue.put(n));
   * let sum = 0;
   * for await (const n of queue) {
   *   sum += n;
   *   if (queue.pending === 0) break;
   * }
   * sum; // => 6
   * queue.waiting; // => 0
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    let current: Deferred<T> | null = null;
    let finished = false;
    const done = (): IteratorResult<T, undefined> => ({ value: undefined, done: true });
    return {
      next: () => {
        if (finished) return Promise.resolve(done());
        let d: Deferred<T>;
        try {
          d = this.get();
        } catch (e) {
          return Promise.reject(e); // QueueUnderflow, as a rejection
        }
        current = d;
        return d.asPromise().then(
          (value): IteratorResult<T, undefined> => {
            if (current === d) current = null;
            return { value, done: false };
          },
          (reason: unknown) => {
            if (current === d) current = null;
            if (finished) return done(); // cancelled by return()
            throw reason;
          },
        );
      },
      return: () => {
        finished = true;
        const d = current;
        current = null;
        if (d !== null) d.cancel(); // a waiting get leaves the line; one that has its item keeps it
        return Promise.resolve(done());
      },
    };
  }
}
