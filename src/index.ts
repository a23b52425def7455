export { Deferred, succeed, fail, execute, maybeDeferred } from "./deferred.js";
export { inlineCallbacks, ensureDeferred } from "./coroutine.js";
export type { Coroutine } from "./coroutine.js";
export type { StepResult, Canceller } from "./deferred.js";
export { fromCallback } from "./abort.js";
export type {
  AbortControllerLike,
  AbortSignalLike,
  FromPromiseOptions,
  NodeCallback,
  PlatformAbortSignal,
  SignalOptions,
} from "./abort.js";
export type { OnTimeoutCancel } from "./internal/timeout.js";
export { Failure } from "./failure.js";
export type { ErrorType } from "./failure.js";
export {
  AlreadyCalledError,
  AlreadyCancelledError,
  CancelledError,
  TimeoutError,
  FirstError,
  FailureGroup,
  QueueOverflow,
  QueueUnderflow,
} from "./errors.js";
export { onUnhandledFailure, setDebugging, getDebugging } from "./debug.js";
export type { UnhandledFailureHandler, DebugInfo } from "./debug.js";
export { realClock } from "./clock.js";
export type { IClock, DelayedCall } from "./clock.js";
export { Clock, deferLater, LoopingCall } from "./time.js";
export { DeferredList, gatherResults, race } from "./deferred-list.js";
export { DeferredLock, DeferredSemaphore } from "./lock.js";
export { DeferredQueue } from "./queue.js";
export type {
  DeferredListConstructor,
  DeferredListEntry,
  DeferredListOptions,
  DeferredListResult,
  FireOnOneCallbackOptions,
  GatherResultsOptions,
} from "./deferred-list.js";
