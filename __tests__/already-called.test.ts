import { AlreadyCalledError, CancelledError, Deferred, Failure, fail, setDebugging, succeed } from "../src/index.js";
import { failureResultOf, successResultOf } from "../src/testing.js";

// Named functions, so that their names show up in the recorded stacks.
function createTheDeferred(): Deferred<string> {
  return new Deferred<string>();
}
function callOne(d: Deferred<string>): void {
  d.callback("hello");
}
function callTwo(d: Deferred<string>): void {
  d.callback("twice");
}
function errOne(d: Deferred<string>): void {
  d.errback(new Error("first failure"));
}
function errTwo(d: Deferred<string>): void {
  d.errback(new Error("second failure"));
}

type Fire = (d: Deferred<string>) => void;
// Twisted's AlreadyCalledTests names: C = callback, E = errback; first call, then second call.
const pairs: [string, Fire, Fire][] = [
  ["CC", callOne, callTwo],
  ["CE", callOne, errTwo],
  ["EC", errOne, callTwo],
  ["EE", errOne, errTwo],
];

/** The error the second call throws. */
function secondCallError(d: Deferred<string>, first: Fire, second: Fire): unknown {
  d.addErrback(() => "handled"); // keep the test's own failures out of the unhandled report
  first(d);
  try {
    second(d);
  } catch (e) {
    return e;
  }
  throw new Error("the second call did not throw");
}

function occurrences(text: string, word: string): number {
  return text.split(word).length - 1;
}

afterEach(() => {
  setDebugging(false);
});

describe("AlreadyCalledError from a second callback()/errback()", () => {
  it.each(pairs)("%s: the second call throws AlreadyCalledError", (_name, first, second) => {
    // Twisted: AlreadyCalledTests.testAlreadyCalled_CC, _CE, _EC, _EE
    const e = secondCallError(new Deferred<string>(), first, second);
    expect(e).toBeInstanceOf(AlreadyCalledError);
    expect(e).toBeInstanceOf(Error);
    expect(AlreadyCalledError.is(e)).toBe(true);
    expect((e as Error).name).toBe("AlreadyCalledError");
  });

  it("leaves the first result in place and runs no step again", () => {
    const d = new Deferred<string>();
    const step = jest.fn((s: string) => s.length);
    d.addCallback(step);
    callOne(d);
    expect(() => callTwo(d)).toThrow(AlreadyCalledError);
    expect(() => errTwo(d)).toThrow(AlreadyCalledError);
    expect(step).toHaveBeenCalledTimes(1);
    expect(successResultOf(d)).toBe(5);
  });

  it("throws for a second call even while the chain waits on a returned Deferred", () => {
    const d = new Deferred<string>();
    d.addCallback(() => new Deferred<string>());
    callOne(d);
    expect(() => callTwo(d)).toThrow(AlreadyCalledError);
  });

  it("fails the chain with AlreadyCalledError when a step fires its own Deferred", () => {
    const d = new Deferred<string>();
    d.addCallback(() => d.callback("again"));
    callOne(d);
    expect(AlreadyCalledError.is(failureResultOf(d).value)).toBe(true);
  });

  it("has a message without stacks, pointing at setDebugging(), when debugging is off", () => {
    // Twisted: AlreadyCalledTests.testNoDebugging
    const e = secondCallError(new Deferred<string>(), callOne, callTwo) as Error;
    expect(e.message).toMatch(/already been called/);
    expect(e.message).toMatch(/setDebugging\(true\)/);
    expect(e.message).not.toMatch(/created at/);
    expect(e.message).not.toMatch(/first fired at/);
    expect(e.message).not.toContain("createTheDeferred");
    expect(e.message).not.toContain("callOne");
  });
});

describe("AlreadyCalledError with setDebugging(true)", () => {
  it.each(pairs)("%s: the message has the creation stack and the first caller's stack, not the second's", (_n, first, second) => {
    // Twisted: AlreadyCalledTests.testAlreadyCalledDebug_CC, _CE, _EC, _EE
    setDebugging(true);
    const d = createTheDeferred();
    const message = (secondCallError(d, first, second) as Error).message;
    const createdAt = message.indexOf("It was created at:");
    const firedAt = message.indexOf("It was first fired at:");
    expect(createdAt).toBeGreaterThan(-1);
    expect(firedAt).toBeGreaterThan(createdAt);
    const creation = message.slice(createdAt, firedAt);
    const invocation = message.slice(firedAt);
    expect(occurrences(creation, "createTheDeferred")).toBe(1);
    for (const fn of [callOne, callTwo, errOne, errTwo]) expect(creation).not.toContain(fn.name);
    expect(occurrences(invocation, first.name)).toBe(1);
    expect(invocation).not.toContain(second.name);
    expect(invocation).not.toContain("createTheDeferred");
  });

  it("names the firing of the source Deferred as the first call of a Deferred fired through chainDeferred()", () => {
    setDebugging(true);
    const source = new Deferred<string>();
    const target = createTheDeferred();
    source.chainDeferred(target);
    callOne(source);
    let message = "";
    try {
      callTwo(target);
    } catch (e) {
      message = (e as Error).message;
    }
    const firedAt = message.indexOf("It was first fired at:");
    expect(firedAt).toBeGreaterThan(-1);
    expect(occurrences(message.slice(firedAt), "callOne")).toBe(1);
    expect(message.slice(firedAt)).not.toContain("callTwo");
  });

  it("does not crash when debugging is switched on between creating and firing", () => {
    // Twisted: AlreadyCalledTests.testSwitchDebugging
    const d = createTheDeferred();
    setDebugging(true);
    callOne(d);
    const e = secondCallError(d, () => {}, callTwo) as Error;
    expect(AlreadyCalledError.is(e)).toBe(true);
    // Debugging covers Deferreds created while it is on.
    expect(e.message).not.toContain("It was created at:");
  });

  it("does not crash when debugging is switched on after firing, before adding a step", () => {
    // Twisted: AlreadyCalledTests.testSwitchDebugging
    const d = createTheDeferred();
    callOne(d);
    setDebugging(true);
    expect(successResultOf(d.addCallback((s) => s + "!"))).toBe("hello!");
  });

  it("keeps the creation stack but records no first-fire stack when debugging is off at firing", () => {
    setDebugging(true);
    const d = createTheDeferred();
    setDebugging(false);
    const message = (secondCallError(d, callOne, callTwo) as Error).message;
    expect(message).toContain("It was created at:");
    expect(message).toContain("createTheDeferred");
    expect(message).not.toContain("It was first fired at:");
  });
});

describe("AlreadyCalledError.is()", () => {
  const BRAND = Symbol.for("deferkit.error");

  it("recognises an AlreadyCalledError from a second copy of deferkit by its brand", () => {
    const fromOtherCopy = { [BRAND]: "AlreadyCalledError", name: "AlreadyCalledError", message: "m" };
    expect(fromOtherCopy instanceof AlreadyCalledError).toBe(false);
    expect(AlreadyCalledError.is(fromOtherCopy)).toBe(true);
    expect(CancelledError.is(fromOtherCopy)).toBe(false);
  });

  it("lets Failure#check() and failureResultOf() match the other copy's error", () => {
    class OtherCopyAlreadyCalledError extends Error {}
    Object.defineProperty(OtherCopyAlreadyCalledError.prototype, BRAND, { value: "AlreadyCalledError" });
    const err = new OtherCopyAlreadyCalledError("from the other copy");
    const f = failureResultOf(fail(err), AlreadyCalledError);
    expect(f.value).toBe(err);
    expect(Failure.from(err).check(CancelledError, AlreadyCalledError)).toBe(AlreadyCalledError);
  });

  it("does not go by name or message: an unbranded look-alike is not an AlreadyCalledError", () => {
    const lookAlike = new Error("Deferred has already been called");
    lookAlike.name = "AlreadyCalledError";
    expect(AlreadyCalledError.is(lookAlike)).toBe(false);
    expect(AlreadyCalledError.is({ [BRAND]: "CancelledError" })).toBe(false);
    expect(AlreadyCalledError.is(null)).toBe(false);
    expect(AlreadyCalledError.is("AlreadyCalledError")).toBe(false);
    expect(AlreadyCalledError.is(succeed(1))).toBe(false);
  });
});

describe("debug stacks start at the caller (issue 9)", () => {
  afterEach(() => setDebugging(false));

  it("the first frame of 'created at' and of 'first fired at' is the user's code, not deferkit's", () => {
    setDebugging(true);
    const d = createTheDeferred();
    callOne(d);
    const info = d._diagnostics!;
    const firstFrame = (stack: string | undefined): string => (stack ?? "").split("\n")[0]!;
    expect(firstFrame(info.createdAt)).toContain("createTheDeferred");
    expect(firstFrame(info.firstFiredAt)).toContain("callOne");
    for (const own of ["runner.ts", "deferred.ts", "unhandled.ts"]) {
      expect(info.createdAt).not.toContain(own);
      expect(info.firstFiredAt).not.toContain(own);
    }
  });
});
