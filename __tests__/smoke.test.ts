import { Deferred, succeed } from "../src/index.js";
import { successResultOf } from "../src/testing.js";

describe("smoke", () => {
  it("runs a step on an already-fired Deferred", () => {
    expect(successResultOf(succeed(1).addCallback(String))).toBe("1");
  });
  it("has gc", () => {
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe("function");
    expect(new Deferred<number>().called).toBe(false);
  });
});
