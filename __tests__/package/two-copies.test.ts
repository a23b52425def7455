// Two copies of deferkit in one process: an app that `import`s it while a dependency
// `require`s it (the dual-package case). The ESM and the CommonJS build are loaded side by
// side, and each case checks that a Deferred or Failure of one copy is treated by the other
// exactly as its own would be. Needs `npm run build` first (npm test builds first).
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

/** Runs `body` as an ES module with `esm` and `cjs` bound to the two copies; returns what it logs as JSON. */
function withTwoCopies(body: string): unknown {
  const code = `import { createRequire } from "node:module";
    import * as esm from "deferkit";
    import * as esmTesting from "deferkit/testing";
    const req = createRequire(process.cwd() + "/");
    const cjs = req("deferkit");
    const cjsTesting = req("deferkit/testing");
    if (cjs.Deferred === esm.Deferred) throw new Error("the two copies are one");
    ${body}`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(out.trim());
}

describe("two copies of deferkit in one process (ESM and CommonJS builds)", () => {
  it("a step returning the other copy's Failure switches the chain to its errbacks", () => {
    const out = withTwoCopies(`
      const seen = [];
      cjs.succeed(1)
        .addCallback(() => new esm.Failure(new Error("e")))
        .addCallbacks((v) => { seen.push("callback"); }, (f) => { seen.push("errback " + f.getErrorMessage()); });
      console.log(JSON.stringify(seen));`);
    expect(out).toEqual(["errback e"]);
  });

  it("errback() with the other copy's Failure does not wrap it a second time", () => {
    const out = withTwoCopies(`
      const d = new cjs.Deferred();
      const e = new Error("e");
      d.errback(new esm.Failure(e));
      const f = cjsTesting.failureResultOf(d);
      console.log(JSON.stringify([f.value === e, f instanceof cjs.Failure]));`);
    expect(out).toEqual([true, true]);
  });

  it("gatherResults, DeferredList and race take the other copy's Deferreds", () => {
    const out = withTwoCopies(`
      const g = cjs.gatherResults([esm.succeed(1), cjs.succeed(2)]);
      const l = new cjs.DeferredList([esm.succeed("a")]);
      const r = cjs.race([new cjs.Deferred(), esm.succeed("won")]);
      console.log(JSON.stringify([
        cjsTesting.successResultOf(g),
        cjsTesting.successResultOf(l),
        cjsTesting.successResultOf(r),
      ]));`);
    expect(out).toEqual([[1, 2], [[true, "a"]], [1, "won"]]);
  });

  it("cancelling a combinator reaches the other copy's input", () => {
    const out = withTwoCopies(`
      let cancelled = 0;
      const input = new esm.Deferred(() => { cancelled++; });
      const g = cjs.gatherResults([input], { consumeErrors: true });
      g.cancel();
      const f = cjsTesting.failureResultOf(g);
      console.log(JSON.stringify([cancelled, cjs.FirstError.is(f.value), esm.CancelledError.is(f.value.subFailure.value)]));`);
    expect(out).toEqual([1, true, true]);
  });

  it("successResultOf and failureResultOf read the other copy's Deferreds", () => {
    const out = withTwoCopies(`
      const ok = cjsTesting.successResultOf(esm.succeed(7));
      const f = cjsTesting.failureResultOf(esm.fail(new RangeError("r")), RangeError);
      let pending = "no throw";
      try { cjsTesting.assertNoResult(new esm.Deferred()); } catch (e) { pending = String(e); }
      console.log(JSON.stringify([ok, f.getErrorMessage(), pending]));`);
    expect(out).toEqual([7, "r", "no throw"]);
  });

  it("callback() refuses the other copy's Deferred as it refuses its own", () => {
    const out = withTwoCopies(`
      const errors = [];
      for (const d of [cjs.succeed(1), esm.succeed(1)]) {
        try { new cjs.Deferred().callback(d); errors.push("accepted"); } catch (e) { errors.push(e.constructor.name); }
      }
      console.log(JSON.stringify(errors));`);
    expect(out).toEqual(["TypeError", "TypeError"]);
  });

  it("a step returning the other copy's fired Deferred takes its result synchronously", () => {
    const out = withTwoCopies(`
      const seen = [];
      cjs.succeed(1).addCallback(() => esm.succeed(2)).addCallback((v) => { seen.push(v); });
      seen.push("after");
      const inner = new esm.Deferred();
      const outer = cjs.succeed(0).addCallback(() => inner).addCallback((v) => { seen.push(v); });
      inner.callback(3); // fires the other copy's chain, which resumes ours at once
      seen.push("end");
      console.log(JSON.stringify(seen));`);
    expect(out).toEqual([2, "after", 3, "end"]);
  });

  it("a step returning the other copy's failed Deferred fails the chain with that failure", () => {
    const out = withTwoCopies(`
      const e = new Error("inner");
      const seen = [];
      cjs.succeed(1).addCallback(() => esm.fail(e)).addErrback((f) => { seen.push(f.value === e, f instanceof cjs.Failure); });
      console.log(JSON.stringify(seen));`);
    expect(out).toEqual([true, true]);
  });

  it("cancel() reaches the other copy's Deferred that a step waits on", () => {
    const out = withTwoCopies(`
      let cancelled = 0;
      const inner = new esm.Deferred(() => { cancelled++; });
      const outer = cjs.succeed(1).addCallback(() => inner);
      outer.cancel();
      const f = cjsTesting.failureResultOf(outer);
      console.log(JSON.stringify([cancelled, cjs.CancelledError.is(f.value)]));`);
    expect(out).toEqual([1, true]);
  });

  it("Deferred.is and Failure.is recognise both copies; instanceof only its own", () => {
    const out = withTwoCopies(`
      const d = esm.succeed(1);
      const f = new esm.Failure(new Error("x"));
      console.log(JSON.stringify([
        cjs.Deferred.is(d), d instanceof cjs.Deferred, cjs.Failure.is(f), f instanceof cjs.Failure,
        cjs.Deferred.is(Promise.resolve(1)), cjs.Failure.is(new Error("x")), cjs.Deferred.is(null),
      ]));`);
    expect(out).toEqual([true, false, true, false, false, false, false]);
  });
});
