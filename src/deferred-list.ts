import { Deferred } from "./deferred.js";
import { FailureGroup, FirstError } from "./errors.js";
import { Failure } from "./failure.js";
import { assertOptions, formatValue } from "./internal/checks.js";
import { toDeferred } from "./internal/thenable.js";
import { NO_DEBUG_INFO, reportUnhandled } from "./internal/unhandled.js";
import { setWait, type Wait } from "./internal/waits.js";

// Three combinators over a list of Deferreds. Each makes one step closure for itself and
// attaches it to every input with the internal `_addIndexed(step, index)`, which keeps the
// index in the step's args slot: no per-input allocation at all (not even an arguments array).
// Bench: S4, "gatherResults of 1,000 pending Deferreds" against Promise.all.

/**
 * One slot of a `DeferredList`'s result: `[true, result]` for an input that succeeded,
 * `[false, failure]` for one that failed.
 *
 * Twisted: the `(SUCCESS, result)` / `(FAILURE, failure)` pairs of `defer.DeferredList`.
 *
 * @example
 * ```ts
 * const [entry] = successResultOf(new DeferredList([succeed("a")]));
 * entry; // => [true, "a"]
 * ```
 */
export type DeferredListEntry<T> = [success: true, result: T] | [success: false, failure: Failure];

/**
 * The options of a `DeferredList` that fires with its list of entries: when it fires, and what
 * it does to its inputs' failures. A list that fires with the first success takes
 * `FireOnOneCallbackOptions` instead; the two kinds are two types so that options held in a
 * variable still give the list its exact result type.
 *
 * Twisted: the keyword arguments of `defer.DeferredList`.
 *
 * @example
 * ```ts
 * const options: DeferredListOptions = { fireOnOneErrback: true, consumeErrors: true };
 * const d = new DeferredList([succeed(1), fail(new Error("down"))], options);
 * failureResultOf(d, FirstError).value.index; // => 1
 * ```
 */
export interface DeferredListOptions {
  /** `false` or absent here; `true` is `FireOnOneCallbackOptions`. */
  fireOnOneCallback?: false;
  /** Errback with `FirstError(failure, index)` as soon as one input fails. */
  fireOnOneErrback?: boolean;
  /** Mark each input's failure handled: that input's own chain carries on with `undefined`. */
  consumeErrors?: boolean;
}

/**
 * The options of a `DeferredList` that fires with `[result, index]` as soon as one input
 * succeeds. Options known only at run time are `DeferredListOptions | FireOnOneCallbackOptions`,
 * and the list's result is then either shape.
 *
 * **Gotchas:** `fireOnOneCallback` on its own still fires with the whole list (a success) when
 * every input fails; add `fireOnOneErrback` to fail instead.
 *
 * @example
 * ```ts
 * const options: FireOnOneCallbackOptions = { fireOnOneCallback: true, fireOnOneErrback: true };
 * const first = new DeferredList([new Deferred<string>(), succeed("b")], options);
 * successResultOf(first); // => ["b", 1]
 * ```
 */
export interface FireOnOneCallbackOptions {
  /** Fire with `[result, index]` as soon as one input succeeds. */
  fireOnOneCallback: true;
  /** Errback with `FirstError(failure, index)` as soon as one input fails. */
  fireOnOneErrback?: boolean;
  /** Mark each input's failure handled: that input's own chain carries on with `undefined`. */
  consumeErrors?: boolean;
}

/** Either kind of options: what the constructor of `DeferredList` takes. */
type ListOptions = DeferredListOptions | FireOnOneCallbackOptions;

/**
 * What a `DeferredList` of `T` fires with, given its options `O`: the list of entries, or with
 * `fireOnOneCallback` the `[result, index]` of the first success. `fireOnOneCallback` without
 * `fireOnOneErrback` can give either (the list when every input failed).
 *
 * Twisted: the result of `defer.DeferredList`.
 *
 * @example
 * ```ts
 * const first = new DeferredList([new Deferred<number>(), succeed(7)], {
 *   fireOnOneCallback: true,
 *   fireOnOneErrback: true,
 * });
 * const [result, index] = successResultOf(first); // typed [result: number, index: number]
 * result + index; // => 8
 * ```
 */
export type DeferredListResult<T, O extends ListOptions = DefaultOptions> = [
  OptionOf<O, "fireOnOneCallback">,
] extends [false | undefined]
  ? DeferredListEntry<T>[]
  : [OptionOf<O, "fireOnOneCallback">, OptionOf<O, "fireOnOneErrback">] extends [true, true]
    ? [result: T, index: number]
    : [result: T, index: number] | DeferredListEntry<T>[];

/**
 * The type of option `K` in `O`; `undefined` when `O` does not mention it. (`Required<O>`, a
 * mapped type, also makes tsc compare two DeferredLists by their result types rather than by
 * their options: `DeferredList<T, { consumeErrors: true }>` is a `DeferredList<T>`.)
 */
type OptionOf<O, K extends keyof ListOptions> = Required<O> extends { [P in K]: infer F } ? F : undefined;

/** The options of a DeferredList built without `fireOnOneCallback`. */
type DefaultOptions = { fireOnOneCallback?: false };

/** The result type of a Deferred or PromiseLike type. */
type ResultOf<D> = D extends Deferred<infer R> ? R : D extends PromiseLike<infer R> ? R : never;

/** The class behind `DeferredList` (exported under that name, with its constructor typed by `DeferredListConstructor`). */
class List<T, O extends ListOptions = DefaultOptions> extends Deferred<
  DeferredListResult<T, O>
> {
  /** @internal The inputs, until the list fires (`cancel()` needs them). */
  _inputs: Deferred<T>[] | null;
  /** @internal One slot per input, filled as each input's result arrives; `null` once fired. */
  _entries: DeferredListEntry<T>[] | null;
  /** @internal How many slots are filled. */
  _finished: number;
  /** @internal */
  _fireOnOneCallback: boolean;
  /** @internal */
  _fireOnOneErrback: boolean;
  /** @internal */
  _consumeErrors: boolean;
  /** @internal Set while cancel() cancels the inputs (see INPUTS_WAIT). */
  _cancelling: boolean;

  constructor(deferreds: Iterable<PromiseLike<T>>, options?: O) {
    const inputs = copyInputs(deferreds);
    assertOptions(options);
    super();
    const n = inputs.length;
    setWait(this as Deferred<unknown>, INPUTS_WAIT);
    this._inputs = inputs;
    this._entries = new Array<DeferredListEntry<T>>(n);
    this._finished = 0;
    this._fireOnOneCallback = Boolean(options?.fireOnOneCallback);
    this._fireOnOneErrback = Boolean(options?.fireOnOneErrback);
    this._consumeErrors = Boolean(options?.consumeErrors);
    this._cancelling = false;
    if (n === 0) {
      if (!this._fireOnOneCallback) fireList(this as unknown as AnyList, this._entries, false);
      return;
    }
    // `inputs`, not `this._inputs`: the list may fire (and drop it) during this loop, and the
    // inputs after that one still need their step (consumeErrors must apply to all of them).
    // One step per list, told the input's index: no argument array per input (bench S4).
    const step = (result: unknown, index: number): unknown => onListInput(result, this as unknown as AnyList, index);
    for (let i = 0; i < n; i++) inputs[i]!._addIndexed(step, i);
  }

}

type AnyList = List<unknown, ListOptions>;

/**
 * The constructor of `DeferredList`. Its first form infers each input's type, so inputs of
 * different types make a list of their union; the second takes any iterable of one type.
 *
 * @example
 * ```ts
 * const list = new DeferredList([succeed(1), succeed("a")]); // a DeferredList<number | string>
 * successResultOf(list); // => [[true, 1], [true, "a"]]
 * list instanceof DeferredList; // => true
 * ```
 */
export interface DeferredListConstructor {
  /**
   * Watches each of `deferreds` (Deferreds or any PromiseLike, copied now; a PromiseLike is
   * adopted as `ensureDeferred` would). Throws `TypeError` for anything else, naming the index
   * of the element that is neither.
   */
  new <const D extends readonly PromiseLike<unknown>[], O extends ListOptions = DefaultOptions>(
    deferreds: D,
    options?: O,
  ): DeferredList<ResultOf<D[number]>, O>;
  /** Any iterable of Deferreds (or PromiseLikes) of one type. */
  new <T, O extends ListOptions = DefaultOptions>(deferreds: Iterable<PromiseLike<T>>, options?: O): DeferredList<T, O>;
  /** What `instanceof DeferredList` checks. */
  readonly prototype: DeferredList<unknown, ListOptions>;
}

/**
 * A Deferred that fires when its input Deferreds have: with `[success, resultOrFailure]` for
 * each input, in input order whatever order they fired in.
 *
 * Twisted: `defer.DeferredList`. Options (Twisted's keyword arguments):
 * `fireOnOneCallback` fires with `[result, index]` on the first success; `fireOnOneErrback`
 * errbacks with `FirstError(failure, index)` on the first failure; `consumeErrors` makes each
 * input's failure handled, and that input's own chain carry on with `undefined`. Without
 * `consumeErrors` the inputs keep their failures, which are reported as unhandled unless
 * something else handles them. The input list is copied: later changes to it are ignored.
 * `cancel()` before the list fires calls `cancel()` on every input, as Twisted does: an input
 * that has no result yet is cancelled, and one whose result the list already has is cancelled
 * only if its chain now waits on another Deferred (that one is cancelled). The list then fires
 * by the rules above from what the cancellations produced. Deliberate difference: once the
 * list has fired, `cancel()` cancels what the list's own chain waits on, as `Deferred#cancel()`
 * does (Twisted's does nothing then, leaving that wait uncancellable). `resultList` and
 * `finishedCount` are not exposed.
 *
 * **Gotchas:** the list watches each input with a step added *now*, so steps added to an input
 * before the list change what it sees, and steps added after see what it leaves (the failure
 * itself, or `undefined` with `consumeErrors`). Inputs that already have a result are taken
 * inside the constructor, in input order, which may fire the list before it returns. An empty
 * list fires at once with `[]`, except with `fireOnOneCallback`: then it never fires. With
 * `fireOnOneCallback` alone, a list whose inputs all fail fires (a success) with the whole
 * list. `cancel()` never errbacks the list itself with `CancelledError`: if an input stays
 * pending through its cancellation, so does the list. Inputs of different types make a list
 * of their union; a PromiseLike among them is adopted.
 *
 * @example
 * ```ts
 * const a = new Deferred<string>();
 * const b = new Deferred<string>();
 * const list = new DeferredList([a, b], { consumeErrors: true });
 * b.errback(new Error("b failed")); // fires second in the list, first in time
 * a.callback("a");
 * const [first, second] = successResultOf(list);
 * first; // => [true, "a"]
 * second[0]; // => false
 * successResultOf(b); // => undefined
 * ```
 */
export const DeferredList: DeferredListConstructor = List as DeferredListConstructor;

/** A DeferredList of `T` with options `O` (see the `DeferredList` constructor). */
export type DeferredList<T, O extends ListOptions = DefaultOptions> = List<T, O>;


/** The step each input of a DeferredList gets. */
function onListInput(result: unknown, list: AnyList, index: number): unknown {
  const failed = result instanceof Failure;
  const entries = list._entries;
  if (entries !== null && !list.called) {
    entries[index] = failed ? [false, result] : [true, result];
    list._finished++;
    if (!failed && list._fireOnOneCallback) fireList(list, [result, index], false);
    else if (failed && list._fireOnOneErrback) fireList(list, new FirstError(result, index), true);
    else if (list._finished === entries.length) fireList(list, entries, false);
  }
  return failed && list._consumeErrors ? undefined : result;
}

function fireList(list: AnyList, result: unknown, failed: boolean): void {
  // Let go of the inputs first: the list's own steps run inside callback()/errback().
  list._inputs = null;
  list._entries = null;
  if (failed) list.errback(result);
  else list.callback(result as DeferredListResult<unknown, DeferredListOptions>);
}

/** What gatherResults returns: a DeferredList with fireOnOneErrback that keeps bare values. @internal */
export class Gathering<T> extends Deferred<T[]> {
  /** @internal */
  _inputs: Deferred<T>[] | null;
  /** @internal Input results so far (holey: `i in _values` once input i succeeded); `null` once fired. */
  _values: T[] | null;
  /** @internal Inputs whose success has not arrived yet. */
  _remaining: number;
  /** @internal */
  _consumeErrors: boolean;
  /** @internal Set while cancel() cancels the inputs (see INPUTS_WAIT). */
  _cancelling: boolean;

  constructor(inputs: Deferred<T>[], consumeErrors: boolean) {
    super();
    const n = inputs.length;
    setWait(this as Deferred<unknown>, INPUTS_WAIT);
    this._inputs = inputs;
    // Bare values, no `[true, value]` entries and no final map: gatherResults is the
    // combinator the benchmark compares with Promise.all.
    this._values = new Array<T>(n);
    this._remaining = n;
    this._consumeErrors = consumeErrors;
    this._cancelling = false;
    if (n === 0) {
      fireGathering(this as Gathering<unknown>, this._values, false);
      return;
    }
    const step = (result: unknown, index: number): unknown => onGatherInput(result, this as Gathering<unknown>, index);
    for (let i = 0; i < n; i++) inputs[i]!._addIndexed(step, i);
  }

}

function onGatherInput(result: unknown, gathering: Gathering<unknown>, index: number): unknown {
  if (result instanceof Failure) {
    // `called` alone: `_values` is null only once fireGathering() has fired it.
    if (!gathering.called) fireGathering(gathering, new FirstError(result, index), true);
    return gathering._consumeErrors ? undefined : result;
  }
  const values = gathering._values;
  if (values !== null && !gathering.called) {
    values[index] = result;
    if (--gathering._remaining === 0) fireGathering(gathering, values, false);
  }
  return result;
}

function fireGathering(gathering: Gathering<unknown>, result: unknown, failed: boolean): void {
  gathering._inputs = null;
  gathering._values = null;
  if (failed) gathering.errback(result);
  else gathering.callback(result as unknown[]);
}

/**
 * A Deferred of every input's result, in input order; it fails with `FirstError` (the
 * input's failure as `subFailure`, its position as `index`) as soon as one input fails.
 *
 * Twisted: `defer.gatherResults` (a `DeferredList` with `fireOnOneErrback`, mapped to the bare
 * results). `consumeErrors` (`true`, or `{ consumeErrors: true }` as `DeferredList` takes it)
 * makes each input's failure handled and that input's own chain carry on with `undefined`;
 * anything else there throws `TypeError`. For a tuple of Deferreds, the result is the tuple of
 * their result types. `cancel()` before it fires calls `cancel()` on every input, as Twisted's
 * `DeferredList.cancel` does (reaching what an input that already succeeded waits on after its
 * step); the result then usually fails with the `FirstError` of the first `CancelledError`.
 * Deliberate differences: once it has fired, `cancel()` cancels what its own chain waits on,
 * as `Deferred#cancel()` does (Twisted's does nothing then); and a value given to its
 * `callback()` by hand is its result (in Twisted it goes through the list-parsing step and
 * fails with `TypeError`). Firing a combinator by hand is best avoided either way.
 *
 * **Gotchas:** only the first failure in time is reported through it; without
 * `consumeErrors`, each input keeps its failure (reported as unhandled unless handled
 * elsewhere). It fires inside the input's `callback()` that completes it, or at once when
 * every input already has a result (`gatherResults([])` fires with `[]`). `cancel()` never
 * errbacks it with `CancelledError` itself: an input that stays pending keeps it pending.
 *
 * @example
 * ```ts
 * successResultOf(gatherResults([succeed(1), succeed("a")])); // => [1, "a"]
 * const failed = gatherResults([succeed(1), fail(new Error("no")), fail(new Error("later"))], true);
 * const err = failureResultOf(failed, FirstError).value;
 * err.index; // => 1
 * err.subFailure.getErrorMessage(); // => "no"
 * ```
 */
export function gatherResults<const D extends readonly PromiseLike<unknown>[]>(
  deferreds: D,
  consumeErrors?: boolean | GatherResultsOptions,
): Deferred<{ -readonly [K in keyof D]: ResultOf<D[K]> }>;
/** Any iterable of Deferreds (or PromiseLikes) of one type: a Deferred of the array of their results. */
export function gatherResults<T>(
  deferreds: Iterable<PromiseLike<T>>,
  consumeErrors?: boolean | GatherResultsOptions,
): Deferred<T[]>;
export function gatherResults(
  deferreds: Iterable<PromiseLike<unknown>>,
  consumeErrors: boolean | GatherResultsOptions = false,
): Deferred<unknown[]> {
  return new Gathering(copyInputs(deferreds), consumeErrorsOf(consumeErrors));
}

/**
 * The options form of `gatherResults`' second argument, as `DeferredList` takes its options.
 *
 * @example
 * ```ts
 * const d = gatherResults([fail(new Error("x"))], { consumeErrors: true } satisfies GatherResultsOptions);
 * failureResultOf(d, FirstError).value.index; // => 0
 * ```
 */
export interface GatherResultsOptions {
  /** Make each input's failure handled (its chain carries on with `undefined`). */
  consumeErrors?: boolean;
}

/** `consumeErrors` as a boolean, or a TypeError naming it (an object is not truthy `true`). */
function consumeErrorsOf(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "object" && value !== null) {
    const inner = (value as GatherResultsOptions).consumeErrors;
    if (inner === undefined || typeof inner === "boolean") return inner === true;
  }
  throw new TypeError(`Expected \`consumeErrors\` to be a boolean or { consumeErrors }, got ${formatValue(value)}`);
}

/** What race returns; the race's state lives on it, so its canceller needs no closure. @internal */
export class Racing<T> extends Deferred<[index: number, result: T]> {
  /** @internal */
  _inputs: Deferred<T>[] | null;
  /** @internal Failures so far, at their input's index (holey); `null` once decided. */
  _failures: Failure[] | null;
  /** @internal */
  _failed: number;
  /** @internal Set once cancel() has begun to cancel the inputs (see RACE_WAIT). */
  _cancelling: boolean;

  constructor(inputs: Deferred<T>[]) {
    super();
    setWait(this as Deferred<unknown>, RACE_WAIT);
    this._inputs = inputs;
    this._failures = new Array<Failure>(inputs.length);
    this._failed = 0;
    this._cancelling = false;
    const step = (result: unknown, index: number): unknown => onRaceInput(result, this as Racing<unknown>, index);
    for (let i = 0; i < inputs.length; i++) inputs[i]!._addIndexed(step, i);
  }
}

/** A race waits on its inputs; cancelling it cancels each, and their failures decide it. */
const RACE_WAIT: Wait = {
  _waitsOn: (d) => (d as Racing<unknown>)._inputs ?? [],
  _cancelWait: (d) => {
    const racing = d as Racing<unknown>;
    if (racing._cancelling) return true; // see INPUTS_WAIT
    // Never reset: `false` below makes cancel() fail a race that its inputs did not decide
    // (`race([])`, inputs that stay pending), so a race is cancelled at most once while pending.
    racing._cancelling = true;
    cancelRace(racing); // cancelQuietly() lets nothing escape
    return false;
  },
};

function cancelRace(racing: Racing<unknown>): void {
  const inputs = racing._inputs;
  if (inputs === null) return;
  for (let i = 0; i < inputs.length; i++) {
    // A canceller that made its input succeed decided the race, and the winner's step has
    // cancelled every other input already.
    if (racing._inputs === null) return;
    cancelQuietly(inputs[i]!);
  }
}

/** The step each input of a race gets. Returns `undefined`: race consumes every input's result. */
function onRaceInput(result: unknown, racing: Racing<unknown>, index: number): undefined {
  const failures = racing._failures;
  const inputs = racing._inputs;
  if (failures === null || inputs === null || racing.called) return undefined; // decided already
  if (result instanceof Failure) {
    failures[index] = result;
    if (++racing._failed === failures.length) {
      racing._inputs = racing._failures = null;
      racing.errback(new FailureGroup(failures));
    }
    return undefined;
  }
  // The winner. Mark the race decided before cancelling the losers: their CancelledErrors
  // (or a canceller's success) arrive here synchronously and must be ignored.
  racing._inputs = racing._failures = null;
  for (let i = 0; i < inputs.length; i++) {
    if (i !== index) cancelQuietly(inputs[i]!);
  }
  if (!racing.called) racing.callback([index, result]);
  return undefined;
}

/**
 * The first input to succeed, as `[index, result]`; every other input is cancelled (a
 * no-op for one that has a result and waits on nothing). If every input fails, it fails with `FailureGroup` (`failures` in input
 * order).
 *
 * Twisted: `defer.race`. As there, race consumes its inputs' results: after it, each input's
 * chain carries on with `undefined` (so the losers' `CancelledError`s are never reported).
 * `cancel()` cancels every input, as Twisted's does; the race then fails with the
 * `FailureGroup` of their `CancelledError`s, or succeeds if a canceller made its input succeed.
 *
 * **Gotchas:** `race([])` never fires, and cancelling it errbacks it with a plain
 * `CancelledError` (not a `FailureGroup`), as in Twisted. Losers are cancelled inside the
 * winner's `callback()`, before the race's own steps run. A failure does not cancel anything:
 * the race waits for a success or for every input to fail.
 *
 * @example
 * ```ts
 * let slowCancelled = false;
 * const slow = new Deferred<string>(() => { slowCancelled = true; });
 * const fast = new Deferred<number>();
 * const winner = race([slow, fast]);
 * fast.callback(42);
 * successResultOf(winner); // => [1, 42]
 * slowCancelled; // => true
 * successResultOf(slow); // => undefined
 * const lost = race([fail(new Error("a")), fail(new Error("b"))]);
 * failureResultOf(lost, FailureGroup).value.failures.length; // => 2
 * ```
 */
export function race<const D extends readonly PromiseLike<unknown>[]>(
  deferreds: D,
): Deferred<[index: number, result: ResultOf<D[number]>]>;
/** Any iterable of Deferreds (or PromiseLikes) of one type: the first success as `[index, result]`. */
export function race<T>(deferreds: Iterable<PromiseLike<T>>): Deferred<[index: number, result: T]>;
export function race(deferreds: Iterable<PromiseLike<unknown>>): Deferred<[index: number, result: unknown]> {
  return new Racing(copyInputs(deferreds));
}


/** What DeferredList and gatherResults have in common: the inputs they still hold. */
interface HoldsInputs {
  _inputs: Deferred<unknown>[] | null;
  _cancelling: boolean;
}

/**
 * DeferredList and gatherResults wait on their inputs; cancelling one cancels each input, and
 * never errbacks the combinator itself: it fires by its own rules from what the inputs do.
 */
const INPUTS_WAIT: Wait = {
  _waitsOn: (d) => (d as unknown as HoldsInputs)._inputs ?? [],
  _cancelWait: (d) => {
    const combinator = d as unknown as HoldsInputs;
    // An input that waits on this very combinator (a cycle: neither can ever fire) brings the
    // cancel back here; stop there, instead of recursing until the stack overflows (Twisted
    // does, and logs the RecursionError).
    if (combinator._cancelling) return true;
    combinator._cancelling = true;
    try {
      cancelAll(combinator._inputs);
    } finally {
      combinator._cancelling = false;
    }
    return true;
  },
};

/**
 * Cancels each of `inputs` (none once the combinator has let go of them), as Twisted's
 * `DeferredList.cancel` does: also those whose result the combinator already has, since an
 * input's chain may wait on another Deferred after the combinator's step, and cancellation
 * must reach it (for an input that waits on nothing, `cancel()` does nothing). A combinator
 * that fires part-way keeps going: the other inputs are cancelled too.
 */
function cancelAll(inputs: Deferred<unknown>[] | null): void {
  if (inputs === null) return;
  for (let i = 0; i < inputs.length; i++) cancelQuietly(inputs[i]!);
}

/**
 * `d.cancel()`, which never throws for a Deferred; a subclass's override might, and one input
 * must not stop the others from being cancelled.
 */
function cancelQuietly(d: Deferred<unknown>): void {
  try {
    d.cancel();
  } catch (e) {
    reportUnhandled(Failure.from(e), d._diagnostics ?? NO_DEBUG_INFO);
  }
}

/** A fresh array of the Deferreds in `deferreds`, or a TypeError naming the bad one. */
function copyInputs<T>(deferreds: Iterable<PromiseLike<T>>): Deferred<T>[] {
  let list: unknown[];
  if (Array.isArray(deferreds)) {
    list = deferreds.slice();
  } else if (
    typeof deferreds === "object" &&
    deferreds !== null &&
    typeof (deferreds as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  ) {
    list = Array.from(deferreds as Iterable<unknown>);
  } else {
    throw new TypeError(`Expected \`deferreds\` to be an iterable of Deferreds, got ${formatValue(deferreds)}`);
  }
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    // A Deferred as it is; another copy's Deferred or any PromiseLike adopted, as
    // ensureDeferred() would.
    const d = toDeferred(item);
    if (d === undefined) {
      throw new TypeError(`Expected \`deferreds[${i}]\` to be a Deferred or a PromiseLike, got ${formatValue(item)}`);
    }
    list[i] = d;
  }
  return list as Deferred<T>[];
}
