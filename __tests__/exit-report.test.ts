// The exit report (see __tests__/contracts/exit-report.ts) of this checkout's src/, bundled by
// esbuild: under mutation testing src/ is the mutated copy, so the mutants of unhandled.ts's
// exit hook meet these tests (the built package's run does not see them).
import { buildSync } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { exitReportContract } from "./contracts/exit-report";

let dir: string | undefined;
let url: string | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "deferkit-exit-"));
  const outfile = join(dir, "deferkit.mjs");
  buildSync({
    entryPoints: [resolve(__dirname, "../src/index.ts")],
    outfile,
    bundle: true,
    platform: "neutral",
    format: "esm",
    target: "node18",
    logLevel: "error",
  });
  url = pathToFileURL(outfile).href;
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

// In an application's bundle deferkit shares a file, and a directory, with the application's
// code: its frames cannot be told by directory, so captureStack drops them by count. Bundled
// with the script itself, the debug stacks must still start at the script's functions.
describe("debug stacks in an application bundle that holds deferkit (src/)", () => {
  it("start at the application's frames, deferkit's dropped by count", () => {
    if (dir === undefined) throw new Error("no temporary directory");
    const entry = join(dir, "main.mjs");
    writeFileSync(
      entry,
      `import { Deferred, setDebugging } from ${JSON.stringify(resolve(__dirname, "../src/index.ts"))};
      setDebugging(true);
      function makeIt() { return new Deferred(); }
      function fireIt(d) { d.errback(new Error("in a bundle")); }
      fireIt(makeIt());`,
    );
    const outfile = join(dir, "app.mjs");
    buildSync({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "esm", target: "node18", logLevel: "error" });
    const r = spawnSync(process.execPath, [outfile], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toMatch(/\(debug: Deferred created at:\n {4}at makeIt \(.*app\.mjs:/);
    expect(r.stderr).toMatch(/\(debug: first fired at:\n {4}at fireIt \(.*app\.mjs:/);
    expect(r.status).toBe(1);
  });
});

exitReportContract({
  name: "src/",
  specifier: () => {
    if (url === undefined) throw new Error("the bundle of src/ was not built");
    return url;
  },
  cwd: resolve(__dirname, ".."),
});
