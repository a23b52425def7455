#!/usr/bin/env node
// `npm run example:<name> [-- args]`: runs examples/<name>.ts. Node 20 cannot run TypeScript,
// so esbuild bundles the example first, with `deferkit` pointing at this checkout's src/ (the
// example's imports read as a user's would) and its npm dependencies left as they are.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.error("usage: node scripts/example.mjs <echo|chat|crawler|deadlock> [args]");
  process.exit(2);
}
const outdir = resolve(root, "node_modules/.cache/deferkit-examples");
mkdirSync(outdir, { recursive: true });
const outfile = resolve(outdir, `${name}.mjs`);
await build({
  entryPoints: [resolve(root, "examples", `${name}.ts`)],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node18",
  packages: "external",
  alias: { "deferkit/testing": resolve(root, "src/testing.ts"), deferkit: resolve(root, "src/index.ts") },
  logLevel: "warning",
});
const example = await import(pathToFileURL(outfile).href);
example.main(args).addErrback((failure) => {
  console.error(failure.getTraceback());
  process.exitCode = 1;
});
