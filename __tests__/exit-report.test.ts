// The exit report (see __tests__/contracts/exit-report.ts) of this checkout's src/, bundled by
// esbuild: under mutation testing src/ is the mutated copy, so the mutants of unhandled.ts's
// exit hook meet these tests (the built package's run does not see them).
import { buildSync } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
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

exitReportContract({
  name: "src/",
  specifier: () => {
    if (url === undefined) throw new Error("the bundle of src/ was not built");
    return url;
  },
  cwd: resolve(__dirname, ".."),
});
