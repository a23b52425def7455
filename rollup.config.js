import esbuild from "rollup-plugin-esbuild";
import { dts } from "rollup-plugin-dts";

// One build: ESM and CommonJS side by side, and bundled declarations for each
// (.d.ts for import, .d.cts for require: one shared file would "masquerade as ESM").
const input = { index: "src/index.ts", testing: "src/testing.ts" };

export default [
  {
    input,
    plugins: [esbuild({ target: "es2020", tsconfig: "tsconfig.build.json" })],
    output: [
      { dir: "dist", format: "es", entryFileNames: "[name].js", chunkFileNames: "deferkit-[hash].js" },
      { dir: "dist", format: "cjs", entryFileNames: "[name].cjs", chunkFileNames: "deferkit-[hash].cjs" },
    ],
  },
  {
    input,
    plugins: [dts({ tsconfig: "tsconfig.build.json" })],
    output: [
      { dir: "dist", format: "es", entryFileNames: "[name].d.ts", chunkFileNames: "deferkit-[hash].d.ts" },
      { dir: "dist", format: "es", entryFileNames: "[name].d.cts", chunkFileNames: "deferkit-[hash].d.cts" },
    ],
  },
];
