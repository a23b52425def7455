/**
 * `deferkit/laws`: the laws deferkit's own suite checks, as fast-check properties that run on
 * any implementation through an adapter, and the pieces to build your own (arbitraries, the
 * reference models, the interpreters). fast-check is an optional peer dependency: install it
 * to use this entry point; nothing of it is in `deferkit` itself.
 */
export { checkDeferredLaws, deferredLaws, LAW_NAMES } from "./laws/check.js";
export type { Law, LawName, LawOptions } from "./laws/check.js";
export { deferkitAdapter, promiseAdapter } from "./laws/adapters.js";
export { LawError } from "./laws/adapter.js";
export type { DeferredAdapter, PendingHandle, ClockAdapter, ScheduledCall, LockAdapter, QueueAdapter } from "./laws/adapter.js";
export { chainProgram, modelChain, runChain } from "./laws/chain.js";
export type { ChainProgram, ChainProgramOptions, ChainStep, ChainStepKind, ChainEvent, ChainEnd, ChainModel } from "./laws/chain.js";
export { combinatorScenario, modelCombinator, runCombinator } from "./laws/combinators.js";
export type { CombinatorScenario } from "./laws/combinators.js";
export { clockSchedule, modelClock, runClock } from "./laws/clock.js";
export type { ClockCommand } from "./laws/clock.js";
export { lockCommands, queueCommands, modelLock, modelQueue, runLock, runQueue } from "./laws/concurrency.js";
export type { LockCommand, QueueCommand } from "./laws/concurrency.js";
