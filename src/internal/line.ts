// A Deferred waiting its turn in a line: a lock's or semaphore's acquire(), a queue's get().
// The Deferred is its own entry (no second object per waiter), and cancelling it takes it out
// of the line in O(1) through the "waits on" protocol.
import { Deferred } from "../deferred.js";
import { Fifo, type FifoEntry } from "./fifo.js";
import { setWait, type Wait } from "./waits.js";

/** A waiting acquire() or get(). @internal */
export class InLine extends Deferred<unknown> {
  /** @internal What it waits for: the lock, semaphore or queue. */
  _owner: object;
  /** @internal The line it stands in. */
  _line: Fifo<InLine>;
  /** @internal Its place in `_line`; `null` once it left the line. */
  _entry: FifoEntry<InLine> | null;

  constructor(owner: object, line: Fifo<InLine>) {
    super();
    setWait(this, IN_LINE_WAIT);
    this._owner = owner;
    this._line = line;
    this._entry = line.push(this);
  }
}

/**
 * A waiter waits on its owner. Cancelling it takes it out of the line and lets `cancel()` fail
 * it with CancelledError; what it would have got goes to the next in line.
 */
const IN_LINE_WAIT: Wait = {
  _waitsOn: (d) => [(d as InLine)._owner],
  _cancelWait: (d) => {
    const waiter = d as InLine;
    if (waiter._entry !== null) waiter._line.remove(waiter._entry);
    waiter._entry = null;
    return false;
  },
};

/** Takes the oldest waiter that can still be fired out of `line` (one fired by hand is dropped). @internal */
export function nextInLine(line: Fifo<InLine>): InLine | undefined {
  for (;;) {
    const waiter = line.shift();
    if (waiter === undefined) return undefined;
    waiter._entry = null;
    if (!waiter.called) return waiter;
  }
}
