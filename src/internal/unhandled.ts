import type { DebugInfo, UnhandledFailureHandler } from "../debug.js";
import type { Failure } from "../failure.js";


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

/** Sets the handler (`null`: the default) and returns the one it replaces. @internal */
export function swapHandler(newHandler: UnhandledFailureHandler | null): UnhandledFailureHandler {
  const previous = handler;
  handler = newHandler ?? defaultHandler;
  return previous;
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
