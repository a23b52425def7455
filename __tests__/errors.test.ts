// deferkit's error classes: names, messages, the stack limit they leave alone, and `is()`.
import {
  AlreadyCalledError,
  AlreadyCancelledError,
  CancelledError,
  Failure,
  FailureGroup,
  FirstError,
  TimeoutError,
} from "../src/index.js";
import { secondCopy } from "./helpers.js";

type ErrorStatics = { stackTraceLimit?: number };

describe("the error classes", () => {
  it.each([
    ["AlreadyCalledError", () => new AlreadyCalledError()],
    ["AlreadyCancelledError", () => new AlreadyCancelledError()],
    ["CancelledError", () => new CancelledError()],
    ["TimeoutError", () => new TimeoutError()],
  ])("%s is named after its class, and is() tells it from the others", (name, make) => {
    const e = make();
    expect(e.name).toBe(name);
    expect(String(e).startsWith(name)).toBe(true);
    expect(AlreadyCancelledError.is(e)).toBe(name === "AlreadyCancelledError");
    expect(CancelledError.is(e)).toBe(name === "CancelledError");
  });

  it("lets a subclass or an instance take another name, as any Error does", () => {
    class MyCancel extends CancelledError {
      constructor() {
        super("mine");
        (this as Error).name = "MyCancel";
      }
    }
    const e = new MyCancel();
    expect(e.name).toBe("MyCancel");
    expect(Object.getOwnPropertyDescriptor(e, "name")).toEqual({ value: "MyCancel", writable: true, configurable: true, enumerable: false });
    (e as Error).name = "Renamed"; // still writable
    expect(e.name).toBe("Renamed");
    expect(CancelledError.is(e)).toBe(true); // the brand comes from the class, not the name
    expect(new CancelledError().name).toBe("CancelledError"); // other instances keep theirs
  });
});

describe("FirstError", () => {
  it("puts Error.stackTraceLimit back as it was, also when it was unset or odd", () => {
    const statics = Error as ErrorStatics;
    const before = statics.stackTraceLimit;
    try {
      for (const limit of [7, 0, undefined]) {
        statics.stackTraceLimit = limit;
        new FirstError(Failure.from(new Error("x")), 0);
        expect(statics.stackTraceLimit).toBe(limit);
      }
    } finally {
      statics.stackTraceLimit = before;
    }
  });

  it("refuses an index that is not a number with a TypeError, and a bad number with a RangeError", () => {
    const f = Failure.from(new Error("x"));
    expect(() => new FirstError(f, "1" as never)).toThrow(new TypeError('Expected `index` to be an integer >= 0, got `"1"` (string)'));
    expect(() => new FirstError(f, -1)).toThrow(RangeError);
    expect(new FirstError(f, 2).message).toBe("FirstError[#2, x]");
  });
});

describe("FailureGroup", () => {
  it("counts its failures in its message, one or many", () => {
    const f = Failure.from(new Error("x"));
    expect(new FailureGroup([f]).message).toBe("FailureGroup of 1 failure");
    expect(new FailureGroup([f, f]).message).toBe("FailureGroup of 2 failures");
    expect(new FailureGroup([]).message).toBe("FailureGroup of 0 failures");
  });
});

describe("errors and Failures of another copy of deferkit", () => {
  const foreign = secondCopy();

  it("are recognised by is(), check() and trap(), though instanceof does not see them", () => {
    const e = new foreign.CancelledError();
    expect(e instanceof CancelledError).toBe(false);
    expect(CancelledError.is(e)).toBe(true);
    expect(TimeoutError.is(e)).toBe(false);
    const f = Failure.from(e);
    expect(f.check(TimeoutError, CancelledError)).toBe(CancelledError);
    expect(() => f.trap(TimeoutError)).toThrow(e);
  });

  it("agree with a copy loaded while the program runs: its check() knows our errors, util.inspect its Failures", () => {
    // A copy loaded late (another bundle's) makes its brand and inspect keys as it loads: they
    // must be the ones every copy uses.
    const late = secondCopy();
    expect(late.Failure.from(new CancelledError()).check(late.TimeoutError, late.CancelledError)).toBe(late.CancelledError);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { inspect } = require("node:util") as typeof import("node:util");
    expect(inspect(late.Failure.from(new RangeError("r")))).toBe("[Failure RangeError: r]");
  });

  it("a foreign Failure is a Failure to is(), and from() takes its value", () => {
    const theirs = foreign.Failure.from(new Error("far"));
    expect(theirs instanceof Failure).toBe(false);
    expect(Failure.is(theirs)).toBe(true);
    expect(Failure.is({ value: 1 })).toBe(false);
    expect(Failure.from(theirs).value).toBe(theirs.value);
  });
});

describe("Failure#type and #getTraceback() of values that are not Errors", () => {
  it("type is the constructor, or undefined without one", () => {
    expect(Failure.from("text").type).toBe(String);
    expect(Failure.from(Object.create(null)).type).toBeUndefined();
    expect(Failure.from({ constructor: "not a function" }).type).toBeUndefined();
    expect(Failure.from(null).type).toBeUndefined();
  });

  it("getTraceback() is the stack, else name and message, else the value as text", () => {
    expect(Failure.from({ name: "Named", message: "m" }).getTraceback()).toBe("Named: m");
    expect(Failure.from({ stack: "the stack" }).getTraceback()).toBe("the stack");
    expect(Failure.from({ stack: "", message: "m" }).getTraceback()).toBe("[object Object]");
    expect(Failure.from("plain").getTraceback()).toBe("plain");
    expect(Failure.from(7).getTraceback()).toBe("7");
    // null has no properties to read, and a function's name is not an error's name.
    expect(Failure.from(null).getTraceback()).toBe("null");
    function thrownFunction(): void {}
    expect(Failure.from(thrownFunction).getTraceback()).toBe(String(thrownFunction));
  });

  it("util.inspect shows toString()", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { inspect } = require("node:util") as typeof import("node:util");
    expect(inspect(Failure.from(new RangeError("r")))).toBe("[Failure RangeError: r]");
  });
});
