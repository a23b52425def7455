// Every `@example` in the TSDoc of src/, and every ```ts block of README.md, is compiled (type-checked against the public API) and
// run here, with every export of the package root, of deferkit/testing and of deferkit/laws in
// scope, and fast-check as `fc`. A line
// `expr; // => value` in an example asserts that `expr` equals `value` (toEqual).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import * as root from "../src/index.js";
import * as testing from "../src/testing.js";
import * as laws from "../src/laws.js";
import * as fc from "fast-check";

const SRC = resolve(__dirname, "../src");

interface Example {
  where: string;
  code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

function examplesOf(file: string): Example[] {
  const text = readFileSync(file, "utf8");
  const found: Example[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const body = m[1]!.split("\n").map((line) => line.replace(/^\s*\* ?/, ""));
    const start = body.findIndex((line) => line.trim() === "@example");
    if (start < 0) continue;
    const open = body.findIndex((line, i) => i > start && line.trim().startsWith("```"));
    const close = body.findIndex((line, i) => i > open && line.trim() === "```");
    const line = text.slice(0, m.index).split("\n").length;
    found.push({
      where: `${relative(SRC, file)}:${line}`,
      // `*\/` is how a comment inside an example is written in TSDoc.
      code: body.slice(open + 1, close).join("\n").replace(/\*\\\//g, "*/"),
    });
  }
  return found;
}

/** `expr; // => value` becomes an assertion. */
function withAssertions(code: string): string {
  return code
    .split("\n")
    .map((line) => {
      const m = /^(\s*)(.*?);?\s*\/\/ => (.*)$/.exec(line);
      return m ? `${m[1]}__expect(${m[2]}, ${m[3]}, ${JSON.stringify(m[2])});` : line;
    })
    .join("\n");
}

/** The ```ts blocks of README.md, without their import lines (every export is in scope). */
function readmeExamples(): Example[] {
  const text = readFileSync(resolve(SRC, "../README.md"), "utf8");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ({
    where: `README.md:${text.slice(0, m.index).split("\n").length}`,
    code: m[1]!
      .split("\n")
      .filter((line) => !/^import .* from "(deferkit(\/testing|\/laws)?|fast-check)";$/.test(line))
      .join("\n"),
  }));
}

const examples = [...sourceFiles(SRC).flatMap(examplesOf), ...readmeExamples()];
const names = [...new Set([...Object.keys(root), ...Object.keys(testing), ...Object.keys(laws), "fc"])];
const scope: Record<string, unknown> = { ...root, ...testing, ...laws, fc };

describe("TSDoc examples", () => {
  it("exist for the public API", () => {
    expect(examples.length).toBeGreaterThan(20);
  });

  it("cover every export of the package root, deferkit/testing and deferkit/laws", () => {
    const sources = sourceFiles(SRC).map((f) => readFileSync(f, "utf8")).join("\n");
    const missing = names.filter((name) => name !== "fc").filter((name) => {
      const decl = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*export (?:const|(?:async )?function|class|interface|type) ${name}\\b`);
      const m = decl.exec(sources);
      return !m || !m[1]!.includes("@example");
    });
    expect(missing).toEqual([]);
  });

  it("type-check against the public API", () => {
    const files = new Map<string, string>();
    // Type-only exports exist only in the source: read their names from the export lines.
    const typeNamesOf = (entry: string): string[] =>
      [...readFileSync(join(SRC, entry), "utf8").matchAll(/^export type \{([^}]*)\}/gm)]
        .flatMap((m) => m[1]!.split(","))
        .map((n) => n.trim())
        .filter(Boolean);
    const typeNames = typeNamesOf("index.ts");
    const lawTypeNames = typeNamesOf("laws.ts");
    examples.forEach((ex, i) => {
      const header =
        `import { ${Object.keys(root).join(", ")} } from ${JSON.stringify(join(SRC, "index.js"))};\n` +
        `import type { ${typeNames.join(", ")} } from ${JSON.stringify(join(SRC, "index.js"))};\n` +
        `import { ${Object.keys(testing).filter((n) => !(n in root)).join(", ")} } from ${JSON.stringify(join(SRC, "testing.js"))};\n` +
        `import { ${Object.keys(laws).join(", ")} } from ${JSON.stringify(join(SRC, "laws.js"))};\n` +
        `import type { ${lawTypeNames.join(", ")} } from ${JSON.stringify(join(SRC, "laws.js"))};\n` +
        `import * as fc from "fast-check";\n` +
        `declare function __expect(actual: unknown, expected: unknown, text: string): void;\n` +
        // The one host global the examples use (jest's Node has it, as do browsers).
        `declare const AbortController: new () => { readonly signal: AbortSignalLike; abort(reason?: unknown): void };\n` +
        `export async function example(): Promise<void> {\n`;
      files.set(resolve(__dirname, `__example_${i}.ts`), `${header}${withAssertions(ex.code)}\n}\n`);
    });
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2020,
      lib: ["lib.es2021.d.ts"],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      noUnusedLocals: false,
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      files.has(name) ? ts.createSourceFile(name, files.get(name)!, lang) : getSourceFile(name, lang, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => files.has(name) || fileExists(name);
    const program = ts.createProgram([...files.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.has(d.file.fileName))
      .map((d) => {
        const i = Number(/__example_(\d+)/.exec(d.file!.fileName)![1]);
        return `${examples[i]!.where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
    expect(problems).toEqual([]);
  });

  it.each(examples.map((ex) => [ex.where, ex] as const))("%s runs and shows what it says", async (_where, ex) => {
    const js = ts.transpileModule(withAssertions(ex.code), {
      compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext },
    }).outputText;
    const checks: [unknown, unknown, string][] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (
      ...values: unknown[]
    ) => Promise<void>;
    const run = new AsyncFunction(...names, "__expect", js);
    await run(...names.map((n) => scope[n]), (actual: unknown, expected: unknown, text: string) =>
      checks.push([actual, expected, text]),
    );
    for (const [actual, expected, text] of checks) {
      expect({ [text]: actual }).toEqual({ [text]: expected });
    }
  });
});
