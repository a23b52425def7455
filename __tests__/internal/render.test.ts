// render(): the one-line renderings that Deferred#toString() and the testing helpers' messages
// show. Each row is a kind of value and exactly what a person reads for it.
import { Deferred, Failure } from "../../src/index.js";
import { render } from "../../src/internal/render.js";

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
class Empty {}
class Pending {
  then(): void {}
}

const rows: [label: string, value: () => unknown, shown: string][] = [
  ["a number", () => 42, "42"],
  ["negative zero, which String() shows as 0", () => -0, "-0"],
  ["positive zero", () => 0, "0"],
  ["NaN", () => NaN, "NaN"],
  ["a boolean", () => true, "true"],
  ["undefined", () => undefined, "undefined"],
  ["null", () => null, "null"],
  ["a bigint", () => 12n, "12n"],
  ["a symbol", () => Symbol("tag"), "Symbol(tag)"],
  ["a short string, quoted", () => "hi", '"hi"'],
  ["a string of 40 characters, whole", () => "a".repeat(40), JSON.stringify("a".repeat(40))],
  ["a string of 41 characters, cut to 39 and an ellipsis", () => "a".repeat(41), JSON.stringify(`${"a".repeat(39)}…`)],
  ["a named function", () => function named() {}, "[Function named]"],
  ["an anonymous function", () => (() => () => undefined)(), "[Function (anonymous)]"],
  ["an Error, by name and message", () => new RangeError("too big"), "RangeError: too big"],
  ["an error-like object (message and stack)", () => ({ name: "Custom", message: "m", stack: "s" }), "Custom: m"],
  ["an error-like object without a name", () => ({ message: "m", stack: "s" }), "Error: m"],
  ["an object with a message but no stack is a plain object", () => ({ message: "m" }), '{ message: "m" }'],
  ["an object with a stack but no message is a plain object", () => ({ stack: "s" }), '{ stack: "s" }'],
  ["an empty array", () => [], "[]"],
  ["an array of up to five", () => [1, 2, 3, 4, 5], "[1, 2, 3, 4, 5]"],
  ["an array of more than five, with a count of the rest", () => [1, 2, 3, 4, 5, 6, 7], "[1, 2, 3, 4, 5, … 2 more]"],
  ["arrays two levels down, by length", () => [[[1, 2]]], "[[[Array(2)]]]"],
  ["an empty object", () => ({}), "{}"],
  ["an object, key by key", () => ({ user: null, n: 1 }), "{ user: null, n: 1 }"],
  ["a key that is not an identifier, quoted", () => ({ "a-b": 1 }), '{ "a-b": 1 }'],
  ["an object of more than five keys", () => ({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }), "{ a: 1, b: 2, c: 3, d: 4, e: 5, … 1 more }"],
  ["objects two levels down, elided", () => ({ a: { b: { c: 1 } } }), "{ a: { b: {…} } }"],
  ["a class instance, by class name", () => new Point(1, 2), "Point { x: 1, y: 2 }"],
  ["an empty class instance", () => new Empty(), "Empty {}"],
  ["an instance of an anonymous class, as a plain object", () => new ((() => class {})())(), "{}"],
  ["exactly five keys, with no count of the rest", () => ({ a: 1, b: 2, c: 3, d: 4, e: 5 }), "{ a: 1, b: 2, c: 3, d: 4, e: 5 }"],
  ["an object without a prototype", () => Object.assign(Object.create(null) as object, { k: 1 }), "{ k: 1 }"],
  ["a Map, by size", () => new Map([[1, 2]]), "Map (1)"],
  ["a Set, by size", () => new Set([1, 2, 3]), "Set (3)"],
  ["a thenable class instance, unopened", () => new Pending(), "Pending {…}"],
  ["a plain thenable", () => ({ then() {} }), "thenable {…}"],
  ["a Deferred, by its own toString()", () => new Deferred(), "Deferred<pending>"],
  ["a Deferred inside a value, by name", () => ({ d: new Deferred() }), "{ d: Deferred }"],
  ["a Failure, by its toString()", () => Failure.from(new TypeError("t")), "[Failure TypeError: t]"],
];

describe("render()", () => {
  it.each(rows)("shows %s", (_label, value, shown) => {
    expect(render(value())).toBe(shown);
  });

  it("cuts a rendering longer than 72 characters to 71 and an ellipsis", () => {
    const keys = { aaaaaaaaaa: 1111111111, bbbbbbbbbb: 2222222222, cccccccccc: 3333333333, dddddddddd: 4 };
    const whole = "{ aaaaaaaaaa: 1111111111, bbbbbbbbbb: 2222222222, cccccccccc: 3333333333, dddddddddd: 4 }";
    expect(render(keys)).toBe(`${whole.slice(0, 71)}…`);
    expect(render(keys)).toHaveLength(72);
    const exactly72 = { k: "x".repeat(40 - 8), l: "y".repeat(21) };
    const shown = render(exactly72);
    expect(shown.length <= 72 && !shown.endsWith("…")).toBe(true);
  });

  it("keeps a rendering of exactly 72 characters whole", () => {
    // '{ a: "' + 30 x + '", b: "' + n y + '" }' — pick n so that the whole is 72 long.
    const make = (n: number): Record<string, string> => ({ a: "x".repeat(30), b: "y".repeat(n) });
    const n = 72 - render(make(0)).length;
    expect(render(make(n))).toHaveLength(72);
    expect(render(make(n)).endsWith("…")).toBe(false);
    expect(render(make(n + 1))).toHaveLength(72);
    expect(render(make(n + 1)).endsWith("…")).toBe(true);
  });

  it("falls back to the object's tag when a getter throws", () => {
    const hostile = {
      get boom(): never {
        throw new Error("no");
      },
    };
    expect(render(hostile)).toBe("[object Object]");
  });
});
