// Interop with PromiseLike values: reading `then` safely, and a Deferred fed by a thenable.
import { Deferred } from "../deferred.js";
import { Failure } from "../failure.js";

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
