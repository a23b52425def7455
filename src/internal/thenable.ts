// Interop with PromiseLike values: reading `then` safely, and a Deferred fed by a thenable.
import { Deferred } from "../deferred.js";
import { Failure } from "../failure.js";
import { DEFERRED_BRAND, FAILURE_BRAND, hasBrand, type ForeignDeferred } from "./brand.js";
import { PROMISE_WAIT, setWait } from "./waits.js";

/**
 * `value.then` when `value` is a thenable, else `undefined`. The property is read once (a
 * getter may differ or throw on a second read; Promises/A+ 2.3.3.1), and a throwing getter
 * throws here, for the caller to turn into a failure.
 */
export function thenOf(value: unknown): ((...args: unknown[]) => unknown) | undefined {
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return undefined;
  const then = (value as { then?: unknown }).then;
  return typeof then === "function" ? (then as (...args: unknown[]) => unknown) : undefined;
}

/** A Deferred fed by `then.call(thenable, ...)`; extra or late calls of the thenable are ignored. */
export function fromThen<T>(thenable: unknown, then: unknown): Deferred<T> {
  const d = new Deferred<T>();
  setWait(d as Deferred<unknown>, PROMISE_WAIT);
  let done = false;
  try {
    (then as PromiseLike<T>["then"]).call(
      thenable,
      (value) => {
        if (done) return;
        done = true;
        if (value instanceof Deferred) {
          // Adopt its outcome as a Promise would, without taking its result away from it.
          value._observe(
            (v) => d._fire(v),
            (reason) => d._fire(new Failure(reason)),
          );
          return;
        }
        // A thenable fulfilled with another thenable: adopt that one too (Promises/A+ 2.3.3.3.1).
        let innerThen: unknown;
        try {
          innerThen = thenOf(value);
        } catch (e) {
          d._fire(new Failure(e));
          return;
        }
        if (innerThen !== undefined) fromThen(value, innerThen).chainDeferred(d);
        else d._fire(value);
      },
      (reason) => {
        if (done) return;
        done = true;
        d._fire(reason instanceof Failure ? reason : new Failure(reason));
      },
    );
  } catch (e) {
    if (!done) {
      done = true;
      d._fire(new Failure(e));
    }
  }
  return d;
}

/**
 * One of this copy's Deferreds standing for another copy's `other`: fed through `other`'s
 * public `addBoth`, so it fires synchronously when `other` does (now, if `other` has its
 * result), as a Deferred of this copy would; `cancel()` cancels `other`. Like a step that
 * waits on a Deferred, it takes `other`'s result, leaving `undefined` there.
 */
export function fromForeign<T>(other: ForeignDeferred): Deferred<T> {
  const d = new Deferred<T>(() => other.cancel());
  other.addBoth((result) => {
    // Fired already: cancelled, and `other` ignored its cancel. Its late result stays its own
    // (a failure is reported by its copy), rather than be dropped here.
    if (d.called) return result;
    d._fire(hasBrand(result, FAILURE_BRAND) ? Failure.from(result) : result);
    return undefined;
  });
  return d;
}

/**
 * `value` as one of this copy's Deferreds: itself; another copy's Deferred, adopted
 * synchronously (`fromForeign`); another PromiseLike, adopted (`fromThen`). `undefined` for
 * anything else. Throws what a throwing `then` getter throws.
 */
export function toDeferred(value: unknown): Deferred<unknown> | undefined {
  if (value instanceof Deferred) return value;
  const then = thenOf(value);
  if (then === undefined) return undefined;
  return hasBrand(value, DEFERRED_BRAND) ? fromForeign(value as ForeignDeferred) : fromThen(value, then);
}
