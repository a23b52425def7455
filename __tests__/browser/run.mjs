// Browser tests: the built ESM files, served from 127.0.0.1 and imported by a page in Debian's
// headless Chromium (driven by playwright-core; no browser is downloaded). Each check in
// checks.js runs in the page; the counts go to the file named on the command line.
// Usage: node __tests__/browser/run.mjs [counts.json]
import { createServer } from "node:http";
import { readFile, writeFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const TYPES = { ".js": "text/javascript", ".html": "text/html", ".map": "application/json" };
// (A URL's query, such as ?build=iife, is for the page's script; the file is the path.)

/** Serves one file of the project; never rejects (any error is a 404). */
async function serve(req, res) {
  try {
    const path = normalize(join(ROOT, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    if (!path.startsWith(ROOT)) throw new Error("outside the project");
    const body = await readFile(path); // read first: a missing file must not leave headers half-sent
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
}

// The server ignores what a request listener returns: serve() handles its own errors.
const server = createServer((req, res) => void serve(req, res));
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;

const counts = { passed: 0, failed: 0, skipped: 0 };
let browser;
try {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--js-flags=--expose-gc", // the unhandled-failure check collects garbage on purpose
    ],
  });
  // Each page sets window.results; a page that logs an error (console.error, an uncaught
  // exception) fails too. checks.js runs the full checks on the ES modules of dist/;
  // scenario.js runs one scenario on each browser build, the IIFE included.
  const pages = [
    ["", "page.html"],
    ["[esm] ", "scenario.html?build=esm"],
    ["[min] ", "scenario.html?build=min"],
    ["[iife] ", "scenario.html?build=iife"],
  ];
  for (const [label, path] of pages) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => void (m.type() === "error" && errors.push(`console.error: ${m.text()}`)));
    await page.goto(`${base}/__tests__/browser/${path}`);
    await page.waitForFunction(() => window.results !== undefined, null, { timeout: 20000 });
    const results = await page.evaluate(() => window.results);
    for (const { name, ok, error } of results) {
      if (ok) counts.passed++;
      else counts.failed++;
      console.log(`${ok ? "  ok  " : "  FAIL"} ${label}${name}${ok ? "" : `: ${error}`}`);
    }
    for (const e of errors) {
      counts.failed++;
      console.log(`  FAIL ${label}page error: ${e}`);
    }
    await page.close();
  }
} catch (e) {
  counts.failed++;
  console.log(`  FAIL browser run: ${e && e.message}`);
} finally {
  await browser?.close();
  server.close();
}
console.log(`browser: ${counts.passed} passed, ${counts.failed} failed`);
if (process.argv[2]) await writeFile(process.argv[2], JSON.stringify(counts));
process.exitCode = counts.failed ? 1 : 0;
