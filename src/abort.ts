// AbortSignal, both ways: a signal can cancel a Deferred (`Deferred#cancelOn`, and the
// `{ signal }` option of the calls that take options), and a Deferred can hand out a signal
// that aborts when it fails or is cancelled (`Deferred#asSignal`), for fetch and the other
// platform APIs that take one.
//
// deferkit's own build sees no DOM or Node typings (tsconfig.build.json), so the signal is typed
// by its shape here; in a project that has the DOM or Node typings, `PlatformAbortSignal` is the
// platform's own `AbortSignal`.

/**
 * What deferkit needs of an AbortSignal: the platform's `AbortSignal` has all of it.
 *
 * @example
 * ```ts
 * const signal: AbortSignalLike = new AbortController().signal;
 * signal.aborted; // => false
 * ```
 */
export interface AbortSignalLike {
  /** Whether it has aborted. */
  readonly aborted: boolean;
  /** Why it aborted: what `abort(reason)` was given. */
  readonly reason?: unknown;
  /** Listens for the abort. */
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  /** Stops listening. */
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * The platform's `AbortSignal` type where the project's typings declare one (DOM or Node),
 * else `AbortSignalLike`: what `Deferred#asSignal()` returns, so that it can be handed to
 * `fetch` without a cast.
 */
export type PlatformAbortSignal = typeof globalThis extends {
  /** The platform's AbortSignal class, where the typings declare one. */
  AbortSignal: {
    /** The type of its instances. */
    prototype: infer S;
  };
}
  ? S
  : AbortSignalLike;

/**
 * Options of the calls that can be cancelled by a signal (`acquire`, `get`).
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const lock = new DeferredLock();
 * lock.acquire();
 * const waiting = lock.acquire({ signal: controller.signal } satisfies SignalOptions);
 * controller.abort();
 * failureResultOf(waiting, CancelledError).type; // => CancelledError
 * ```
 */
export interface SignalOptions {
  /** When it aborts, the call's Deferred is cancelled; its `CancelledError`'s `cause` is the signal's `reason`. */
  signal?: AbortSignalLike;
}

export { fromCallback } from "./internal/abort.js";
export type { AbortControllerLike, FromPromiseOptions, NodeCallback } from "./internal/abort.js";
