// Type tests for DeferredList, gatherResults and race: compiled by `tsc --noEmit -p
// tsconfig.json`, never run. Each `@ts-expect-error` line must fail to compile, or tsc reports
// the directive as unused.
import {
  Deferred,
  DeferredList,
  type DeferredListEntry,
  type DeferredListOptions,
  type DeferredListResult,
  type FireOnOneCallbackOptions,
  fail,
  Failure,
  gatherResults,
  race,
  succeed,
} from "../../src/index.js";
import { successResultOf } from "../../src/testing.js";
import { type Equal, expectType } from "./expect-type.js";

type ResultOf<D> = D extends Deferred<infer R> ? R : never;

// ---- gatherResults ----

// A tuple of Deferreds gives a tuple of their results.
const pair = gatherResults([succeed(1), succeed("a")]);
expectType<Equal<typeof pair, Deferred<[number, string]>>>();
const triple = gatherResults([succeed(1), succeed("a"), new Deferred<boolean>()], true);
expectType<Equal<typeof triple, Deferred<[number, string, boolean]>>>();
const withFailed = gatherResults([succeed(1), fail<string>(new Error("x"))]);
expectType<Equal<typeof withFailed, Deferred<[number, string]>>>();
const none = gatherResults([]);
expectType<Equal<typeof none, Deferred<[]>>>();

// An array of one type gives an array.
const many: Deferred<number>[] = [succeed(1), succeed(2)];
const gathered = gatherResults(many);
expectType<Equal<typeof gathered, Deferred<number[]>>>();
const readonlyMany: readonly Deferred<string>[] = [succeed("a")];
const gatheredReadonly = gatherResults(readonlyMany);
expectType<Equal<typeof gatheredReadonly, Deferred<string[]>>>();
// Any iterable works.
const fromSet = gatherResults(new Set([succeed(1), succeed(2)]));
expectType<Equal<typeof fromSet, Deferred<number[]>>>();

// The tuple's elements are typed one by one.
const [n, s] = successResultOf(pair);
expectType<Equal<typeof n, number>>();
expectType<Equal<typeof s, string>>();

// @ts-expect-error: the elements must be Deferreds
gatherResults([1, 2]);
// A PromiseLike among the inputs is adopted (issue 9), and typed as a Deferred would be.
const withPromise = gatherResults([Promise.resolve(1), succeed("a")]);
expectType<Equal<typeof withPromise, Deferred<[number, string]>>>();
const promises: Promise<boolean>[] = [Promise.resolve(true)];
const gatheredPromises = gatherResults(promises);
expectType<Equal<typeof gatheredPromises, Deferred<boolean[]>>>();
// @ts-expect-error: consumeErrors is a boolean
gatherResults([succeed(1)], "yes");
// @ts-expect-error: the gathered tuple is [number, string], not [string, number]
const wrongOrder: Deferred<[string, number]> = gatherResults([succeed(1), succeed("a")]);
void wrongOrder;

// ---- race ----

const raced = race([succeed(1), succeed("a")]);
expectType<Equal<typeof raced, Deferred<[index: number, result: number | string]>>>();
const racedArray = race(many);
expectType<Equal<typeof racedArray, Deferred<[index: number, result: number]>>>();
const racedSet = race(new Set([new Deferred<boolean>()]));
expectType<Equal<typeof racedSet, Deferred<[index: number, result: boolean]>>>();
const [index, winner] = successResultOf(raced);
expectType<Equal<typeof index, number>>();
expectType<Equal<typeof winner, number | string>>();
const emptyRace = race([]);
expectType<Equal<typeof emptyRace, Deferred<[index: number, result: never]>>>();

// @ts-expect-error: the winner is a number or a string, never a boolean
const notBoolean: Deferred<[number, boolean]> = race([succeed(1), succeed("a")]);
void notBoolean;
// @ts-expect-error: the elements must be Deferreds
race([1]);
// @ts-expect-error: race takes one iterable, not separate arguments
race(succeed(1), succeed(2));

// ---- DeferredList ----

// Without fireOnOneCallback: the list of entries.
const list = new DeferredList([succeed(1), succeed(2)]);
expectType<Equal<ResultOf<typeof list>, DeferredListEntry<number>[]>>();
const consumed = new DeferredList([succeed("a")], { consumeErrors: true, fireOnOneErrback: true });
expectType<Equal<ResultOf<typeof consumed>, DeferredListEntry<string>[]>>();
const notOnOne = new DeferredList([succeed("a")], { fireOnOneCallback: false });
expectType<Equal<ResultOf<typeof notOnOne>, DeferredListEntry<string>[]>>();

// A DeferredList is a Deferred: steps can be added to it.
const counted = list.addCallback((entries) => entries.length);
expectType<Equal<typeof counted, Deferred<number>>>();

// The entry tuple narrows on its first element.
for (const entry of successResultOf(list)) {
  if (entry[0]) {
    expectType<Equal<typeof entry[1], number>>();
  } else {
    expectType<Equal<typeof entry[1], Failure>>();
  }
}

// fireOnOneCallback and fireOnOneErrback: the first success as [result, index].
const first = new DeferredList([succeed(1)], { fireOnOneCallback: true, fireOnOneErrback: true });
expectType<Equal<ResultOf<typeof first>, [result: number, index: number]>>();

// fireOnOneCallback alone: [result, index], or the whole list when every input failed.
const firstOrAll = new DeferredList([succeed(1)], { fireOnOneCallback: true });
expectType<Equal<ResultOf<typeof firstOrAll>, [result: number, index: number] | DeferredListEntry<number>[]>>();

// Options only known at run time: any of the shapes.
const options: DeferredListOptions | FireOnOneCallbackOptions = { fireOnOneCallback: Math.random() > 0.5 };
const unknownShape = new DeferredList([succeed(1)], options);
expectType<Equal<ResultOf<typeof unknownShape>, [result: number, index: number] | DeferredListEntry<number>[]>>();
const inline = new DeferredList([succeed(1)], { fireOnOneCallback: Math.random() > 0.5 });
expectType<Equal<ResultOf<typeof inline>, [result: number, index: number] | DeferredListEntry<number>[]>>();

// Issue 9: options held in a variable of the named types give the exact result type.
const listOptions: DeferredListOptions = { consumeErrors: true, fireOnOneErrback: true };
const fromListOptions = new DeferredList([succeed(1)], listOptions);
expectType<Equal<ResultOf<typeof fromListOptions>, DeferredListEntry<number>[]>>();
const firstOptions: FireOnOneCallbackOptions = { fireOnOneCallback: true };
const fromFirstOptions = new DeferredList([succeed(1)], firstOptions);
expectType<Equal<ResultOf<typeof fromFirstOptions>, [result: number, index: number] | DeferredListEntry<number>[]>>();
// @ts-expect-error: fireOnOneCallback: true is FireOnOneCallbackOptions, not DeferredListOptions
const wrongKind: DeferredListOptions = { fireOnOneCallback: true };
void wrongKind;

// The result type by name.
expectType<Equal<DeferredListResult<string>, DeferredListEntry<string>[]>>();
expectType<
  Equal<DeferredListResult<string, { fireOnOneCallback: true; fireOnOneErrback: true }>, [result: string, index: number]>
>();

// A DeferredList is usable where a Deferred of its result is expected.
const asDeferred: Deferred<DeferredListEntry<number>[]> = list;
void asDeferred;

// Lists whose options give the same result type are interchangeable; others are not.
const consumedList: DeferredList<number, { consumeErrors: true }> = new DeferredList([succeed(1)], {
  consumeErrors: true,
});
const plainList: DeferredList<number> = consumedList;
const errbackList: DeferredList<number> = new DeferredList([succeed(1)], { fireOnOneErrback: true });
void plainList;
void errbackList;
// @ts-expect-error: a fireOnOneCallback list fires with [result, index], not a list of entries
const notPlain: DeferredList<number> = new DeferredList([succeed(1)], { fireOnOneCallback: true });
void notPlain;

// Inputs of different types make a list of their union (issue 9), as gatherResults and race infer.
const mixed = new DeferredList([succeed(1), succeed("a")]);
expectType<Equal<ResultOf<typeof mixed>, DeferredListEntry<number | string>[]>>();
const mixedFirst = new DeferredList([succeed(1), Promise.resolve("a")], { fireOnOneCallback: true, fireOnOneErrback: true });
expectType<Equal<ResultOf<typeof mixedFirst>, [result: number | string, index: number]>>();
// Giving T still works, and an iterable of one type too.
const givenT = new DeferredList<number | string>([succeed(1), succeed("a")]);
expectType<Equal<ResultOf<typeof givenT>, DeferredListEntry<number | string>[]>>();
const fromIterable = new DeferredList(new Set([succeed(true)]));
expectType<Equal<ResultOf<typeof fromIterable>, DeferredListEntry<boolean>[]>>();
// A DeferredList is still an instance of its class at run time and in types.
const isList: boolean = (mixed as unknown) instanceof DeferredList;
void isList;
// Options declared with `satisfies` keep their exact type, hence the exact result type.
const satisfiedOptions = { consumeErrors: true } satisfies DeferredListOptions;
const withListOptions = new DeferredList([succeed(1)], satisfiedOptions);
expectType<Equal<ResultOf<typeof withListOptions>, DeferredListEntry<number>[]>>();
// @ts-expect-error: with T given and no options type, fireOnOneCallback cannot be turned on
new DeferredList<number>([succeed(1)], { fireOnOneCallback: true });
// @ts-expect-error: the elements must be Deferreds
new DeferredList([1, 2]);
// @ts-expect-error: an unknown option
new DeferredList([succeed(1)], { fireOnOneCallbacks: true });
// @ts-expect-error: the list's result is a list of entries, not of numbers
const wrongList: Deferred<number[]> = new DeferredList([succeed(1)]);
void wrongList;
