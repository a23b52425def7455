import { Deferred, FirstError, needs, nextMacrotask, optional } from "./lib.js";

// A realistic flow in the style of Bluebird's doxbee benchmarks: UPLOADS concurrent fake
// "uploads" over a fake I/O queue. Every upload is started first; then the queue is drained in
// passes, each from a fresh macrotask (so that Promise continuations of the pass before have run
// and issued their ops): each I/O op is completed (callback/errback of its Deferred,
// resolve/reject of its Promise) in the order it was issued, and ops issued during a pass are
// completed in that same pass. About 10% of the ops
// fail (a fresh IOError, chosen by a hash of upload and step, so the same ops fail on every
// side); the flow handles it with a rollback op and a negative result. The result of a run is
// the sum of the uploads' results and how many succeeded; every column must agree on it.
const UPLOADS = 10_000;

class IOError extends Error {
  constructor(code) {
    super("I/O failed");
    this.code = code;
  }
}

const ROLLBACK = 8;
function fails(id, kind) {
  if (kind === ROLLBACK) return false;
  let h = Math.imul(id + 1, 0x9e3779b1) ^ Math.imul(kind, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 13;
  return (h >>> 0) % 10 === 0;
}
// What op `kind` of upload `id` gives: the blob id, the existing file (or null), counters.
function valueOf(id, kind) {
  if (kind === 2) return id % 3 === 0 ? null : { version: id % 17 };
  return (id * 31 + kind * 7) % 1009;
}
const versionHash = (blobId, file) => (blobId * 13 + (file === null ? 1 : file.version)) % 997;

class Op {
  constructor(target, reject, id, kind) {
    this.target = target; // the Deferred, or the promise's resolve
    this.reject = reject;
    this.id = id;
    this.kind = kind;
  }
}

/** The fake I/O queue of one run. `op(id, kind)` issues an op, `drain()` completes them all. */
class FakeIO {
  constructor(deferred) {
    this.items = [];
    this.head = 0;
    this.deferred = deferred;
  }
  deferredOp(id, kind) {
    const d = new Deferred();
    this.items.push(new Op(d, null, id, kind));
    return d;
  }
  promiseOp(id, kind) {
    return new Promise((resolve, reject) => {
      this.items.push(new Op(resolve, reject, id, kind));
    });
  }
  complete(op) {
    const failed = fails(op.id, op.kind);
    if (this.deferred) {
      if (failed) op.target.errback(new IOError(op.kind));
      else op.target.callback(valueOf(op.id, op.kind));
    } else if (failed) op.reject(new IOError(op.kind));
    else op.target(valueOf(op.id, op.kind));
  }
  async drain() {
    const items = this.items;
    for (;;) {
      // Each pass starts from the event loop, as real I/O completions do, after every
      // continuation of the previous pass has run. (Starting the first pass on the caller's stack
      // made deferkit's `new IOError` dearer than the Promise side's: V8 captures up to 10 stack
      // frames, and deferkit, running synchronously, did all its work in that first pass.)
      await nextMacrotask();
      if (this.head >= items.length) return;
      while (this.head < items.length) {
        const op = items[this.head];
        items[this.head++] = undefined;
        this.complete(op);
      }
    }
  }
}

// ---- S9a: sequential, each step depends on the one before ----

// Deferred style: one flat addCallback chain, each step returning the next op's Deferred.
function uploadDeferred(io, id) {
  let blobId, file, version;
  return io
    .deferredOp(id, 1) // put the blob
    .addCallback((b) => {
      blobId = b;
      return io.deferredOp(id, 2); // look the file up
    })
    .addCallback((f) => {
      file = f;
      version = versionHash(blobId, file);
      return io.deferredOp(id, 3); // insert the version
    })
    .addCallback(() => io.deferredOp(id, file === null ? 4 : 5)) // insert or update the file
    .addCallback(() => io.deferredOp(id, 6)) // insert the file version
    .addCallback(() => io.deferredOp(id, 7)) // commit
    .addCallbacks(
      (c) => c + version,
      (f) => io.deferredOp(id, ROLLBACK).addCallback(() => -f.value.code),
    );
}

async function uploadAsync(io, id) {
  try {
    const blobId = await io.promiseOp(id, 1);
    const file = await io.promiseOp(id, 2);
    const version = versionHash(blobId, file);
    await io.promiseOp(id, 3);
    await io.promiseOp(id, file === null ? 4 : 5);
    await io.promiseOp(id, 6);
    return (await io.promiseOp(id, 7)) + version;
  } catch (e) {
    await io.promiseOp(id, ROLLBACK);
    return -e.code;
  }
}

function uploadThen(io, id) {
  let blobId, file, version;
  return io
    .promiseOp(id, 1)
    .then((b) => {
      blobId = b;
      return io.promiseOp(id, 2);
    })
    .then((f) => {
      file = f;
      version = versionHash(blobId, file);
      return io.promiseOp(id, 3);
    })
    .then(() => io.promiseOp(id, file === null ? 4 : 5))
    .then(() => io.promiseOp(id, 6))
    .then(() => io.promiseOp(id, 7))
    .then(
      (c) => c + version,
      (e) => io.promiseOp(id, ROLLBACK).then(() => -e.code),
    );
}

// ---- S9b: the same with independent steps in parallel ----

const codeOf = (err) => (err instanceof FirstError ? err.subFailure.value.code : err.code);

function uploadDeferredParallel(io, id, gatherResults) {
  let version;
  return gatherResults([io.deferredOp(id, 1), io.deferredOp(id, 2)], true)
    .addCallback(([blobId, file]) => {
      version = versionHash(blobId, file);
      return gatherResults(
        [io.deferredOp(id, 3), io.deferredOp(id, file === null ? 4 : 5), io.deferredOp(id, 6)],
        true,
      );
    })
    .addCallback(() => io.deferredOp(id, 7))
    .addCallbacks(
      (c) => c + version,
      (f) => io.deferredOp(id, ROLLBACK).addCallback(() => -codeOf(f.value)),
    );
}

async function uploadAsyncParallel(io, id) {
  try {
    const [blobId, file] = await Promise.all([io.promiseOp(id, 1), io.promiseOp(id, 2)]);
    const version = versionHash(blobId, file);
    await Promise.all([io.promiseOp(id, 3), io.promiseOp(id, file === null ? 4 : 5), io.promiseOp(id, 6)]);
    return (await io.promiseOp(id, 7)) + version;
  } catch (e) {
    await io.promiseOp(id, ROLLBACK);
    return -e.code;
  }
}

function uploadThenParallel(io, id) {
  let version;
  return Promise.all([io.promiseOp(id, 1), io.promiseOp(id, 2)])
    .then(([blobId, file]) => {
      version = versionHash(blobId, file);
      return Promise.all([io.promiseOp(id, 3), io.promiseOp(id, file === null ? 4 : 5), io.promiseOp(id, 6)]);
    })
    .then(() => io.promiseOp(id, 7))
    .then(
      (c) => c + version,
      (e) => io.promiseOp(id, ROLLBACK).then(() => -e.code),
    );
}

// ---- running them ----

/** Starts every upload, drains the I/O, and gives [sum of results, uploads that succeeded]. */
function deferredRun(upload) {
  return async () => {
    const io = new FakeIO(true);
    let sum = 0;
    let ok = 0;
    let done = 0;
    const collect = (r) => {
      sum += r;
      if (r >= 0) ok++;
      done++;
    };
    for (let id = 0; id < UPLOADS; id++) upload(io, id).addCallback(collect);
    await io.drain();
    if (done !== UPLOADS) throw new Error(`only ${done} of ${UPLOADS} uploads finished`);
    return [sum, ok];
  };
}

function promiseRun(upload) {
  return async () => {
    const io = new FakeIO(false);
    let sum = 0;
    let ok = 0;
    let done = 0;
    const collect = (r) => {
      sum += r;
      if (r >= 0) ok++;
      done++;
    };
    for (let id = 0; id < UPLOADS; id++) upload(io, id).then(collect);
    await io.drain();
    if (done !== UPLOADS) throw new Error(`only ${done} of ${UPLOADS} uploads finished`);
    return [sum, ok];
  };
}

async function check(cases, label) {
  const seen = {};
  for (const [name, run] of Object.entries(cases)) seen[name] = JSON.stringify(await run());
  const values = new Set(Object.values(seen));
  if (values.size !== 1) throw new Error(`${label} results differ: ${JSON.stringify(seen)}`);
  const [, ok] = JSON.parse(seen.promise);
  // Sanity: failures happen, and most uploads still succeed.
  if (!(ok > UPLOADS * 0.3 && ok < UPLOADS * 0.9)) throw new Error(`${label}: ${ok} of ${UPLOADS} uploads succeeded`);
}

const common = {
  target: 0.8,
  batch: UPLOADS,
  // One op of tinybench is a whole run (tens of milliseconds): a few samples per round suffice.
  iterations: 2,
  warmupIterations: 1,
};

export default [
  {
    ...common,
    id: "S9a",
    title: "doxbee-style uploads, sequential",
    description: `${UPLOADS.toLocaleString("en-US")} concurrent uploads of 7 dependent steps (6 I/O ops over a fake I/O queue, one computed); about 10% of I/O ops fail with a fresh Error (so about half of the uploads), handled by a rollback op and a negative result: a flat addCallback chain whose steps return Deferreds vs an async function with await and try/catch; column \`then-chain\`: the Deferred-style chain written with Promise then; one op = one upload`,
    cases: () => ({
      deferkit: deferredRun(uploadDeferred),
      promise: promiseRun(uploadAsync),
      "then-chain": promiseRun(uploadThen),
    }),
    check: (cases) => check(cases, "S9a"),
  },
  {
    ...common,
    id: "S9b",
    title: "doxbee-style uploads, parallel steps",
    description:
      "as S9a, with the blob put and the file lookup in parallel, then the three inserts in parallel: gatherResults(ds, consumeErrors) vs Promise.all, then the commit",
    unavailable: needs("gatherResults"),
    cases: () => {
      const gatherResults = optional("gatherResults");
      return {
        deferkit: deferredRun((io, id) => uploadDeferredParallel(io, id, gatherResults)),
        promise: promiseRun(uploadAsyncParallel),
        "then-chain": promiseRun(uploadThenParallel),
      };
    },
    check: (cases) => check(cases, "S9b"),
  },
];
