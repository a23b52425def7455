// The `floor` column of S1-S3: the least any synchronous callback chain has to do, written as
// plainly as possible, to show how far below native Promise a chain of this kind can go on
// this machine. It keeps only what no correct Deferred can skip:
// - steps added before the result are stored, each with a success and a failure slot;
// - a step that throws turns the chain to its failure path (and failures skip callbacks);
// - a running flag, so that a step adding a step to its own chain queues it behind itself;
// - a check of each step's return value for a Deferred to wait on (never true here).
// It has none of the rest: no extra step arguments, pause, cancel, unhandled-failure
// tracking, thenable adoption, chainDeferred, debug info, argument checks, or recursion-free
// waiting. deferkit's time over this column is the price of those.

class MinimalFailure {
  constructor(error) {
    this.error = error;
  }
}

const FIRED = 1;
const RUNNING = 2;

export class MinimalDeferred {
  constructor() {
    this.state = 0;
    this.result = undefined;
    this.steps = null;
  }

  callback(result) {
    if (this.state !== 0) throw new Error("already called");
    this.state = FIRED;
    this.result = result;
    if (this.steps !== null) this.run();
  }

  addCallback(fn) {
    const input = this.result;
    if (this.state !== FIRED || input instanceof MinimalFailure) return this.queue(fn, undefined);
    this.state = FIRED | RUNNING;
    let r;
    try {
      r = fn(input);
    } catch (e) {
      r = new MinimalFailure(e);
    }
    this.result = r;
    this.state = FIRED;
    if ((typeof r === "object" && r instanceof MinimalDeferred) || this.steps !== null) this.run();
    return this;
  }

  addErrback(fn) {
    return this.queue(undefined, fn);
  }

  queue(onResult, onFailure) {
    if (this.state === FIRED && this.result instanceof MinimalFailure && onFailure === undefined) return this;
    if (this.steps === null) this.steps = [onResult, onFailure];
    else this.steps.push(onResult, onFailure);
    if (this.state === FIRED) this.run();
    return this;
  }

  run() {
    if (this.result instanceof MinimalDeferred) throw new Error("waiting is not part of the floor");
    this.state = FIRED | RUNNING;
    const steps = this.steps;
    let r = this.result;
    for (let i = 0; i < steps.length; i += 2) {
      const fn = steps[r instanceof MinimalFailure ? i + 1 : i];
      if (fn === undefined) continue;
      try {
        r = fn(r);
      } catch (e) {
        r = new MinimalFailure(e);
      }
      if (typeof r === "object" && r instanceof MinimalDeferred) throw new Error("waiting is not part of the floor");
    }
    this.steps = null;
    this.result = r;
    this.state = FIRED;
  }
}

/** A fired MinimalDeferred, as `succeed(result)`. */
export const minimalSucceed = (result) => {
  const d = new MinimalDeferred();
  d.state = FIRED;
  d.result = result;
  return d;
};

// The `plain-contract` column of S3: not a floor but the other bound. MinimalDeferred plus what
// the project's contract asks of every chain and MinimalDeferred leaves out, each written in
// the plainest way: a step that returns a pending Deferred pauses the chain until that one
// fires, without recursion (the waiter is handed the result by a marker step, and the loop
// switches to it: a million nested waits must not overflow the stack); a paused chain keeps
// its place in its step list and clears each consumed slot so that it does not keep its steps
// alive; a pause test per step; extra step arguments (`addCallback(fn, ...args)`); a failure
// left at the end of a run is noted (a lost failure must be reportable). Still none of:
// cancel, chainDeferred, thenables, debug info or argument checks. S3 never waits: what is
// measured is the bookkeeping that makes waiting and extra arguments possible. deferkit's
// own layout (an inline first step, one-slot plain steps) is what takes it below this column.

const PAUSED = 4;
const RESUME = () => undefined; // the marker step of a waiter: its extra argument is the waiter

export class PlainContractDeferred {
  constructor() {
    this.state = 0;
    this.result = undefined;
    this.steps = null; // [onResult, onFailure, args, ...]
    this.head = 0;
    this.unhandled = null;
  }

  callback(result) {
    if ((this.state & FIRED) !== 0) throw new Error("already called");
    this.state |= FIRED;
    this.result = result;
    if (this.steps !== null || (typeof result === "object" && result instanceof PlainContractDeferred)) runWaiting(this);
  }

  // (No rest parameter: it would allocate an array for every step, even with no extra argument.)
  addCallback(fn) {
    return this.queue(fn, undefined, arguments.length === 1 ? undefined : Array.prototype.slice.call(arguments, 1));
  }

  addErrback(fn) {
    return this.queue(undefined, fn, arguments.length === 1 ? undefined : Array.prototype.slice.call(arguments, 1));
  }

  queue(onResult, onFailure, args) {
    if (this.steps === null) {
      this.steps = [onResult, onFailure, args];
      this.head = 0;
    } else {
      this.steps.push(onResult, onFailure, args);
    }
    if (this.state === FIRED) runWaiting(this);
    return this;
  }
}

const switchedFrom = [];

/** The plain contract's run loop: runs `start`'s steps, switching to a waiter when a wait ends. */
function runWaiting(start) {
  if ((start.state & RUNNING) !== 0) return;
  const base = switchedFrom.length;
  let d = start;
  for (;;) {
    d.state |= RUNNING;
    let r = d.result;
    let next = null;
    for (;;) {
      if (typeof r === "object" && r instanceof PlainContractDeferred && r !== d) {
        if (r.state !== FIRED) {
          d.state |= PAUSED;
          r.queue(RESUME, RESUME, d);
          break;
        }
        const inner = r; // it has a result: take it (its failure, if any, is now ours to report)
        r = d.result = inner.result;
        inner.result = undefined;
        inner.unhandled = null;
        continue;
      }
      const steps = d.steps;
      if (steps === null || (d.state & PAUSED) !== 0) break;
      const i = d.head;
      if (i >= steps.length) break;
      d.head = i + 3;
      // (typeof first: most results are primitives, and it is cheaper than instanceof.)
      const fn = steps[typeof r === "object" && r instanceof MinimalFailure ? i + 1 : i];
      const args = steps[i + 2];
      steps[i] = steps[i + 1] = steps[i + 2] = undefined;
      if (fn === undefined) continue;
      if (fn === RESUME) {
        // Hand the result to the waiter and go on with it in this loop; its own chain ends in undefined.
        args.state &= ~PAUSED;
        args.result = r;
        r = d.result = undefined;
        next = args;
        break;
      }
      try {
        r = args === undefined ? fn(r) : fn(r, ...args);
      } catch (e) {
        r = new MinimalFailure(e);
      }
      d.result = r;
    }
    if (next !== null) {
      switchedFrom.push(d);
      d = next;
      continue;
    }
    if (d.steps !== null && d.head >= d.steps.length) {
      d.steps = null;
      d.head = 0;
    }
    d.unhandled = typeof r === "object" && r instanceof MinimalFailure ? r : null;
    d.state &= ~RUNNING;
    if (switchedFrom.length === base) return;
    d = switchedFrom.pop();
  }
}

/** The plain contract's own checks: waits resume with the result, deep waits do not recurse, failures are kept. */
export function checkPlainContract() {
  const inner = new PlainContractDeferred();
  const outer = new PlainContractDeferred();
  let seen;
  outer.addCallback(() => inner).addCallback((v, k) => v + k, 1).addCallback((v) => (seen = v));
  outer.callback(0);
  if (seen !== undefined) throw new Error("plain-contract ran a step while waiting");
  inner.callback(41);
  if (seen !== 42 || inner.result !== undefined) throw new Error(`plain-contract result: ${seen}, inner ${inner.result}`);
  // 200,000 levels, each level's step returning the pending level below it; the innermost fires last.
  const levels = [];
  for (let k = 0; k < 200_000; k++) levels.push(new PlainContractDeferred());
  for (let k = 0; k < levels.length - 1; k++) {
    const below = levels[k + 1];
    levels[k].addCallback(() => below);
  }
  let deep;
  levels[0].addCallback((v) => (deep = v));
  for (let k = 0; k < levels.length - 1; k++) levels[k].callback(k);
  levels[levels.length - 1].callback("bottom");
  if (deep !== "bottom") throw new Error(`plain-contract deep result: ${deep}`);
  const failing = new PlainContractDeferred();
  failing.addCallback(() => {
    throw new Error("x");
  });
  failing.callback(1);
  if (!(failing.unhandled instanceof MinimalFailure)) throw new Error("plain-contract lost a failure");
}
