#!/usr/bin/env node
// Runs conformance programs (JSON, from gen.mjs) on deferkit's build (dist/) and prints one
// trace per program (JSON lines), in the same shape as on_twisted.py does on Twisted.
import { readFileSync } from "node:fs";
import { Deferred, DeferredList, Failure, FirstError, gatherResults } from "../../dist/index.js";

class E1 extends Error {}
class E2 extends Error {}
const ERRORS = { E1, E2 };
// Twisted's names for what deferkit throws in the same place.
const NAMES = { Error: "Exception" };

function run(program) {
  const ds = [];
  const trace = [];
  // Which deliberate differences from Twisted (README) this program runs into: not part of
  // the trace, so compare.mjs can say why a program diverged.
  const notes = new Set();
  const combinators = new Set();
  const show = (x) => {
    if (x instanceof Failure) {
      const v = x.value;
      if (v instanceof FirstError) return `F:FirstError#${v.index}(${show(v.subFailure)})`;
      return `F:${v?.constructor === E1 ? "E1" : v?.constructor === E2 ? "E2" : v?.name}`;
    }
    if (x instanceof Deferred) return `D${ds.indexOf(x)}`;
    if (Array.isArray(x)) return x.map(show);
    return x === undefined ? null : x;
  };
  const makeStep = (sid, kind) => (r) => {
    trace.push(["step", sid, show(r)]);
    switch (kind[0]) {
      case "value":
        return kind[1];
      case "same":
        return r;
      case "raise":
        throw new ERRORS[kind[1]]();
      case "failure":
        return new Failure(new ERRORS[kind[1]]());
      case "deferred":
        return ds[kind[1]];
    }
    throw new Error(`unknown step ${kind}`);
  };
  program.forEach((op, n) => {
    try {
      switch (op[0]) {
        case "new": {
          const i = ds.length;
          ds.push(op[1] ? new Deferred(() => void trace.push(["canceller", i])) : new Deferred());
          break;
        }
        case "callback":
          ds[op[1]].callback(op[2]);
          break;
        case "errback":
          ds[op[1]].errback(new ERRORS[op[2]]());
          break;
        case "addCallback":
        case "addErrback":
        case "addBoth":
          ds[op[1]][op[0]](makeStep(n, op[2]));
          break;
        case "pause":
          // A chain paused while it waits: the result may later be handed to a paused waiter.
          if (ds[op[1]]._result instanceof Deferred) notes.add("paused waiter");
          ds[op[1]].pause();
          break;
        case "unpause":
          ds[op[1]].unpause();
          break;
        case "cancel":
          if (combinators.has(op[1]) && ds[op[1]].called) notes.add("cancel of a fired combinator");
          ds[op[1]].cancel();
          break;
        case "chainDeferred":
          ds[op[1]].chainDeferred(ds[op[2]]);
          break;
        case "DeferredList":
          combinators.add(ds.length);
          ds.push(new DeferredList(op[1].map((j) => ds[j]), { fireOnOneCallback: op[2], fireOnOneErrback: op[3], consumeErrors: op[4] }));
          break;
        case "gatherResults":
          combinators.add(ds.length);
          ds.push(gatherResults(op[1].map((j) => ds[j]), op[2]));
          break;
        default:
          throw new Error(`unknown op ${op[0]}`);
      }
    } catch (e) {
      trace.push(["op", n, "threw", NAMES[e?.name] ?? e?.name]);
    }
  });
  const end = ds.map((d) => [d.called, d.paused, d.called ? show(d._result) : "none"]);
  for (const d of ds) if (d._result instanceof Failure) d._result._observed = true; // no reports
  return { result: { trace, end }, notes: [...notes] };
}

const programs = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const p of programs) {
  const { result, notes } = run(p);
  console.log(`${JSON.stringify(result)}\t${notes.join(",")}`);
}
