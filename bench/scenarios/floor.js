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
