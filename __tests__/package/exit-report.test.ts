// Issue 9, bug 3: a failure that no step handled and that the program never collects (a short
// script ends first) is reported when Node is about to exit, as an unhandled Promise
// rejection is. Each case runs a script on the built package in its own process.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

function run(code: string): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe("failures still unhandled when Node exits", () => {
  it("are reported once with the default handler, and the exit code is 1, as for a Promise", () => {
    const r = run(`import { succeed } from "deferkit";
      succeed({ user: null }).addCallback((r) => r.user.name);`);
    expect(count(r.stderr, "Unhandled error in Deferred")).toBe(1);
    expect(r.stderr).toContain("TypeError");
    expect(r.status).toBe(1);
  });

  it("are not reported when a later step handled them", () => {
    const r = run(`import { succeed } from "deferkit";
      const d = succeed({ user: null }).addCallback((r) => r.user.name);
      setTimeout(() => d.addErrback(() => "recovered"), 5);`);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("go to a custom handler, once each, which decides the exit code", () => {
    const r = run(`import { fail, onUnhandledFailure } from "deferkit";
      onUnhandledFailure((f) => console.log("seen " + f.getErrorMessage()));
      fail(new Error("a"));
      fail(new Error("b"));
      // A second beforeExit (work scheduled by the first) reports nothing again.
      let again = true;
      process.on("beforeExit", () => { if (again) { again = false; setTimeout(() => {}, 1); } });`);
    expect(r.stdout.trim().split("\n").sort()).toEqual(["seen a", "seen b"]);
    expect(r.status).toBe(0);
  });

  it("keep an exit code the program set", () => {
    const r = run(`import { fail, onUnhandledFailure } from "deferkit";
      process.exitCode = 3;
      fail(new Error("x"));`);
    expect(count(r.stderr, "Unhandled error in Deferred")).toBe(1);
    expect(r.status).toBe(3);
  });
});
