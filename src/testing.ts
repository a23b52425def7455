/**
 * Helpers for testing code that returns Deferreds, synchronously: no `await`, no real timers.
 * They throw a plain `Error` with a clear message, so any test runner reports them.
 *
 * Twisted: trial's `SynchronousTestCase.successResultOf`, `failureResultOf`, `assertNoResult`.
 */
export { successResultOf, failureResultOf, assertNoResult } from "./result-of.js";
export { Clock } from "./time.js";
export { flushUnhandledFailures } from "./debug.js";
export { trackPendingWork, assertNoPendingWork } from "./pending-work.js";
export { describeWaiting } from "./waiting.js";
export type { DescribeWaitingOptions, Waiting, WaitingKind } from "./waiting.js";
