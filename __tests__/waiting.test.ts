// describeWaiting(): why a Deferred is still pending, followed down to what would fire it.
import {
  Clock,
  Deferred,
  DeferredList,
  DeferredLock,
  DeferredQueue,
  DeferredSemaphore,
  deferLater,
  ensureDeferred,
  type IClock,
  gatherResults,
  inlineCallbacks,
  race,
  setDebugging,
  succeed,
  type Coroutine,
} from "../src/index.js";
import { assertNoResult, describeWaiting, failureResultOf, successResultOf, type Waiting } from "../src/testing.js";
import { PROMISE_WAIT } from "../src/internal/waits.js";
import { secondCopy, waitingOnEachOther } from "./helpers.js";

const foreign = secondCopy();

/** The kinds along the first branch of `w`, from the top. */
function kinds(w: Waiting): string[] {
  const out: string[] = [];
  for (let node: Waiting | undefined = w; node !== undefined; node = node.on[0]) out.push(node.kind);
  return out;
}

/** A Deferred whose chain waits on `inner` (its one step returned it). */
function waitingOn<T>(inner: Deferred<T>): Deferred<T> {
  return succeed(0).addCallback(() => inner);
}

/** A Deferred whose step returns `step()`'s Deferred, with one more step after it: so the cycle check walks. */
function withLaterStep<T>(step: () => Deferred<T>): Deferred<T> {
  const d = new Deferred<number>();
  const out = d.addCallback(step).addCallback((v) => v);
  d.callback(0);
  return out;
}

describe("describeWaiting(): a Deferred's own state", () => {
  it("says who must fire a Deferred nothing in deferkit fires", () => {
    const d = new Deferred<number>();
    const w = describeWaiting(d);
    expect(w).toMatchObject({ kind: "pending", deferred: d, on: [] });
    expect(String(w)).toBe(
      "Deferred<pending>: nothing in deferkit fires it; the code that made it must call callback() or errback()",
    );
  });

  it("tells a Deferred with a canceller from one without", () => {
    expect(describeWaiting(new Deferred(() => undefined)).kind).toBe("canceller");
  });

  it("says a fired Deferred has its result, and a paused one how many unpauses it needs", () => {
    expect(describeWaiting(succeed(1)).kind).toBe("fired");
    const d = succeed(1);
    d.pause();
    d.pause();
    expect(String(describeWaiting(d))).toBe("Deferred<paused, current result: 1>: pause() holds it (2 unpause() calls to go)");
    d.unpause();
    expect(describeWaiting(d).description).toContain("(1 unpause() call to go)");
  });

  it("says a Deferred is running when asked from inside its own step", () => {
    const d = new Deferred<number>();
    let seen: Waiting | undefined;
    d.addCallback(() => void (seen = describeWaiting(d)));
    d.callback(1);
    expect(seen?.kind).toBe("running");
  });

  it("names a Deferred made from a Promise that has not settled", () => {
    const d = Deferred.fromPromise(new Promise<number>(() => undefined));
    expect(describeWaiting(d).kind).toBe("promise");
    expect(describeWaiting(waitingOn(d)).on[0]?.description).toBe(
      "Deferred<pending, 1 step waiting>: waits on a Promise (or thenable) to settle",
    );
  });

  it("cannot read another copy's Deferred, and says so", () => {
    const d = new foreign.Deferred<number>();
    expect(describeWaiting(d as unknown as Deferred<number>).kind).toBe("foreign");
  });
});

describe("describeWaiting(): what each description says", () => {
  it("says in words what each kind of node is", () => {
    expect(describeWaiting(succeed(1)).description).toBe("Deferred<called: 1>: has its result");
    expect(describeWaiting(new Deferred(() => undefined)).description).toBe(
      "Deferred<pending>: made with a canceller; the code that made it fires it",
    );
    const d = new Deferred<number>();
    let running = "";
    d.addCallback(() => void (running = describeWaiting(d).description));
    d.callback(1);
    expect(running).toMatch(/^Deferred<.*>: a step of it is running$/);
    const other = new foreign.Deferred<number>();
    expect(describeWaiting(other as unknown as Deferred<number>).description).toBe(
      `${String(other)}: a Deferred of another copy of deferkit, whose waits this copy cannot read`,
    );
    const deep = waitingOn(waitingOn(new Deferred<number>()));
    expect(describeWaiting(deep, { maxDepth: 1 }).on[0]!.on[0]!.description).toMatch(/: and more \(maxDepth reached\)$/);
  });

  it("draws a node's inputs as a tree, every one but the last with a branch", () => {
    const g = gatherResults([new Deferred<number>(), new Deferred<number>(), succeed(3)]);
    expect(String(describeWaiting(g))).toBe(
      [
        "gatherResults: 2 of 3 inputs pending (#0, #1)",
        "├─ Deferred<pending, 1 step waiting>: nothing in deferkit fires it; the code that made it must call callback() or errback()",
        "└─ Deferred<pending, 1 step waiting>: nothing in deferkit fires it; the code that made it must call callback() or errback()",
      ].join("\n"),
    );
  });

  it("indents a last input's own inputs with blanks, another's with a bar", () => {
    const d = () => new Deferred<number>();
    const g = gatherResults([gatherResults([d()]), gatherResults([d()])]);
    const leaf = "Deferred<pending, 1 step waiting>: nothing in deferkit fires it; the code that made it must call callback() or errback()";
    expect(String(describeWaiting(g))).toBe(
      [
        "gatherResults: 2 of 2 inputs pending (#0, #1)",
        "├─ gatherResults: 1 of 1 inputs pending (#0)",
        `│  └─ ${leaf}`,
        "└─ gatherResults: 1 of 1 inputs pending (#0)",
        `   └─ ${leaf}`,
      ].join("\n"),
    );
  });

  it("is not fooled by two inputs waiting on one Deferred: no cycle there", () => {
    const shared = new Deferred<number>();
    const g = gatherResults([waitingOn(shared), waitingOn(shared)]);
    const w = describeWaiting(g);
    expect(w.on.map((input) => kinds(input))).toEqual([
      ["waiting", "pending"],
      ["waiting", "pending"],
    ]);
  });
});

describe("describeWaiting(): following the chain", () => {
  it("follows the Deferred a step returned, level by level", () => {
    const innermost = new Deferred<number>();
    const d = waitingOn(waitingOn(innermost));
    const w = describeWaiting(d);
    expect(kinds(w)).toEqual(["waiting", "waiting", "pending"]);
    expect(w.on[0]!.on[0]!.deferred).toBe(innermost);
    expect(String(w)).toBe(
      [
        "Deferred<waiting on another Deferred>: waits on the Deferred a step returned",
        "└─ Deferred<waiting on another Deferred, 1 step waiting>: waits on the Deferred a step returned",
        "   └─ Deferred<pending, 1 step waiting>: nothing in deferkit fires it; the code that made it must call callback() or errback()",
      ].join("\n"),
    );
  });

  it("lists the pending inputs of a gatherResults, a DeferredList and a race, by index", () => {
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const g = gatherResults([a, succeed(2), b]);
    const w = describeWaiting(g);
    expect(w.kind).toBe("combinator");
    expect(w.description).toBe("gatherResults: 2 of 3 inputs pending (#0, #2)");
    expect(w.on.map((x) => x.deferred)).toEqual([a, b]);
    expect(String(w)).toBe(
      [
        "gatherResults: 2 of 3 inputs pending (#0, #2)",
        "├─ Deferred<pending, 1 step waiting>: nothing in deferkit fires it; the code that made it must call callback() or errback()",
        "└─ Deferred<pending, 1 step waiting>: nothing in deferkit fires it; the code that made it must call callback() or errback()",
      ].join("\n"),
    );
    expect(describeWaiting(new DeferredList([succeed(1), b])).description).toBe("DeferredList: 1 of 2 inputs pending (#1)");
    expect(describeWaiting(race([new Deferred(), new Deferred()])).description).toBe("race: 2 of 2 inputs pending (#0, #1)");
    a.callback(1);
    expect(describeWaiting(g).description).toBe("gatherResults: 1 of 3 inputs pending (#2)");
  });

  it("counts an input that waits on another Deferred as pending", () => {
    const inner = new Deferred<number>();
    const g = gatherResults([waitingOn(inner)]);
    expect(kinds(describeWaiting(g))).toEqual(["combinator", "waiting", "pending"]);
  });

  it("says how many wait ahead of a lock, semaphore or queue waiter", () => {
    const lock = new DeferredLock();
    lock.acquire();
    lock.acquire();
    const third = lock.acquire();
    expect(describeWaiting(third)).toMatchObject({ kind: "lock", description: "DeferredLock#acquire(): the lock is held, 1 waiter ahead" });
    const sem = new DeferredSemaphore(2);
    sem.acquire();
    sem.acquire();
    expect(describeWaiting(sem.acquire()).description).toBe("DeferredSemaphore#acquire(): all 2 tokens are held, 0 waiters ahead");
    const queue = new DeferredQueue<number>();
    queue.get();
    queue.get();
    expect(describeWaiting(queue.get())).toMatchObject({ kind: "queue", description: "DeferredQueue#get(): the queue is empty, 2 waiters ahead" });
  });

  it("moves a waiter up the line as those ahead are served or cancelled", () => {
    const lock = new DeferredLock();
    lock.acquire();
    const second = lock.acquire();
    const third = lock.acquire();
    expect(describeWaiting(third).description).toContain("1 waiter ahead");
    second.cancel();
    expect(describeWaiting(third).description).toContain("0 waiters ahead");
  });

  it("shows where the lock was taken, with debugging on", () => {
    setDebugging(true);
    try {
      const lock = new DeferredLock();
      const here = new Error().stack!.split("\n")[1]!.trim().slice("at ".length).split(" (")[0]!;
      lock.acquire(); // taken here
      const waiter = lock.acquire();
      expect(describeWaiting(waiter).description).toContain(`; taken at ${here} (`); // the frame's function, as V8 names it
      // One frame, on one line, without V8's "at ".
      expect(describeWaiting(waiter).description).toMatch(/^DeferredLock#acquire\(\): the lock is held, 0 waiters ahead; taken at (?!at )\S[^\n]*waiting\.test\.ts:\d+:\d+\)?$/);
      lock.release(); // hands it to `waiter`, whose acquire() is where it is now taken
      const next = lock.acquire();
      expect(describeWaiting(next).description).toMatch(/taken at .*waiting\.test\.ts/);
    } finally {
      setDebugging(false);
    }
  });

  it("says when a deferLater is due on its clock", () => {
    const clock = new Clock();
    const d = deferLater(clock, 250, () => "done");
    // The Deferred returned is the timer's chain: its first step calls the function.
    expect(kinds(describeWaiting(waitingOn(d)))).toEqual(["waiting", "timer"]);
    clock.advance(100);
    expect(describeWaiting(d).description).toBe("deferLater: due in 150 ms on its clock");
  });

  it("says a deferLater is due, without a time, once its clock call has run but not yet fired it", () => {
    // A clock that runs its calls a turn late (its own queue here): the call is done, the
    // Deferred not yet fired.
    const clock = new Clock();
    const late: (() => unknown)[] = [];
    const lateClock: IClock = {
      callLater: (ms, fn, ...args) => clock.callLater(ms, () => late.push(() => fn(...args))),
      now: () => clock.now(),
    };
    const d = deferLater(lateClock, 5, () => "done");
    clock.advance(5);
    expect(describeWaiting(d).description).toBe("deferLater: due on its clock");
    for (const run of late) run();
    expect(successResultOf(d)).toBe("done");
  });

  it("says a coroutine asked from inside its own generator is running, and waits on nothing", () => {
    const gate = new Deferred<number>();
    let seen: Waiting | undefined;
    const self: Deferred<number> = inlineCallbacks(function* busy(): Coroutine<number> {
      yield gate;
      seen = describeWaiting(self); // resumed after the assignment
      return 1;
    })();
    gate.callback(0);
    expect([seen?.kind, seen?.description, seen?.on]).toEqual(["coroutine", "inlineCallbacks, generator busy: running", []]);
    expect(successResultOf(self)).toBe(1);
  });

  it("names a coroutine's generator and the yield it waits at", () => {
    const inner = new Deferred<number>();
    const fetchAll = inlineCallbacks(function* fetchAll(): Coroutine<number> {
      yield succeed(1);
      return (yield inner) as number;
    });
    const w = describeWaiting(fetchAll());
    expect(w.kind).toBe("coroutine");
    expect(w.description).toBe("inlineCallbacks, generator fetchAll: at yield #2");
    expect(w.on[0]?.deferred).toBe(inner);
    function* anonymousBody(): Coroutine<number> {
      return (yield inner) as number;
    }
    expect(describeWaiting(ensureDeferred(anonymousBody())).description).toBe("inlineCallbacks, an anonymous generator: at yield #1");
  });

  it("says a coroutine that returned a pending Deferred waits on it", () => {
    const inner = new Deferred<number>();
    const d = inlineCallbacks(function* last(): Coroutine<Deferred<number>> {
      yield succeed(0);
      return inner;
    })();
    const w = describeWaiting(d);
    expect(w.description).toBe("inlineCallbacks, generator last: returning the Deferred below");
    expect(w.on[0]?.deferred).toBe(inner);
  });
});

describe("describeWaiting(): cycles and depth", () => {
  it("marks a chain that waits on itself through another Deferred as a cycle", () => {
    const { a } = waitingOnEachOther();
    const w = describeWaiting(a);
    expect(kinds(w)).toEqual(["waiting", "waiting", "cycle"]);
    expect(w.on[0]!.on[0]!.deferred).toBe(a);
    expect(w.on[0]!.on[0]!.description).toContain("a cycle: it waits on itself");
  });

  it("finds a cycle through a combinator's inputs", () => {
    const a = new Deferred<number[]>();
    let g = new Deferred<number[][]>();
    a.addCallback(() => g);
    g = gatherResults([a]);
    a.callback([]); // a's step returns g, whose input is a
    expect(kinds(describeWaiting(g))).toEqual(["combinator", "waiting", "cycle"]);
  });

  it("stops at maxDepth with a 'more' entry, also a million levels down", () => {
    let d = new Deferred<number>();
    for (let i = 0; i < 1_000_000; i++) d = waitingOn(d);
    const w = describeWaiting(d);
    const k = kinds(w);
    expect(k).toHaveLength(52);
    expect(k[51]).toBe("more");
    expect(kinds(describeWaiting(d, { maxDepth: 2 }))).toEqual(["waiting", "waiting", "waiting", "more"]);
    expect(kinds(describeWaiting(d, { maxDepth: 0 }))).toEqual(["waiting", "more"]);
  });
});

describe("describeWaiting(): looks without touching", () => {
  it("changes neither the chain nor its order", () => {
    const inner = new Deferred<number>();
    const d = waitingOn(inner);
    const seen: number[] = [];
    d.addCallback((n) => void seen.push(n));
    describeWaiting(d);
    String(describeWaiting(gatherResults([d])));
    inner.callback(7);
    expect(seen).toEqual([7]);
  });

  it("throws a TypeError naming a bad argument", () => {
    expect(() => describeWaiting(null as unknown as Deferred<number>)).toThrow(
      new TypeError("Expected `deferred` to be a Deferred, got `null` (null)"),
    );
    expect(() => describeWaiting(new Deferred(), { maxDepth: -1 })).toThrow(RangeError);
    expect(() => describeWaiting(new Deferred(), { maxDepth: 1.5 })).toThrow("options.maxDepth");
    expect(() => describeWaiting(new Deferred(), 3 as never)).toThrow(TypeError);
  });
});

describe("a cycle closed while debugging", () => {
  beforeEach(() => setDebugging(true));
  afterEach(() => setDebugging(false));

  it("fails the chain whose step closes it, instead of leaving both pending forever", () => {
    const { a, b } = waitingOnEachOther(); // a's step returning b closes it: a's chain fails there
    // a's failure goes on to b, which waited on a: both fired, the failure reaches one end.
    expect(successResultOf(a)).toBeUndefined();
    expect(failureResultOf(b, TypeError).getErrorMessage()).toBe(
      "A step returned a Deferred that waits on this one (through 1 other Deferred): the chain would wait for itself forever",
    );
  });

  it("walks an older cycle, formed while debugging was off, once: a step returning a member of it waits, no error", () => {
    setDebugging(false);
    const { a } = waitingOnEachOther(); // a and b wait on each other for ever
    setDebugging(true);
    const c = withLaterStep(() => a); // c waits on the cycle, which does not wait on c
    expect(describeWaiting(c).on.map((w) => w.kind)).toEqual(["waiting"]);
    assertNoResult(c);
  });

  it("finds a cycle through a combinator's inputs", () => {
    const a = new Deferred<number[]>();
    let g = new Deferred<number[][]>();
    a.addCallback(() => g);
    g = gatherResults([a]);
    a.callback([]);
    expect(failureResultOf(a, TypeError).getErrorMessage()).toContain("through 1 other Deferred");
    failureResultOf(g);
  });

  it("finds a cycle through a coroutine waiting at a yield", () => {
    const gate = new Deferred<number>();
    let self: Deferred<unknown> = new Deferred();
    const waitsOnSelf = succeed(0)
      .addCallback(() => gate)
      .addCallback(() => self);
    self = inlineCallbacks(function* loop(): Coroutine<unknown> {
      return yield waitsOnSelf;
    })();
    gate.callback(1); // waitsOnSelf's next step returns the coroutine's Deferred, which waits on it
    // The failure goes to the coroutine (thrown at its yield), which took waitsOnSelf's result.
    expect(failureResultOf(self, TypeError).getErrorMessage()).toContain("would wait for itself forever");
    expect(successResultOf(waitsOnSelf)).toBeUndefined();
  });

  it("throws at a coroutine's yield of a Deferred that already waits on the coroutine", () => {
    const gate = new Deferred<number>();
    let self: Deferred<unknown> = new Deferred();
    const waitsOnSelf = new Deferred<number>();
    const caught: string[] = [];
    self = inlineCallbacks(function* loop(): Coroutine<string> {
      yield gate; // by the time it resumes, waitsOnSelf waits on the coroutine
      try {
        yield waitsOnSelf;
      } catch (e) {
        caught.push((e as Error).message);
      }
      return "went on";
    })();
    waitsOnSelf.addCallback(() => self);
    waitsOnSelf.callback(0);
    gate.callback(1);
    expect(caught).toEqual([expect.stringContaining("through 1 other Deferred")]);
    // The coroutine went on and returned; its result went on to waitsOnSelf, which waited on it.
    expect(successResultOf(waitsOnSelf)).toBe("went on");
    expect(successResultOf(self)).toBeUndefined();
  });

  it("counts the other Deferreds of a longer cycle in its message", () => {
    // a's step returns b, b's returns c, and c's would return a: c's chain closes the cycle
    // through b and a, two other Deferreds.
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const c = new Deferred<number>();
    a.addCallback(() => b);
    b.addCallback(() => c);
    c.addCallback(() => a);
    a.callback(1);
    b.callback(2);
    c.callback(3);
    expect(failureResultOf(a, TypeError).getErrorMessage()).toBe(
      "A step returned a Deferred that waits on this one (through 2 other Deferreds): the chain would wait for itself forever",
    );
  });

  it("walks past a Deferred with a canceller, a timer, a lock and a fired Deferred without finding a cycle", () => {
    const clock = new Clock();
    const lock = new DeferredLock();
    lock.acquire(); // held: the next acquire waits in its line
    const withCanceller = new Deferred<number>(() => {});
    const waiting = gatherResults([withCanceller, deferLater(clock, 5), lock.acquire(), succeed(1)]);
    const d = withLaterStep(() => waiting);
    expect(describeWaiting(d).kind).toBe("waiting"); // no TypeError: nothing here waits on d
    withCanceller.callback(2);
    clock.advance(5);
    lock.release();
    expect(successResultOf(d)).toEqual([2, undefined, lock, 1]);
  });

  it("walks nothing while a chain is built from the innermost Deferred out, however deep", () => {
    // Each level's step returns the pending chain below it, and the level has no other step:
    // nothing waits on it, so no cycle can close through it. A walk at every level would visit
    // every level below (quadratic: a million levels never finished). The innermost Deferred
    // is fed by a Promise, whose wait a walk asks what it waits on: count those questions.
    const asked = jest.spyOn(PROMISE_WAIT, "_waitsOn");
    try {
      const bottom = Deferred.fromPromise(new Promise<number>(() => undefined));
      let d = bottom;
      for (let i = 0; i < 2_000; i++) d = waitingOn(d);
      // Levels whose last step (held in an array behind the first) returns the chain below.
      for (let i = 0; i < 100; i++) {
        const below = d;
        const level = new Deferred<number>();
        level.addCallback((v) => v).addCallback(() => below);
        level.callback(0);
        d = level;
      }
      expect(asked).not.toHaveBeenCalled();
      // The same levels with a step after the one returning the chain are walked, each down to
      // the bottom: the spy does see walks.
      let e = bottom;
      for (let i = 0; i < 10; i++) {
        const below = e;
        e = withLaterStep(() => below);
      }
      expect(asked).toHaveBeenCalledTimes(10);
      assertNoResult(d);
    } finally {
      asked.mockRestore();
    }
  });

  it("still walks from a level that has steps after the one returning the chain", () => {
    // The same cycle as above, closed by a Deferred with a step still to come: found.
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    a.addCallback(() => b).addCallback((v) => v);
    b.addCallback(() => a);
    b.callback(1);
    a.callback(1);
    expect(failureResultOf(b, TypeError).getErrorMessage()).toContain("through 1 other Deferred");
  });

  it("walks past a coroutine that is running: it waits on nothing while its generator runs", () => {
    const gate = new Deferred<number>();
    let waiter: Deferred<unknown> | undefined;
    const self: Deferred<number> = inlineCallbacks(function* busy(): Coroutine<number> {
      yield gate;
      waiter = withLaterStep(() => self); // walked from the coroutine's Deferred: no cycle
      return 1;
    })();
    gate.callback(0);
    expect(successResultOf(waiter!)).toBe(1); // the coroutine's result went on to its waiter
    expect(successResultOf(self)).toBeUndefined();
  });

  it("leaves a chain that only looks like a cycle alone", () => {
    const shared = new Deferred<number>();
    const a = succeed(0).addCallback(() => shared);
    const b = succeed(0).addCallback(() => gatherResults([a, shared]));
    shared.callback(5);
    expect(successResultOf(a)).toBe(5);
    expect(successResultOf(b)).toEqual([5, undefined]);
  });
});

describe("a cycle closed with debugging off", () => {
  it("is not checked (it costs a walk per wait): both stay pending, and describeWaiting shows it", () => {
    const { a } = waitingOnEachOther();
    expect(kinds(describeWaiting(a))).toEqual(["waiting", "waiting", "cycle"]);
  });
});
