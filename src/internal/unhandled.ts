import type { Failure } from "../failure.js";

/** Where a Deferred was created and first fired, when `setDebugging(true)` was on. */
export interface DebugInfo {
  /** The stack at `new Deferred()`, or `undefined` when debugging was off then. */
  readonly createdAt: string | undefined;
  /** The stack at the first `callback()`/`errback()`, or `undefined` when debugging was off then. */
  readonly firstFiredAt: string | undefined;
}

/** Receives each failure that was still unhandled when its Deferred was garbage-collected. */
export type UnhandledFailureHandler = (failure: Failure, debugInfo: DebugInfo) => void;

/**
 * Bookkeeping for the few Deferreds that need it: debug stacks, and the failure to report if
 * the Deferred is collected while its chain ends in it. It never references its Deferred, so
 * the FinalizationRegistry that holds it does not keep the Deferred alive.
 * @internal
 */
export class Extra implements DebugInfo {
  failure: Failure | null = null;
  registered = false;
  createdAt: string | undefined = undefined;
  firstFiredAt: string | undefined = undefined;
}

/** The DebugInfo of a Deferred that recorded none. @internal */
export const NO_DEBUG_INFO: DebugInfo = { createdAt: undefined, firstFiredAt: undefined };

let debugging = false;

/**
 * Turns debug mode on or off. When on, each Deferred records the stack where it was created
 * and where it was first fired; both appear in `AlreadyCalledError` messages and in reports of
 * unhandled failures.
 *
 * Twisted: `defer.setDebugging`. **Gotchas:** it costs two stack captures per Deferred, so keep
 * it for tests and debugging sessions; it affects Deferreds created after the call.
 *
 * @example
 * ```ts
 * setDebugging(true);
 * const d = new Deferred<number>();
 * d.callback(1);
 * let message = "";
 * try { d.callback(2); } catch (e) { message = (e as Error).message; }
 * setDebugging(false);
 * message.includes("first fired at"); // => true
 * ```
 */
export function setDebugging(on: boolean): void {
  debugging = Boolean(on);
}

/**
 * Whether debug mode is on (see `setDebugging`).
 *
 * @example
 * ```ts
 * getDebugging(); // => false
 * ```
 */
export function getDebugging(): boolean {
  return debugging;
}

/** The stack of the caller, formatted now (an unformatted stack would keep its frames' objects alive). @internal */
export function captureStack(skip = 0): string {
  const stack = new Error("stack").stack ?? "";
  // Drop the "Error: stack" line and the frames inside deferkit that led here (`skip` more).
  return stack.split("\n").slice(3 + skip).join("\n");
}

function defaultHandler(failure: Failure, info: DebugInfo): void {
  let text = `Unhandled error in Deferred:\n${failure.getTraceback()}`;
  if (info.createdAt !== undefined) text += `\n(debug: Deferred created at:\n${info.createdAt})`;
  if (info.firstFiredAt !== undefined) text += `\n(debug: first fired at:\n${info.firstFiredAt})`;
  console.error(text);
}

let handler: UnhandledFailureHandler = defaultHandler;

/**
 * Sets the one hook that receives failures nobody handled: each Deferred that is
 * garbage-collected while its chain ends in an unhandled failure is reported once. The default
 * writes the failure's traceback with `console.error`. Pass `null` to restore the default.
 * Returns a function that puts back the handler that was there before.
 *
 * Twisted: the "Unhandled error in Deferred" log message. **Gotchas:** reports come when the
 * garbage collector runs, which may be long after the Deferred was dropped (or never, if the
 * program exits first); a failure observed with `then()`/`await` counts as handled.
 *
 * @example
 * ```ts
 * const seen: unknown[] = [];
 * const restore = onUnhandledFailure((failure) => { seen.push(failure.value); });
 * restore();
 * seen.length; // => 0
 * ```
 */
export function onUnhandledFailure(newHandler: UnhandledFailureHandler | null): () => void {
  if (newHandler !== null && typeof newHandler !== "function") {
    throw new TypeError(`Expected \`handler\` to be a function or null, got ${typeof newHandler}`);
  }
  const previous = handler;
  handler = newHandler ?? defaultHandler;
  return () => {
    handler = previous;
  };
}

/** Hands `failure` to the handler now; a handler that throws is reported on the console. @internal */
export function reportUnhandled(failure: Failure, info: DebugInfo): void {
  try {
    handler(failure, info);
  } catch (e) {
    console.error("deferkit: the onUnhandledFailure handler threw", e);
  }
}

const registry: FinalizationRegistry<Extra> | null =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<Extra>((extra) => {
        const failure = extra.failure;
        if (failure !== null && !failure._observed) {
          extra.failure = null;
          reportUnhandled(failure, extra);
        }
      })
    : null;

/**
 * Makes sure a collected `target` reports `extra.failure`. The failure's stack is formatted now:
 * an unformatted V8 stack holds the receivers of its frames, among them `target` itself, and
 * the registry holds `extra` strongly, so the Deferred would never be collected.
 * @internal
 */
export function watch(target: object, extra: Extra): void {
  const value = extra.failure?.value;
  if (typeof value === "object" && value !== null) {
    try {
      void (value as { stack?: unknown }).stack;
    } catch {
      // A throwing `stack` getter leaves nothing to format.
    }
  }
  if (!extra.registered && registry !== null) {
    registry.register(target, extra);
    extra.registered = true;
  }
}
