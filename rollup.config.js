import esbuild, { minify } from "rollup-plugin-esbuild";
import { dts } from "rollup-plugin-dts";

// One build: ESM and CommonJS side by side, and bundled declarations for each
// (.d.ts for import, .d.cts for require: one shared file would "masquerade as ESM"); and for a
// page without a bundler, the root minified, as an ES module and as an IIFE that sets a
// `deferkit` global for a plain <script> tag, each with its source map.
const input = { index: "src/index.ts", testing: "src/testing.ts", laws: "src/laws.ts" };
// deferkit/laws imports fast-check, an optional peer dependency: never bundled.
const external = ["fast-check"];

export default [
  {
    input,
    external,
    plugins: [esbuild({ target: "es2020", tsconfig: "tsconfig.build.json" })],
    output: [
      { dir: "dist", format: "es", entryFileNames: "[name].js", chunkFileNames: "deferkit-[hash].js" },
      { dir: "dist", format: "cjs", entryFileNames: "[name].cjs", chunkFileNames: "deferkit-[hash].cjs" },
    ],
  },
  {
    input: "src/index.ts",
    plugins: [esbuild({ target: "es2020", tsconfig: "tsconfig.build.json" }), minify({ target: "es2020" })],
    output: [
      { file: "dist/deferkit.min.js", format: "es", sourcemap: true },
      { file: "dist/deferkit.iife.min.js", format: "iife", name: "deferkit", sourcemap: true },
    ],
  },
  {
    input,
    external,
    plugins: [dts({ tsconfig: "tsconfig.build.json" })],
    output: [
      { dir: "dist", format: "es", entryFileNames: "[name].d.ts", chunkFileNames: "deferkit-[hash].d.ts" },
      { dir: "dist", format: "es", entryFileNames: "[name].d.cts", chunkFileNames: "deferkit-[hash].d.cts" },
    ],
  },
];
