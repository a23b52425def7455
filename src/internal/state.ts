// A Deferred's state bits and the markers that stand in its step slots.
//
// Hot path map. One step runs in four places, each a copy kept small for one case, so that V8
// inlines it into its caller (measure any change with `npm run bench:ab`):
//   - `Deferred#_fire`: the Deferred's one inline step, when it fires (S1, S4);
//   - `Deferred#addCallback`'s fast path: a step added to a fired, idle Deferred (S2);
//   - `Deferred#_runOrQueue`: the same for addErrback/addBoth and slow-path callbacks (S5);
//   - `runCallbacks` (runner.ts): every other case, and the only one that loops.
// What must change in all four together: how a step is called (see `callStep`), what a step
// that throws becomes (`asFailure`), the RUNNING bit around the call, and what happens after
// it (adopt a returned Deferred or PromiseLike, run steps the step added, track an unhandled
// failure: `Deferred#_continueAfterStep` and `endRun`). The property tests in __tests__/laws
// check that the four agree, against one model.

// `_state`: flag bits, and the pause count above them. One small integer instead of four
// booleans and a counter keeps a Deferred at 10 fields, and lets the hot paths ask "fired,
// not running, not paused?" with one load and one compare: (_state & READY_MASK) === CALLED.
// Every flag is below PAUSE, so `_state < PAUSE` reads "not paused" (the runner's loop test).

/** callback() or errback() has been invoked. */
export const CALLED = 1;
/** One of the Deferred's steps is running (a CHAIN step: until its target's run ends). */
export const RUNNING = 2;
/** Cancelled without a canceller: ignore one late callback()/errback(). */
export const SUPPRESS = 4;
/** Waiting in the unhandled-failure check's list (unhandled.ts). */
export const QUEUED = 8;
/**
 * The last run ended in a Failure. A run that changes the result ends by clearing RUNNING and
 * FAILED together (RUN_OVER), then in `trackUnhandled` (unhandled.ts), which sets FAILED for a
 * Failure; so `_state === CALLED`, exactly, says "fired, idle, and no Failure": the one test
 * addCallback's fast path makes, without an `instanceof` (bench S2). Nothing else relies on
 * it: a stale bit (a result taken away by adopt) only sends a call down a slow path.
 */
export const FAILED = 16;
/** One pause() (or the runner's wait on the Deferred in `_link`); `_state >>> 5` is the count. */
export const PAUSE = 32;
/** Fired, not running, not paused, whatever SUPPRESS, QUEUED and FAILED say: `(_state & READY_MASK) === CALLED`. */
export const READY_MASK = ~(SUPPRESS | QUEUED | FAILED);
/**
 * "Has a result and is not paused", running or not: what a step's returned Deferred must be
 * for its result to be taken at once (adopt).
 */
export const TAKE_MASK = ~(SUPPRESS | QUEUED | RUNNING | FAILED);
/** `_state &= RUN_OVER` ends a run: not running, and no Failure until trackUnhandled says so. */
export const RUN_OVER = ~(RUNNING | FAILED);

/** A step's function: the result, then its extra arguments. */
export type AnyStep = (result: unknown, ...args: unknown[]) => unknown;

// Steps: the oldest pending step sits in three fields of the Deferred (_cb, _eb, _args), so a
// Deferred with one step allocates nothing more (bench S1, S7); further steps go to a flat
// array: a plain callback as one slot (the function), any other step as four slots
// [null, onResult, onFailure, args].

/** In `_args`: the inline slot is empty. */
export const NO_STEP: unknown[] = [];

/**
 * In `_head`: `_steps` is not an array but the one Deferred waiting on this one, behind the
 * inline step (see pushStep in runner.ts): a wait allocates no array.
 */
export const LONE_WAITER = -1;

// These two markers stand in the function slots of internal steps and are never called.
/** Hand the result to the Deferred in the args slot, which is paused waiting for it. */
export function CONTINUE(): void {}
/** Fire the Deferred in the args slot with the result (chainDeferred). */
export function CHAIN(): void {}

/**
 * In the args slot, OBSERVE marks an observer (then/asPromise, Promise adoption): its two
 * functions get the value or the failure's value, and the result stays as it was.
 */
export const OBSERVE: unknown[] = [];
