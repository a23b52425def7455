// What a Node program sees of the failures still unhandled when it exits (issue 9, bug 3): a
// short script ends before the collector runs, so deferkit reports them at `beforeExit`, as Node
// reports an unhandled Promise rejection. Each case runs a script in its own process. The suite
// runs over the built package (__tests__/package/exit-report.test.ts: what users install) and
// over a bundle of src/ (__tests__/exit-report.test.ts: what mutation testing can see, since a
// mutant of src/ reaches a child process through the bundle and Stryker's environment variable).
import { spawnSync } from "node:child_process";

export interface ExitReportTarget {
  /** The suite's name: which build of deferkit the scripts import. */
  readonly name: string;
  /** The module specifier that scripts import for `deferkit` (a package name or a file URL). */
  specifier(): string;
  /** The directory the scripts run in. */
  readonly cwd: string;
}

export function exitReportContract(target: ExitReportTarget): void {
  const run = (code: string): { status: number | null; stderr: string; stdout: string } => {
    const source = code.replaceAll('"deferkit"', JSON.stringify(target.specifier()));
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", source], {
      cwd: target.cwd,
      encoding: "utf8",
      timeout: 20_000,
    });
    return { status: r.status, stderr: r.stderr, stdout: r.stdout };
  };
  const count = (text: string, needle: string): number => text.split(needle).length - 1;

  describe(`failures still unhandled when Node exits (${target.name})`, () => {
    it("are reported once with the default handler, and the exit code is 1, as for a Promise", () => {
      const r = run(`import { succeed } from "deferkit";
        succeed({ user: null }).addCallback((r) => r.user.name);`);
      expect(count(r.stderr, "Unhandled error in Deferred:\n")).toBe(1);
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
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    });

    it("keep an exit code the program set", () => {
      const r = run(`import { fail } from "deferkit";
        process.exitCode = 3;
        fail(new Error("x"));`);
      expect(count(r.stderr, "Unhandled error in Deferred")).toBe(1);
      expect(r.status).toBe(3);
    });

    it("set exit code 1 over an exit code of 0 that the program set", () => {
      const r = run(`import { fail } from "deferkit";
        process.exitCode = 0;
        fail(new Error("x"));`);
      expect(count(r.stderr, "Unhandled error in Deferred")).toBe(1);
      expect(r.status).toBe(1);
    });

    it("are printed with the error of a handler that throws, which leaves the exit code alone", () => {
      const r = run(`import { fail, onUnhandledFailure } from "deferkit";
        onUnhandledFailure(() => { throw new Error("handler broke"); });
        fail(new Error("lost?"));`);
      const failureAt = r.stderr.indexOf("Unhandled error in Deferred:\n");
      const handlerAt = r.stderr.indexOf("the onUnhandledFailure handler threw");
      expect(failureAt).toBeGreaterThanOrEqual(0);
      expect(r.stderr).toContain("lost?");
      expect(handlerAt).toBeGreaterThan(failureAt);
      expect(r.stderr).toContain("handler broke");
      expect(r.status).toBe(0);
    });

    it("include the debug stacks when debugging is on", () => {
      const r = run(`import { Deferred, setDebugging } from "deferkit";
        setDebugging(true);
        function makeIt() { return new Deferred(); }
        function fireIt(d) { d.errback(new Error("debugged")); }
        fireIt(makeIt());`);
      expect(r.stderr).toMatch(/\(debug: Deferred created at:\n {4}at makeIt /);
      expect(r.stderr).toMatch(/\(debug: first fired at:\n {4}at fireIt /);
      expect(r.status).toBe(1);
    });

    it("are reported without a FinalizationRegistry, at exit", () => {
      // An engine without FinalizationRegistry (older browsers, some embedded runtimes) still
      // gets the exit report, and importing deferkit there does not throw.
      const r = run(`delete globalThis.FinalizationRegistry;
        const { fail } = await import("deferkit");
        fail(new Error("no registry"));`);
      expect(count(r.stderr, "Unhandled error in Deferred")).toBe(1);
      expect(r.stderr).toContain("no registry");
      expect(r.status).toBe(1);
    });
  });

  describe(`the exit hook (${target.name})`, () => {
    it("is added once, at the first failure left unhandled, and never for handled ones", () => {
      const r = run(`import { fail, succeed, onUnhandledFailure } from "deferkit";
        onUnhandledFailure(() => {});
        const before = process.listenerCount("beforeExit");
        succeed(1);
        fail(new Error("handled")).addErrback(() => {});
        await Promise.resolve();
        await Promise.resolve();
        const handledOnly = process.listenerCount("beforeExit");
        fail(new Error("a"));
        fail(new Error("b"));
        await new Promise((r) => setTimeout(r, 0));
        const afterTwo = process.listenerCount("beforeExit");
        fail(new Error("c"));
        await new Promise((r) => setTimeout(r, 0));
        console.log(JSON.stringify([before, handledOnly, afterTwo, process.listenerCount("beforeExit")]));`);
      expect(JSON.parse(r.stdout)).toEqual([0, 0, 1, 1]);
      expect(r.status).toBe(0);
    });

    it("is not added where there is no process.on (a browser), and nothing throws", () => {
      const r = run(`import { fail } from "deferkit";
        const real = globalThis.process;
        globalThis.process = {}; // what a bundler's process shim may look like
        fail(new Error("in a browser"));
        await new Promise((r) => setTimeout(r, 0));
        globalThis.process = real;
        console.log(process.listenerCount("beforeExit"));`);
      expect(r.stdout.trim()).toBe("0");
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    });
  });
}
