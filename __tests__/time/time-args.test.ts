// Issue 9, "bad input, consistently": every API that takes a time accepts the same values on
// every clock (a finite number >= 0; Twisted asserts `delay >= 0`) and refuses the others with
// one message: TypeError for a non-number, RangeError for any other number.
import { Clock, Deferred, deferLater, LoopingCall, realClock, type DelayedCall, type IClock } from "../../src/index.js";

type TimeApi = [name: string, argName: string, call: (clock: IClock, ms: unknown) => void];

/** Does `move` to a call pending on `clock`, which is cancelled after either way. */
function onPendingCall(clock: IClock, move: (call: DelayedCall) => void): void {
  const call = clock.callLater(10, () => {});
  try {
    move(call);
  } finally {
    call.cancel();
  }
}

const apis: TimeApi[] = [
  ["callLater", "ms", (clock, ms) => clock.callLater(ms as number, () => {}).cancel()],
  ["DelayedCall#reset", "ms", (clock, ms) => onPendingCall(clock, (call) => call.reset(ms as number))],
  ["DelayedCall#delay", "ms", (clock, ms) => onPendingCall(clock, (call) => call.delay(ms as number))],
  ["deferLater", "ms", (clock, ms) => void deferLater(clock, ms as number).cancel()],
  [
    "Deferred#addTimeout",
    "ms",
    (clock, ms) => {
      const d = new Deferred<number>().addTimeout(ms as number, clock);
      d.addErrback(() => undefined);
      d.cancel();
    },
  ],
  [
    "LoopingCall#start",
    "intervalMs",
    (clock, ms) => {
      const loop = new LoopingCall(() => {});
      loop.clock = clock;
      loop.start(ms as number, false);
      loop.stop();
    },
  ],
];

const clocks: [string, () => IClock][] = [
  ["Clock", () => new Clock()],
  ["realClock", () => realClock],
];

const cases = apis.flatMap(([api, argName, call]) => clocks.map(([clockName, make]) => ({ api, argName, call, clockName, make })));

describe.each(cases)("$api on $clockName", ({ argName, call, make }) => {
  it.each([0, 1, 2.5])("accepts %p", (ms) => {
    expect(() => call(make(), ms)).not.toThrow();
  });

  it.each([
    [-1, "`-1` (number)"],
    [-0.5, "`-0.5` (number)"],
    [NaN, "`NaN` (number)"],
    [Infinity, "`Infinity` (number)"],
    [-Infinity, "`-Infinity` (number)"],
  ])("refuses %p with a RangeError naming the argument", (ms, shown) => {
    const clock = make();
    expect(() => call(clock, ms)).toThrow(RangeError);
    expect(() => call(clock, ms)).toThrow(`Expected \`${argName}\` to be a finite number >= 0, got ${shown}`);
  });

  it.each([
    ["5", '`"5"` (string)'],
    [undefined, "`undefined` (undefined)"],
    [null, "`null` (null)"],
  ])("refuses %p with a TypeError naming the argument", (ms, shown) => {
    const clock = make();
    expect(() => call(clock, ms)).toThrow(TypeError);
    expect(() => call(clock, ms)).toThrow(`Expected \`${argName}\` to be a finite number >= 0, got ${shown}`);
  });
});
