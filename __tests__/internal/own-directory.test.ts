// ownDirectory(): which frames of a captured stack are deferkit's own, told by their directory.
import { ownDirectory } from "../../src/internal/unhandled.js";

describe("ownDirectory()", () => {
  it.each([
    ["a V8 frame with a function name", "    at runCallbacks (/app/node_modules/deferkit/dist/index.js:1:2)", "/app/node_modules/deferkit/dist/"],
    ["a V8 frame without one", "    at /app/node_modules/deferkit/dist/index.js:1:2", "/app/node_modules/deferkit/dist/"],
    ["a Firefox/Safari frame", "runCallbacks@https://cdn.example/deferkit.min.js:1:2", "https://cdn.example/"],
    ["the sources, from internal/ up to src/", "    at captureStack (/repo/src/internal/unhandled.ts:55:18)", "/repo/src/"],
    ["the sources, from src/ itself", "    at f (/repo/src/deferred.ts:5:1)", "/repo/src/"],
    ["a chunk of the built package, named after it", "    at f (/app/vendor/deferkit-B2Ui.js:1:2)", "/app/vendor/"],
    ["an install under pnpm's store", "    at f (/app/node_modules/.pnpm/deferkit@1.0.0/node_modules/deferkit/dist/x.js:1:2)", "/app/node_modules/.pnpm/deferkit@1.0.0/node_modules/deferkit/dist/"],
  ])("finds the directory in %s", (_label, frame, dir) => {
    expect(ownDirectory([frame, "    at user (/app/main.js:3:4)"])).toBe(dir);
  });

  it.each([
    ["an application bundle that holds deferkit", "    at Ab (/app/dist/bundle.js:1:2)"],
    ["a frame of another engine in a bundle", "Ab@https://example.com/app.js:1:2"],
    ["no frame at all", undefined],
    ["an internal/ directory outside src/", "    at f (/app/lib/internal/x.js:1:2)"],
    ["an application bundle in a directory named after deferkit", "    at Ab (/srv/deferkit-demo/dist/app.js:1:2)"],
    ["one served from a URL with deferkit in its path", "Ab@https://example.com/deferkit-demo/app.js:1:2"],
  ])("gives null (drop frames by count) for %s", (_label, frame) => {
    expect(ownDirectory(frame === undefined ? [] : [frame])).toBeNull();
  });

  it("reads the file after the last parenthesis, so a name with one does not confuse it", () => {
    expect(ownDirectory(["    at Object.<anonymous> (fn) (/x/deferkit/a.js:1:1)"])).toBe("/x/deferkit/");
  });
});
