// flushUnhandledFailures() (deferkit/testing): a check for test suites that does not depend on
// when the garbage collector runs (trial's flushLoggedErrors is the anchor).
import { Deferred, fail, onUnhandledFailure, succeed, type Failure } from "../src/index.js";
import { flushUnhandledFailures } from "../src/testing.js";
import { collectGarbage } from "./helpers.js";

const messages = (fs: Failure[]): string[] => fs.map((f) => f.getErrorMessage());

describe("flushUnhandledFailures()", () => {
  beforeEach(() => void flushUnhandledFailures());

  it("returns, at once, the failures that end a chain with nobody to handle them, in order", () => {
    const kept = [fail(new Error("first")), succeed(1).addCallback(() => Promise.reject(new Error("never"))), fail(new Error("second"))];
    succeed(0).addCallback(() => {
      throw new Error("third");
    });
    expect(messages(flushUnhandledFailures())).toEqual(["first", "second", "third"]);
    void kept;
  });

  it("leaves out handled failures, and those handled before the flush", () => {
    fail(new Error("handled")).addErrback(() => undefined);
    const later = fail(new Error("handled later"));
    later.addErrback(() => undefined);
    expect(flushUnhandledFailures()).toEqual([]);
  });

  it("counts what it returned as handled: never returned again, never reported", async () => {
    const reports: string[] = [];
    const restore = onUnhandledFailure((f) => reports.push(f.getErrorMessage()));
    try {
      (() => void fail(new Error("flushed")))();
      expect(messages(flushUnhandledFailures())).toEqual(["flushed"]);
      expect(flushUnhandledFailures()).toEqual([]);
      await collectGarbage();
      expect(reports).toEqual([]);
    } finally {
      onUnhandledFailure(restore);
    }
  });

  it("counts the failure itself as handled: passed on to another chain, it is not returned again", () => {
    const failed = fail(new Error("once"));
    expect(messages(flushUnhandledFailures())).toEqual(["once"]);
    const next = new Deferred<never>();
    failed.chainDeferred(next); // next now ends in the very same Failure
    expect(flushUnhandledFailures()).toEqual([]);
  });

  it("also returns a failure the garbage collector reported since the previous flush", async () => {
    const reports: string[] = [];
    const restore = onUnhandledFailure((f) => reports.push(f.getErrorMessage()));
    try {
      (() => void fail(new Error("collected")))();
      await Promise.resolve(); // the failure is now watched for collection
      await collectGarbage();
      expect(reports).toEqual(["collected"]); // reported as usual...
      expect(messages(flushUnhandledFailures())).toEqual(["collected"]); // ...and kept for the flush
    } finally {
      onUnhandledFailure(restore);
    }
  });

  it("sees a chain that fails after a wait, when it fails", () => {
    const inner = new Deferred<number>();
    const outer = succeed(1).addCallback(() => inner);
    expect(flushUnhandledFailures()).toEqual([]);
    inner.errback(new Error("late"));
    expect(messages(flushUnhandledFailures())).toEqual(["late"]);
    void outer;
  });
});
