// Type tests: compiled by `tsc --noEmit -p tsconfig.json` (npm test's typecheck stage), never
// run. Each `@ts-expect-error` line must fail to compile, or tsc reports the directive as unused.
import {
  Deferred,
  CancelledError,
  Failure,
  FirstError,
  gatherResults,
  execute,
  fail,
  maybeDeferred,
  ensureDeferred,
  succeed,
  type StepResult,
} from "../../src/index.js";
import { failureResultOf, successResultOf } from "../../src/testing.js";
import { type Equal, expectType } from "./expect-type.js";

// Inference without annotations.
const s = succeed(1).addCallback(String);
expectType<Equal<typeof s, Deferred<string>>>();

const chained = succeed(1)
  .addCallback((n) => n + 1)
  .addCallback((n) => `${n}`)
  .addCallback((text) => text.length > 0);
expectType<Equal<typeof chained, Deferred<boolean>>>();

// A returned Deferred or Promise is waited for: its value type carries on.
const waited = succeed(1).addCallback((n) => succeed(String(n)));
expectType<Equal<typeof waited, Deferred<string>>>();
const promised = succeed(1).addCallback(async (n) => [n]);
expectType<Equal<typeof promised, Deferred<number[]>>>();

// A returned Failure is not a value.
const maybeFailure = succeed(1).addCallback((n) => (n > 0 ? n : new Failure(new Error("neg"))));
expectType<Equal<typeof maybeFailure, Deferred<number>>>();

// Extra arguments are typed after the result.
const withArgs = succeed(2).addCallback((n, times: number, unit: string) => `${n * times}${unit}`, 3, "px");
expectType<Equal<typeof withArgs, Deferred<string>>>();
// @ts-expect-error: the extra argument has the wrong type
succeed(2).addCallback((n, times: number) => n * times, "3");
// @ts-expect-error: a required extra argument is missing
succeed(2).addCallback((n, times: number) => n * times);

// Errbacks receive a Failure and widen the type with what they return.
const recovered = fail<number>(new Error("x")).addErrback((f) => f.getErrorMessage());
expectType<Equal<typeof recovered, Deferred<number | string>>>();
const both = succeed(1).addBoth((r) => (r instanceof Failure ? "failed" : r * 2));
expectType<Equal<typeof both, Deferred<number | "failed">>>();
const callbacks = succeed("a").addCallbacks(
  (v) => v.length,
  (f) => f.check(TypeError) !== null,
);
expectType<Equal<typeof callbacks, Deferred<number | boolean>>>();

// callback() takes the Deferred's type.
const d = new Deferred<number>();
// @ts-expect-error: a string is not a number
d.callback("1");
d.callback(1);

// A Deferred<number> is usable where a Deferred<number | string> or PromiseLike is expected.
const wider: Deferred<number | string> = new Deferred<number>();
const like: PromiseLike<number> = new Deferred<number>();
void wider;
void like;

// Promise interop.
async function awaits(): Promise<void> {
  const n = await succeed(1);
  expectType<Equal<typeof n, number>>();
  const p = succeed("x").asPromise();
  expectType<Equal<typeof p, Promise<string>>>();
  const t = succeed(1).then((v) => v + 1);
  expectType<Equal<typeof t, Promise<number>>>();
}
void awaits;

const fromP = Deferred.fromPromise(Promise.resolve(1));
expectType<Equal<typeof fromP, Deferred<number>>>();
// @ts-expect-error: options say what stops the work; without `abort` they are a mistake
Deferred.fromPromise(Promise.resolve(1), {});
const ensured = ensureDeferred((async () => "x")());
expectType<Equal<typeof ensured, Deferred<string>>>();
// @ts-expect-error: not a Deferred or PromiseLike
ensureDeferred(5);

// Functions.
const ex = execute(Math.max, 1, 2);
expectType<Equal<typeof ex, Deferred<number>>>();
// @ts-expect-error: Math.max takes numbers
execute(Math.max, "1");
const md = maybeDeferred(() => succeed(1));
expectType<Equal<typeof md, Deferred<number>>>();
const md2 = maybeDeferred(async (x: string) => x.length, "abc");
expectType<Equal<typeof md2, Deferred<number>>>();

type R = StepResult<Promise<Deferred<number>> | Failure>;
expectType<Equal<R, number>>();

// Testing helpers.
const v = successResultOf(succeed(1).addCallback(String));
expectType<Equal<typeof v, string>>();
const f = failureResultOf(fail(new Error("x")), Error);
expectType<Equal<typeof f, Failure<Error>>>();
// Issue 9: the types given narrow `value`, so no cast is needed to read a FirstError's fields.
const firstError = failureResultOf(gatherResults([fail<number>(new Error("x"))]), FirstError);
expectType<Equal<typeof firstError.value, FirstError>>();
expectType<Equal<typeof firstError.value.index, number>>();
const either = failureResultOf(fail(new TypeError("t")), FirstError, CancelledError);
expectType<Equal<typeof either.value, FirstError | CancelledError>>();
const anyFailure = failureResultOf(fail(new Error("x")));
expectType<Equal<typeof anyFailure, Failure>>();
expectType<Equal<typeof anyFailure.value, unknown>>();
// A narrowed Failure is still a Failure where one is expected (errbacks, fail()).
const asPlain: Failure = firstError;
void asPlain;
// @ts-expect-error: without types, `value` is unknown: narrow it before use
void anyFailure.value.message;

// @ts-expect-error: a step must be a function
succeed(1).addCallback(5);
// @ts-expect-error: the callback's parameter type must accept the result
succeed(1).addCallback((s: string) => s);

// In an errback, `is()` (or instanceof) narrows a Failure's value; trap() cannot: an assertion
// signature returns nothing (trap returns the matched class) and TS2775 refuses it on a
// contextually typed parameter, the errback's usual shape.
fail(new Error("x")).addErrback((failure) => {
  if (FirstError.is(failure.value)) {
    expectType<Equal<typeof failure.value.index, number>>();
  }
  const matched = failure.trap(FirstError, CancelledError);
  expectType<Equal<typeof matched, typeof FirstError | typeof CancelledError>>();
});
