// Unhandled failures are reported when their Deferred is garbage-collected
// (Twisted: LogTests). These tests run with `node --expose-gc` and wait for finalizers.
import { Deferred, Failure, fail, onUnhandledFailure, setDebugging, succeed } from "../src/index.js";
import type { DebugInfo } from "../src/index.js";
import { failureResultOf } from "../src/testing.js";
import { collectGarbage, secondCopy } from "./helpers.js";

let reports: { failure: Failure; info: DebugInfo }[];
let restore: () => void;
beforeEach(() => {
  reports = [];
  restore = onUnhandledFailure((failure, info) => reports.push({ failure, info }));
});
afterEach(() => {
  restore();
  setDebugging(false);
});

// Each scenario builds its Deferreds inside a function, so that nothing on the test's own
// stack frame keeps them alive.
function dropFailedChain(): void {
  const d = new Deferred<number>();
  d.addCallback(() => {
    throw new RangeError("step failed");
  });
  d.callback(1);
}

describe("onUnhandledFailure()", () => {
  // Twisted: LogTests.test_errorLog
  it("reports a collected Deferred whose chain ends in a failure, once", async () => {
    dropFailedChain();
    await collectGarbage();
    await collectGarbage();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.failure.value).toBeInstanceOf(RangeError);
    expect(reports[0]!.failure.getErrorMessage()).toBe("step failed");
  });

  it("reports an error thrown inside a step even though its stack passed through the Deferred", async () => {
    // An unformatted V8 stack holds its frames' receivers (the Deferred among them); the
    // report must not keep the Deferred alive through it.
    for (let i = 0; i < 20; i++) dropFailedChain();
    await collectGarbage();
    expect(reports).toHaveLength(20);
  });

  it("reports a failure that was created with fail() and never handled", async () => {
    (() => {
      fail(new TypeError("never handled"));
    })();
    await collectGarbage();
    expect(reports.map((r) => r.failure.getErrorMessage())).toEqual(["never handled"]);
  });

  it("does not report a failure that an errback added later handled", async () => {
    (() => {
      const d = fail(new Error("late"));
      d.addErrback(() => "recovered");
    })();
    await collectGarbage();
    expect(reports).toHaveLength(0);
  });

  it("does not report a failure handled after the microtask check registered it", async () => {
    let keep: Deferred<unknown> | null = fail(new Error("late"));
    await new Promise((resolve) => setTimeout(resolve, 0)); // the check has run: registered
    keep.addErrback(() => null);
    keep = null;
    await collectGarbage();
    expect(reports).toHaveLength(0);
  });

  it("does not report a failure whose errback returned a failure already reported elsewhere", async () => {
    // The chain's new end is a failure someone already observed: the first one was handled.
    const seen = failureResultOf(fail(new Error("observed elsewhere")));
    let keep: Deferred<unknown> | null = fail(new Error("handled"));
    await new Promise((resolve) => setTimeout(resolve, 0)); // the check has run: watched
    keep.addErrback(() => seen);
    keep = null;
    await collectGarbage();
    expect(reports).toHaveLength(0);
  });

  it("still reports when the errback added later passes the failure on", async () => {
    (() => {
      fail(new Error("passed on")).addErrback((f) => f);
    })();
    await collectGarbage();
    expect(reports).toHaveLength(1);
  });

  it("counts a failure observed by then() as handled", async () => {
    const observed = await (async () => {
      const d = fail(new Error("observed"));
      return d.then(
        () => "fulfilled",
        (e: unknown) => (e as Error).message,
      );
    })();
    expect(observed).toBe("observed");
    await collectGarbage();
    expect(reports).toHaveLength(0);
  });

  // Twisted: LogTests.test_chainedErrorCleanup
  it("does not report the inner Deferred whose failure an outer chain took over and handled", async () => {
    (() => {
      const outer = succeed(1).addCallback(() => fail(new Error("zoop")));
      outer.addErrback(() => undefined);
    })();
    await collectGarbage();
    expect(reports).toHaveLength(0);
  });

  // Twisted: LogTests.test_errorClearedByChaining
  it("does not report a failed Deferred whose errback returned a Deferred that never fires", async () => {
    (() => {
      const good = new Deferred<string>();
      fail(new Error("bad")).addErrback(() => good);
    })();
    await collectGarbage();
    expect(reports).toHaveLength(0);
  });

  it("does not report a Deferred that recovered", async () => {
    (() => {
      fail(new Error("x")).addErrback(() => 1);
      succeed(1);
    })();
    await collectGarbage();
    expect(reports).toHaveLength(0);
  });

  // Twisted: LogTests.test_errorLogDebugInfo
  it("includes where the Deferred was created and first fired when debugging is on", async () => {
    setDebugging(true);
    function makeAndDropInDebugMode(): void {
      const d = new Deferred<number>();
      d.errback(new Error("debug me"));
    }
    makeAndDropInDebugMode();
    setDebugging(false);
    await collectGarbage();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.info.createdAt).toContain("makeAndDropInDebugMode");
    expect(reports[0]!.info.firstFiredAt).toContain("makeAndDropInDebugMode");
  });

  it("records an empty stack, without failing, when every frame captured is deferkit's own", async () => {
    // Error.stackTraceLimit = 1 leaves only the frame of the function that captures the stack.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 1;
    try {
      setDebugging(true);
      (() => {
        new Deferred<number>().errback(new Error("short stacks"));
      })();
    } finally {
      Error.stackTraceLimit = limit;
      setDebugging(false);
    }
    await collectGarbage();
    expect(reports.map((r) => [r.failure.getErrorMessage(), r.info.createdAt, r.info.firstFiredAt])).toEqual([["short stacks", "", ""]]);
  });

  it("finds deferkit's own frames by their directory from the first stack with a frame, not an empty one", async () => {
    // A second copy: its directory is not known yet. Its first stack has no frame at all.
    const copy = secondCopy();
    const infos: DebugInfo[] = [];
    const undo = copy.onUnhandledFailure((_f, info) => infos.push(info));
    const limit = Error.stackTraceLimit;
    try {
      copy.setDebugging(true);
      Error.stackTraceLimit = 0;
      (() => {
        new copy.Deferred<number>().errback(new Error("no frames"));
      })();
      Error.stackTraceLimit = limit;
      function fireWithFrames(): void {
        copy.fail(new Error("frames"));
      }
      fireWithFrames();
      copy.setDebugging(false);
      await collectGarbage();
      // Told by count instead, the second stack would start inside deferkit (fail(), which
      // calls errback(): a frame more than the count allows for).
      expect(infos.map((i) => i.firstFiredAt?.split("\n")[0]?.trim().split(" ")[1])).toEqual(expect.arrayContaining([undefined, "fireWithFrames"]));
      expect(infos).toHaveLength(2);
    } finally {
      Error.stackTraceLimit = limit;
      copy.setDebugging(false);
      undo();
    }
  });

  it("gives no debug stacks when debugging is off", async () => {
    dropFailedChain();
    await collectGarbage();
    expect(reports[0]!.info.createdAt).toBeUndefined();
    expect(reports[0]!.info.firstFiredAt).toBeUndefined();
  });

  it("returns a function that puts the previous handler back", async () => {
    const inner: string[] = [];
    const undo = onUnhandledFailure((f) => inner.push(f.getErrorMessage()));
    (() => {
      fail(new Error("while the inner handler is set"));
    })();
    await collectGarbage();
    undo();
    (() => {
      fail(new Error("after undo"));
    })();
    await collectGarbage();
    expect(inner).toEqual(["while the inner handler is set"]);
    expect(reports.map((r) => r.failure.getErrorMessage())).toEqual(["after undo"]); // beforeEach's
  });

  it("rejects a handler that is not a function with a TypeError naming it", () => {
    expect(() => onUnhandledFailure(5 as never)).toThrow(/`handler`/);
  });

  it("reports to console.error by default, with the traceback", async () => {
    const undo = onUnhandledFailure(null);
    const spy = jest.spyOn(console, "error").mockImplementation(() => {});
    try {
      dropFailedChain();
      await collectGarbage();
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]![0])).toMatch(/^Unhandled error in Deferred:\nRangeError: step failed/);
      expect(String(spy.mock.calls[0]![0])).not.toContain("(debug:"); // debugging is off
    } finally {
      spy.mockRestore();
      undo();
    }
  });

  it("prints the debug stacks too by default, each frame on its line", async () => {
    const undo = onUnhandledFailure(null);
    const spy = jest.spyOn(console, "error").mockImplementation(() => {});
    try {
      setDebugging(true);
      function dropWhileDebugging(): void {
        new Deferred<number>().errback(new Error("with stacks"));
      }
      dropWhileDebugging();
      setDebugging(false);
      await collectGarbage();
      expect(spy).toHaveBeenCalledTimes(1);
      const text = String(spy.mock.calls[0]![0]);
      const created = /\n\(debug: Deferred created at:\n {4}at dropWhileDebugging \(.*\)\n {4}at /.exec(text);
      const fired = /\n\(debug: first fired at:\n {4}at dropWhileDebugging \(.*\)\n {4}at /.exec(text);
      expect([created !== null, fired !== null]).toEqual([true, true]);
      expect(text.indexOf("created at")).toBeLessThan(text.indexOf("first fired at"));
    } finally {
      setDebugging(false);
      spy.mockRestore();
      undo();
    }
  });

  it("reports both the failure and the error of a handler that throws, instead of crashing", async () => {
    const undo = onUnhandledFailure(() => {
      throw new Error("handler broke");
    });
    const spy = jest.spyOn(console, "error").mockImplementation(() => {});
    try {
      dropFailedChain();
      await collectGarbage();
      const printed = spy.mock.calls.map((args) => args.map(String).join(" "));
      // The failure the handler was given is not lost behind the handler's own error.
      expect(printed.some((text) => text.includes("Unhandled error in Deferred") && text.includes("step failed"))).toBe(
        true,
      );
      expect(spy).toHaveBeenCalledWith(
        "deferkit: the onUnhandledFailure handler threw while reporting the failure above:",
        expect.objectContaining({ message: "handler broke" }),
      );
    } finally {
      spy.mockRestore();
      undo();
    }
  });
});

describe("Deferred#cancel() with a canceller that throws after firing", () => {
  it("hands the canceller's error to the unhandled-failure hook at once", () => {
    const d = new Deferred<number>((self) => {
      self.callback(1);
      throw new Error("canceller broke");
    });
    d.cancel();
    expect(reports.map((r) => r.failure.getErrorMessage())).toEqual(["canceller broke"]);
  });
});
