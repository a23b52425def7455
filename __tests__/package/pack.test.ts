// The package as a user gets it: `npm pack`, the tarball installed into a fresh folder (offline:
// deferkit has no dependencies), then `import` and `require` of deferkit, deferkit/testing and
// deferkit/laws, and TypeScript consumers compiled under moduleResolution node16, bundler and
// node10. deferkit/laws needs fast-check (an optional peer dependency): the folder gets this
// repository's copy, linked. Needs `npm run build` first (npm test builds first).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
jest.setTimeout(120_000);

let dir: string;
let app: string;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "deferkit-pack-"));
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  run(npm, ["pack", "--pack-destination", dir, "--silent"], ROOT);
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
  app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
  run(npm, ["install", join(dir, tarball), "--no-audit", "--no-fund", "--offline", "--ignore-scripts", "--silent"], app);
  symlinkSync(join(ROOT, "node_modules/fast-check"), join(app, "node_modules/fast-check"), "dir");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = `
  const seen = [];
  const d = new Deferred();
  d.addCallback((n) => n * 2).addCallback((n) => { seen.push(n); return n; });
  d.callback(21);
  const g = gatherResults([succeed(1), Promise.resolve(2)]);
  const f = failureResultOf(fail(new CancelledError("c")), CancelledError);
  const clock = new Clock();
  const later = deferLater(clock, 10, () => "later");
  clock.advance(10);
  const out = [seen, successResultOf(d), await g, f.value.name, successResultOf(later), String(succeed({ a: 1 }))];
  console.log(JSON.stringify(out));
`;
const EXPECTED = [[42], 42, [1, 2], "CancelledError", "later", "Deferred<called: { a: 1 }>"];

describe("the packed tarball, installed into a fresh folder", () => {
  it("contains only what a user needs", () => {
    const files = readdirSync(join(app, "node_modules/deferkit")).sort();
    expect(files).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "dist", "laws", "package.json", "testing"]);
    const dist = readdirSync(join(app, "node_modules/deferkit/dist"));
    expect(dist.filter((f) => !/\.(js|cjs|d\.ts|d\.cts|map)$/.test(f))).toEqual([]);
  });

  it("works through import of deferkit and deferkit/testing", () => {
    writeFileSync(
      join(app, "esm.mjs"),
      `import { CancelledError, Clock, Deferred, deferLater, fail, gatherResults, succeed } from "deferkit";
       import { failureResultOf, successResultOf } from "deferkit/testing";
       ${SCENARIO}`,
    );
    expect(JSON.parse(run(process.execPath, ["esm.mjs"], app))).toEqual(EXPECTED);
  });

  it("works through require of deferkit and deferkit/testing", () => {
    writeFileSync(
      join(app, "cjs.cjs"),
      `const { CancelledError, Clock, Deferred, deferLater, fail, gatherResults, succeed } = require("deferkit");
       const { failureResultOf, successResultOf } = require("deferkit/testing");
       (async () => { ${SCENARIO} })();`,
    );
    expect(JSON.parse(run(process.execPath, ["cjs.cjs"], app))).toEqual(EXPECTED);
  });

  // deferkit/laws checks deferkit through its published files, from either module system.
  const LAWS_SCENARIO = `
    const checked = await checkDeferredLaws(deferkitAdapter, { numRuns: 5 });
    const promise = await checkDeferredLaws(promiseAdapter, { numRuns: 5 });
    console.log(JSON.stringify([checked.length, promise.length]));
  `;

  it("works through import and require of deferkit/laws, with fast-check installed beside it", () => {
    writeFileSync(join(app, "laws.mjs"), `import { checkDeferredLaws, deferkitAdapter, promiseAdapter } from "deferkit/laws";\n${LAWS_SCENARIO}`);
    writeFileSync(
      join(app, "laws.cjs"),
      `const { checkDeferredLaws, deferkitAdapter, promiseAdapter } = require("deferkit/laws");\n(async () => { ${LAWS_SCENARIO} })();`,
    );
    expect(JSON.parse(run(process.execPath, ["laws.mjs"], app))).toEqual([11, 5]);
    expect(JSON.parse(run(process.execPath, ["laws.cjs"], app))).toEqual([11, 5]);
  });

  it("runs the laws as one node:test test each", () => {
    writeFileSync(
      join(app, "laws.test.mjs"),
      `import test from "node:test";
       import { deferredLaws, deferkitAdapter } from "deferkit/laws";
       for (const law of deferredLaws(deferkitAdapter, { numRuns: 5 })) test(law.name, () => law.check());`,
    );
    const r = spawnSync(process.execPath, ["--test", "--test-reporter=tap", "laws.test.mjs"], { cwd: app, encoding: "utf8" });
    expect(r.stdout).toMatch(/^# pass 11$/m);
    expect(r.stdout).toMatch(/^# fail 0$/m);
    expect(r.status).toBe(0);
  });

  it("keeps deferkit/laws and fast-check out of the root entry", () => {
    const root = readFileSync(join(app, "node_modules/deferkit/dist/index.js"), "utf8");
    const chunks = [...root.matchAll(/from '\.\/([^']+)'/g)].map((m) => m[1]!);
    const code = [root, ...chunks.map((c) => readFileSync(join(app, "node_modules/deferkit/dist", c), "utf8"))].join("\n");
    expect(code).not.toMatch(/fast-check|checkDeferredLaws|modelChain/);
  });

  // A consumer's code: the inferred types are checked by assignments that fail to compile when
  // a type is wrong, and by @ts-expect-error lines that must fail.
  const CONSUMER = `import { Deferred, DeferredList, type DeferredListEntry, FirstError, fail, gatherResults, succeed } from "deferkit";
import { failureResultOf, successResultOf } from "deferkit/testing";
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const yes = <T extends true>(): T | undefined => undefined;
const pair = gatherResults([succeed(1), succeed("a")]);
yes<Equal<typeof pair, Deferred<[number, string]>>>();
const list = new DeferredList([succeed(1), succeed("s")]);
const entries = successResultOf(list);
yes<Equal<typeof entries, DeferredListEntry<number | string>[]>>();
const n: number = successResultOf(succeed(1).addCallback((x) => x + 1));
const index: number = failureResultOf(gatherResults([fail<number>(new Error("x"))]), FirstError).value.index;
// @ts-expect-error: a step's parameter has the chain's type
succeed(1).addCallback((s: string) => s);
export { n, index, list };
`;

  const LAWS_CONSUMER = `import { checkDeferredLaws, deferkitAdapter, type DeferredAdapter, type LawName } from "deferkit/laws";
const adapter: DeferredAdapter<Deferred<unknown>> = deferkitAdapter;
const laws: Promise<LawName[]> = checkDeferredLaws(adapter);
// @ts-expect-error: an adapter needs create and then
void checkDeferredLaws({ name: "x", synchronous: true });
export { laws };
`;

  it.each([
    ["node16", { module: "node16", moduleResolution: "node16" }, "check.mts"],
    ["node16 (a CommonJS file)", { module: "node16", moduleResolution: "node16" }, "check.cts"],
    ["bundler", { module: "esnext", moduleResolution: "bundler" }, "check.ts"],
    ["node10", { module: "commonjs", moduleResolution: "node10" }, "check.ts"],
    // fast-check's own declarations import pure-rand by an "exports" subpath, which node10
    // cannot resolve: deferkit/laws is checked there with skipLibCheck (deferkit's own
    // declarations are checked by the row above).
    ["node10 (with deferkit/laws, skipLibCheck)", { module: "commonjs", moduleResolution: "node10", skipLibCheck: true }, "check.ts"],
  ])("compiles a TypeScript consumer under moduleResolution %s", (name, options, file) => {
    const sub = join(app, `ts-${name.replace(/\W+/g, "-")}`);
    mkdirSync(sub, { recursive: true });
    const withLaws = name !== "node10";
    writeFileSync(join(sub, file), withLaws ? CONSUMER + LAWS_CONSUMER : CONSUMER);
    const tsconfig = {
      compilerOptions: { target: "es2020", lib: ["es2021"], strict: true, noEmit: true, types: [], skipLibCheck: false, ...options },
      files: [file],
    };
    writeFileSync(join(sub, "tsconfig.json"), JSON.stringify(tsconfig));
    const r = spawnSync(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: sub, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe(""); // tsc's errors, if any
    expect(r.status).toBe(0);
  });
});
