import {
  AlreadyCalledError,
  CancelledError,
  FailureGroup,
  FirstError,
  QueueOverflow,
  QueueUnderflow,
  TimeoutError,
  Failure,
  fail,
  onUnhandledFailure,
} from "../src/index.js";
import { failureResultOf, successResultOf } from "../src/testing.js";

class ParentError extends Error {}
class ChildError extends ParentError {}

describe("Failure.from() and value", () => {
  it("wraps a thrown value, keeping it as value", () => {
    const err = new RangeError("too big");
    const f = Failure.from(err);
    expect(f).toBeInstanceOf(Failure);
    expect(f.value).toBe(err);
  });

  it("returns a Failure as it is instead of wrapping it twice", () => {
    const f = Failure.from(new Error("once"));
    expect(Failure.from(f)).toBe(f);
  });

  it("keeps a non-Error value as it is", () => {
    for (const v of ["a string", 42, null, undefined, { code: 1 }]) expect(Failure.from(v).value).toBe(v);
  });
});

describe("Failure#type", () => {
  it("is the constructor of the value", () => {
    expect(Failure.from(new ChildError()).type).toBe(ChildError);
    expect(Failure.from(new RangeError()).type).toBe(RangeError);
  });

  it("is the wrapper constructor of a primitive value", () => {
    expect(Failure.from("s").type).toBe(String);
  });

  it("is undefined for null, undefined and an object without a constructor", () => {
    expect(Failure.from(null).type).toBeUndefined();
    expect(Failure.from(undefined).type).toBeUndefined();
    expect(Failure.from(Object.create(null)).type).toBeUndefined();
  });
});

describe("Failure#check()", () => {
  it("returns the first of the given types that the value is an instance of", () => {
    const f = Failure.from(new ChildError());
    expect(f.check(TypeError, ChildError, ParentError)).toBe(ChildError);
    expect(f.check(TypeError, ParentError, ChildError)).toBe(ParentError);
  });

  it("matches a parent class", () => {
    expect(Failure.from(new ChildError()).check(ParentError)).toBe(ParentError);
    expect(Failure.from(new ChildError()).check(Error)).toBe(Error);
  });

  it("returns null when nothing matches, or when given no types", () => {
    const f = Failure.from(new ParentError());
    expect(f.check(ChildError, TypeError)).toBeNull();
    expect(f.check()).toBeNull();
    expect(Failure.from("not an error").check(Error)).toBeNull();
  });
});

describe("Failure#trap()", () => {
  it("returns the matching type", () => {
    expect(Failure.from(new ChildError()).trap(TypeError, ParentError)).toBe(ParentError);
  });

  it("throws the very value when nothing matches", () => {
    const err = new TypeError("bad");
    const value = { not: "an error" };
    expect(() => Failure.from(err).trap(RangeError)).toThrow(err);
    let caught: unknown;
    try {
      Failure.from(value).trap(RangeError);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(value);
  });

  it("lets an errback pass on the failures it does not trap, and recover from those it does", () => {
    const err = new TypeError("bad");
    const trapRange = (f: Failure) => {
      f.trap(RangeError);
      return "handled";
    };
    const passedOn = fail(err).addErrback(trapRange);
    expect(failureResultOf(passedOn, TypeError).value).toBe(err);
    expect(successResultOf(fail(new RangeError("r")).addErrback(trapRange))).toBe("handled");
  });
});

describe("Failure#getErrorMessage()", () => {
  it("is the message of an Error", () => {
    expect(Failure.from(new RangeError("too big")).getErrorMessage()).toBe("too big");
  });

  it("is the message of an Error-like object", () => {
    expect(Failure.from({ message: "like an error" }).getErrorMessage()).toBe("like an error");
  });

  it("is the value as a string otherwise", () => {
    expect(Failure.from("plain").getErrorMessage()).toBe("plain");
    expect(Failure.from(5).getErrorMessage()).toBe("5");
    expect(Failure.from(null).getErrorMessage()).toBe("null");
  });

  it("does not throw for a value that cannot be turned into a string", () => {
    const hostile = {
      toString() {
        throw new Error("no string for you");
      },
    };
    expect(Failure.from(hostile).getErrorMessage()).toBe("[object Object]");
  });
});

describe("Failure#getTraceback()", () => {
  it("is the stack of an Error value", () => {
    const err = new RangeError("with a stack");
    const tb = Failure.from(err).getTraceback();
    expect(tb).toBe(err.stack);
    expect(tb).toContain("RangeError: with a stack");
  });

  it("is the name and message of an object without a stack", () => {
    expect(Failure.from({ name: "Custom", message: "no stack" }).getTraceback()).toBe("Custom: no stack");
  });

  it("is the value as a string for a primitive", () => {
    expect(Failure.from(7).getTraceback()).toBe("7");
  });
});

describe("Failure#raiseException()", () => {
  it("throws the very value, Error or not", () => {
    const err = new ParentError("raised");
    expect(() => Failure.from(err).raiseException()).toThrow(err);
    let caught: unknown;
    try {
      Failure.from("a string").raiseException();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe("a string");
  });
});

describe("Failure#toString()", () => {
  it("names the type and the message", () => {
    expect(Failure.from(new RangeError("too big")).toString()).toBe("[Failure RangeError: too big]");
    expect(String(Failure.from(new ChildError("child")))).toBe("[Failure ChildError: child]");
  });

  it("shows the value alone when it has no type", () => {
    expect(Failure.from(undefined).toString()).toBe("[Failure undefined]");
  });
});

describe("error classes", () => {
  const BRAND = Symbol.for("deferkit.error");
  const cases: [string, { is(v: unknown): boolean }, () => Error][] = [
    ["AlreadyCalledError", AlreadyCalledError, () => new AlreadyCalledError("m")],
    ["CancelledError", CancelledError, () => new CancelledError("m")],
    ["TimeoutError", TimeoutError, () => new TimeoutError("m")],
    ["FirstError", FirstError, () => new FirstError(Failure.from(new Error("m")), 0)],
    ["FailureGroup", FailureGroup, () => new FailureGroup([])],
    ["QueueOverflow", QueueOverflow, () => new QueueOverflow("m")],
    ["QueueUnderflow", QueueUnderflow, () => new QueueUnderflow("m")],
  ];

  it.each(cases)("%s has its literal name, extends Error, and is() accepts its instances and brand only", (name, cls, make) => {
    const e = make();
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe(name);
    expect(String(e)).toMatch(new RegExp(`^${name}`));
    expect(e.stack).toEqual(expect.any(String));
    expect(cls.is(e)).toBe(true);
    expect(cls.is({ [BRAND]: name })).toBe(true);
    for (const [otherName, , other] of cases) {
      if (otherName !== name) expect(cls.is(other())).toBe(false);
    }
    const lookAlike = new Error("m");
    lookAlike.name = name;
    expect(cls.is(lookAlike)).toBe(false);
    expect(cls.is(undefined)).toBe(false);
  });

  it("keeps the message given to the constructor", () => {
    expect(new CancelledError("stopped").message).toBe("stopped");
    expect(new TimeoutError("gave up after 10 ms").message).toBe("gave up after 10 ms");
  });

  it("gives FirstError its sub-failure and index, and a message naming both", () => {
    const sub = Failure.from(new RangeError("boom"));
    const e = new FirstError(sub, 2);
    expect(e.subFailure).toBe(sub);
    expect(e.index).toBe(2);
    expect(e.message).toContain("2");
    expect(e.message).toContain("boom");
  });

  it("gives FailureGroup its failures in order, and a message counting them", () => {
    const failures = [Failure.from(new Error("a")), Failure.from(new Error("b"))];
    const e = new FailureGroup(failures);
    expect(e.failures).toEqual(failures);
    expect(e.failures[0]).toBe(failures[0]);
    expect(e.message).toContain("2");
  });

  it("recognises a subclass instance through is() and check()", () => {
    class AbortedError extends CancelledError {}
    const e = new AbortedError("aborted");
    expect(CancelledError.is(e)).toBe(true);
    expect(Failure.from(e).check(CancelledError)).toBe(CancelledError);
  });
});

describe("bad arguments name themselves", () => {
  it("check() and trap() throw a TypeError naming a type that is not a constructor", () => {
    const f = Failure.from(new Error("x"));
    expect(() => f.check("Error" as never)).toThrow(
      new TypeError('Expected `types[0]` to be an error class, got `"Error"` (string)'),
    );
    expect(() => f.trap(RangeError, {} as never)).toThrow(/^Expected `types\[1\]` to be an error class/);
  });

  it("FirstError checks its subFailure and index", () => {
    expect(() => new FirstError("x" as never, 0)).toThrow(
      new TypeError('Expected `subFailure` to be a Failure, got `"x"` (string)'),
    );
    expect(() => new FirstError(Failure.from(new Error("e")), -1)).toThrow(
      new RangeError("Expected `index` to be an integer >= 0, got `-1` (number)"),
    );
  });

  it("FailureGroup checks that it gets an array of Failures", () => {
    expect(() => new FailureGroup(undefined as never)).toThrow(
      new TypeError("Expected `failures` to be an array of Failures, got `undefined` (undefined)"),
    );
    expect(() => new FailureGroup([new Error("e")] as never)).toThrow(/^Expected `failures\[0\]` to be a Failure/);
  });

  it("onUnhandledFailure() names a handler that is not a function in the common format", () => {
    expect(() => onUnhandledFailure("x" as never)).toThrow(
      new TypeError('Expected `handler` to be a function or null, got `"x"` (string)'),
    );
  });
});
