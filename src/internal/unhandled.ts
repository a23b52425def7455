// Unhandled failures: a Deferred whose chain ends in a failure that nobody handled is reported
// to the `onUnhandledFailure` handler when the garbage collector takes it. The check runs in
// two steps, so that the common case costs nothing: at the end of a run, a failure puts its
// Deferred on a list for a microtask later (`trackUnhandled`); by then most have been handled
// (an errback added right after firing), and only the rest are watched for collection.
import type { DebugInfo, UnhandledFailureHandler } from "../debug.js";
import type { Deferred } from "../deferred.js";
import { Failure } from "../failure.js";
import { FAILED, QUEUED } from "./state.js";


/**
 * Bookkeeping for the few Deferreds that need it: debug stacks, and the failure to report if
 * the Deferred is collected while its chain ends in it. It never references its Deferred, so
 * the FinalizationRegistry that holds it does not keep the Deferred alive.
 * @internal
 */
export class Diagnostics implements DebugInfo {
  failure: Failure | null = null;
  registered = false;
  createdAt: string | undefined = undefined;
  firstFiredAt: string | undefined = undefined;
}

/** The DebugInfo of a Deferred that recorded none. @internal */
export const NO_DEBUG_INFO: DebugInfo = { createdAt: undefined, firstFiredAt: undefined };


// Where deferkit's own code is, as stack frames name it: the directory of this file (of the
// built package, once built; `src/`, above `internal/`, under ts-jest). Frames there are
// deferkit's. In an application bundle deferkit shares its file, and directory, with the
// application's code: there the frames are dropped by count instead (`skip`).
let ownDir: string | null | undefined;

/** The directory of deferkit's code, from the first frame of a stack captured in it. @internal */
export function ownDirectory(frames: string[]): string | null {
  const own = frames[0] ?? "";
  // "    at fn (/path/to/file.js:1:2)", "    at /path/to/file.js:1:2", "fn@https://host/file.js:1:2"
  const paren = own.lastIndexOf("(");
  const at = own.indexOf("at ");
  const start = paren >= 0 ? paren + 1 : at >= 0 ? at + 3 : own.indexOf("@") + 1;
  const file = own.slice(start);
  let dir = file.slice(0, file.lastIndexOf("/") + 1);
  if (dir.endsWith("/internal/")) dir = dir.slice(0, -"internal/".length);
  // The package's own files (dist/deferkit-<hash>.js, deferkit.min.js, node_modules/deferkit/)
  // or its sources. Not any path with "deferkit" in it: an application that bundles deferkit
  // may live in /srv/deferkit-demo/, and its own frames must not be taken for deferkit's.
  const name = file.slice(file.lastIndexOf("/") + 1);
  return /deferkit/i.test(name) || /\/deferkit\//i.test(dir) || dir.endsWith("/src/") ? dir : null;
}

/**
 * The stack of the caller, formatted now (an unformatted stack would keep its frames' objects
 * alive), from the first frame outside deferkit: where the user's code called in. Where
 * deferkit's frames cannot be told by their file, the first `skip` frames below this
 * function's caller are dropped. @internal
 */
export function captureStack(skip: number): string {
  const frames = (new Error("stack").stack ?? "").split("\n");
  if (frames[0] === "Error: stack") frames.shift(); // V8's first line
  // Error.stackTraceLimit 0: nothing to show, and nothing to learn the directory from (an
  // empty stack would make it null for good).
  if (frames.length === 0) return "";
  if (ownDir === undefined) ownDir = ownDirectory(frames);
  const dir = ownDir;
  let i = 0;
  if (dir === null) i = 2 + skip; // this function and its caller, then `skip` more
  else while (i < frames.length && frames[i]!.includes(dir)) i++;
  return frames.slice(i).join("\n");
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


/**
 * Hands `failure` to the handler now. A handler that throws must not hide the failure it was
 * given: both go to the console, the failure first. @internal
 */
export function reportUnhandled(failure: Failure, info: DebugInfo): void {
  try {
    handler(failure, info);
  } catch (e) {
    defaultHandler(failure, info);
    console.error("deferkit: the onUnhandledFailure handler threw while reporting the failure above:", e);
  }
}

/** Reports `diagnostics.failure` if it is still unhandled, once: it is forgotten after. */
function reportIfUnhandled(diagnostics: Diagnostics): boolean {
  const failure = diagnostics.failure;
  if (failure === null || failure._observed) return false;
  diagnostics.failure = null;
  if (recorded !== null) recorded.push(failure);
  reportUnhandled(failure, diagnostics);
  return true;
}

// Failures reported since the last flushUnhandled(), once a first flush has asked for them
// (until then nothing is kept: a program that never flushes must not grow a list).
let recorded: Failure[] | null = null;

/**
 * Every failure that ends a chain with nobody to handle it, as of now, without waiting for
 * the collector: those reported since the previous flush, then those not reported yet (each
 * now counts as handled, and is never reported). deferkit/testing's flushUnhandledFailures.
 * @internal
 */
export function flushUnhandled(): Failure[] {
  checkUnhandled(); // the Deferreds whose runs ended in a failure since the last microtask
  const out = recorded ?? [];
  recorded = [];
  for (const diagnostics of watched) {
    watched.delete(diagnostics);
    const failure = diagnostics.failure;
    if (failure === null || failure._observed) continue;
    failure._observed = true;
    diagnostics.failure = null;
    out.push(failure);
  }
  return out;
}

const registry: FinalizationRegistry<Diagnostics> | null =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<Diagnostics>((diagnostics) => {
        watched.delete(diagnostics);
        reportIfUnhandled(diagnostics);
      })
    : null;

// The Diagnostics being watched, for the exit report: a short program ends before the
// collector runs, and its unhandled failures would never be seen. (They hold no Deferred.)
const watched = new Set<Diagnostics>();
let exitHooked = false;

type NodeProcess = { on(event: string, listener: () => void): unknown; exitCode?: number | string };

/**
 * On Node, reports at `beforeExit` (the event loop is empty: nothing can handle them any more)
 * the failures still unhandled, and with the default handler sets exit code 1 as an unhandled
 * Promise rejection does. Hooked at the first watched failure, so a program without one adds
 * no listener.
 */
function hookExit(): void {
  exitHooked = true;
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (typeof proc?.on !== "function") return;
  proc.on("beforeExit", () => {
    let reported = false;
    for (const diagnostics of watched) {
      watched.delete(diagnostics);
      if (reportIfUnhandled(diagnostics)) reported = true;
    }
    if (reported && handler === defaultHandler && (proc.exitCode === undefined || proc.exitCode === 0)) {
      proc.exitCode = 1;
    }
  });
}

/**
 * Makes sure a collected `target` reports `failure` (`diagnostics.failure`). The failure's stack is formatted now:
 * an unformatted V8 stack holds the receivers of its frames, among them `target` itself, and
 * the registry holds `diagnostics` strongly, so the Deferred would never be collected.
 */
function watch(target: object, diagnostics: Diagnostics, failure: Failure): void {
  try {
    void (failure.value as { stack?: unknown } | null | undefined)?.stack;
  } catch {
    // A throwing `stack` getter leaves nothing to format.
  }
  if (!diagnostics.registered && registry !== null) {
    registry.register(target, diagnostics);
    diagnostics.registered = true;
  }
  watched.add(diagnostics);
  if (!exitHooked) hookExit();
}

// Deferreds whose last run ended in an unhandled failure, to look at again in a microtask.
let pendingChecks: Deferred<unknown>[] = [];
let checkScheduled = false;

/** Called whenever a run of `d` ends: keeps the unhandled-failure bookkeeping right. @internal */
export function trackUnhandled(d: Deferred<unknown>): void {
  // Kept small (the failure branch is its own function) so that V8 inlines it on hot paths.
  const r = d._result;
  if (r instanceof Failure) trackFailure(d, r);
  else if (d._diagnostics !== null) d._diagnostics.failure = null;
}

/**
 * `d`'s run ended in a failure: FAILED says so (every run ends here, see state.ts), and one
 * nobody has handled yet is looked at again in a microtask.
 */
function trackFailure(d: Deferred<unknown>, r: Failure): void {
  d._state |= FAILED;
  if (r._observed) {
    if (d._diagnostics !== null) d._diagnostics.failure = null;
    return;
  }
  if ((d._state & QUEUED) !== 0) return;
  d._state |= QUEUED;
  pendingChecks.push(d);
  if (!checkScheduled) {
    checkScheduled = true;
    queueMicrotask(checkUnhandled);
  }
}

/** The microtask: a Deferred still ending in that failure is watched until it is collected. */
function checkUnhandled(): void {
  const list = pendingChecks;
  pendingChecks = [];
  checkScheduled = false;
  for (let i = 0; i < list.length; i++) {
    const d = list[i]!;
    d._state &= ~QUEUED;
    const r = d._result;
    if (r instanceof Failure && !r._observed) {
      const diagnostics = (d._diagnostics ??= new Diagnostics());
      diagnostics.failure = r;
      watch(d, diagnostics, r);
    }
  }
}
