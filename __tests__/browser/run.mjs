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
    ],
  });
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${base}/__tests__/browser/page.html`);
  // The page imports /dist/index.js and /__tests__/browser/checks.js and sets window.results.
  await page.waitForFunction(() => window.results !== undefined, null, { timeout: 20000 });
  const results = await page.evaluate(() => window.results);
  for (const { name, ok, error } of results) {
    if (ok) counts.passed++;
    else counts.failed++;
    console.log(`${ok ? "  ok  " : "  FAIL"} ${name}${ok ? "" : `: ${error}`}`);
  }
  for (const e of errors) {
    counts.failed++;
    console.log(`  FAIL page error: ${e}`);
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
