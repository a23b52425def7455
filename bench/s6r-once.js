// One S6r measurement in a fresh process, the way a server meets deep waits: no warm-up, no
// re-warm after collections, GC included. Step i returns the still-pending Deferred (or
// promise) of level i+1; each level is fired later from its own microtask, as I/O completions
// arrive, and the last one after them. Prints {"ms", "rssMB"}: the time to the outermost
// result, and the process's peak resident set size.
// Usage: node bench/s6r-once.js deferkit|promise|floor <depth>
import { Deferred } from "../dist/index.js";
import { promiseNesting } from "./scenarios/lib.js";

const [side, depthArg] = process.argv.slice(2);
const n = Number(depthArg);
const RESULT = 42;

function deferkit() {
  return new Promise((resolve, reject) => {
    const ds = new Array(n + 1);
    for (let i = 0; i <= n; i++) ds[i] = new Deferred();
    for (let i = 0; i < n; i++) {
      const next = ds[i + 1];
      ds[i].addCallback(() => next);
    }
    ds[0].addCallbacks(resolve, (f) => reject(f.value));
    for (let i = 0; i < n; i++) queueMicrotask(() => ds[i].callback(i));
    queueMicrotask(() => ds[n].callback(RESULT));
  });
}

function promise() {
  const { resolvers, outer } = promiseNesting(n);
  for (let i = 0; i < n; i++) queueMicrotask(() => resolvers[i](i));
  queueMicrotask(() => resolvers[n](RESULT));
  return outer;
}

// The scenario's own cost, which either side pays: n + 1 objects kept in an array, n + 1
// closures, one microtask each; no Deferred and no promise chain.
function floor() {
  return new Promise((resolve) => {
    const cells = new Array(n + 1);
    for (let i = 0; i <= n; i++) cells[i] = { value: 0, next: null };
    for (let i = 0; i < n; i++) cells[i].next = cells[i + 1];
    for (let i = 0; i < n; i++) queueMicrotask(() => void (cells[i].value = i));
    queueMicrotask(() => resolve(RESULT));
  });
}

const t0 = performance.now();
const out = await (side === "deferkit" ? deferkit() : side === "floor" ? floor() : promise());
const ms = performance.now() - t0;
if (out !== RESULT) throw new Error(`S6r ${side} at depth ${n} gave ${String(out)}`);
console.log(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024 }));
