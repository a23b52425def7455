// The built package, imported by its name as a user would: `import` (ESM) and `require`
// (CommonJS) both resolve through package.json "exports" (Node's self-reference), and both
// builds behave the same. Needs `npm run build` first (npm test builds first): without dist/
// these tests fail, never skip, so that a missing build cannot pass unnoticed.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");
const ENTRIES = ["index.js", "index.cjs", "testing.js", "testing.cjs"];

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" }).trim();
}

// One scenario, written once, run in both module systems.
const SCENARIO = `
  const order = [];
  const d = new Deferred();
  d.addCallback((n) => n * 2).addCallback((n) => { order.push(n); return succeed(n + 1); });
  d.callback(20);
  const f = failureResultOf(fail(new CancelledError("c")), CancelledError);
  const out = {
    order,
    result: successResultOf(d),
    failure: f.value.name,
    is: CancelledError.is(f.value),
    awaited: await d,
  };
  console.log(JSON.stringify(out));
`;
const EXPECTED = { order: [40], result: 41, failure: "CancelledError", is: true, awaited: 41 };

describe("the built package", () => {
  beforeAll(() => {
    const missing = ENTRIES.filter((f) => !existsSync(resolve(ROOT, "dist", f)));
    if (missing.length) throw new Error(`dist/ lacks ${missing.join(", ")}: run \`npm run build\` first`);
  });

  it("runs a chain, a failure and `await` as expected through `import` of deferkit and deferkit/testing", () => {
    const code = `import { Deferred, succeed, fail, CancelledError } from "deferkit";
      import { successResultOf, failureResultOf } from "deferkit/testing";
      ${SCENARIO}`;
    expect(JSON.parse(node(["--input-type=module", "-e", code]))).toEqual(EXPECTED);
  });

  it("runs a chain, a failure and `await` as expected through `require` of deferkit and deferkit/testing", () => {
    const code = `const { Deferred, succeed, fail, CancelledError } = require("deferkit");
      const { successResultOf, failureResultOf } = require("deferkit/testing");
      (async () => { ${SCENARIO} })();`;
    expect(JSON.parse(node(["-e", code]))).toEqual(EXPECTED);
  });

  it("shares one Deferred class between deferkit and deferkit/testing in each module system", () => {
    const esm = `import { succeed } from "deferkit"; import { successResultOf } from "deferkit/testing";
      console.log(successResultOf(succeed("same")));`;
    expect(node(["--input-type=module", "-e", esm])).toBe("same");
  });

  it("starts the debug stacks of the built package at the caller's frames", () => {
    const code = `import { Deferred, setDebugging } from "deferkit";
      setDebugging(true);
      function makeIt() { return new Deferred(); }
      function fireIt(d) { d.callback(1); }
      const d = makeIt();
      fireIt(d);
      const first = (s) => s.split("\\n")[0].trim();
      console.log(JSON.stringify([first(d._diagnostics.createdAt), first(d._diagnostics.firstFiredAt)]));`;
    const [created, fired] = JSON.parse(node(["--input-type=module", "-e", code])) as string[];
    expect(created).toMatch(/^at makeIt /);
    expect(fired).toMatch(/^at fireIt /);
  });

  it("recognises errors across the ESM and CommonJS copies with is()", () => {
    const code = `import { createRequire } from "node:module";
      import { CancelledError as EsmCancelled, Failure } from "deferkit";
      const { CancelledError: CjsCancelled } = createRequire(process.cwd() + "/")("deferkit");
      const e = new CjsCancelled("x");
      console.log(JSON.stringify([e instanceof EsmCancelled, EsmCancelled.is(e), Failure.from(e).check(EsmCancelled) === EsmCancelled]));`;
    expect(JSON.parse(node(["--input-type=module", "-e", code]))).toEqual([false, true, true]);
  });
});
