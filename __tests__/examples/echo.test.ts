// examples/echo.ts over loopback: one server on 127.0.0.1 (a free port), at most two clients,
// every wait bounded by addTimeout, everything closed at the end of each test.
import { CancelledError, Clock, TimeoutError, gatherResults, type Deferred } from "deferkit";
import { connectEcho, listenEcho, main, type EchoClient, type EchoServer } from "../../examples/echo";

const LIMIT = 3000; // ms: no wait in these tests may take longer

function within<T>(d: Deferred<T>): Promise<T> {
  return d.addTimeout(LIMIT).asPromise();
}

describe("examples/echo", () => {
  let server: EchoServer;
  let client: EchoClient;
  const clock = new Clock(); // times the server's SLOW requests: nothing waits on real time

  beforeEach(async () => {
    server = await within(listenEcho(0, clock));
    client = await within(connectEcho(server.port));
  });
  afterEach(async () => {
    client.close();
    await within(server.close());
  });

  it("echoes several requests in flight at once, each reply to its own request", async () => {
    const words = ["a", "b b", "c", "d", "e"];
    expect(await within(gatherResults(words.map((w) => client.send(w))))).toEqual(words);
    expect(server.stats.served).toBe(5);
  });

  it("a cancelled slow request tells the server, which cancels its wait; later replies stay in order", async () => {
    const slow = client.send("slow", 60_000);
    const after = client.send("after");
    slow.cancel();
    await expect(slow.asPromise()).rejects.toBeInstanceOf(CancelledError);
    expect(await within(after)).toBe("after");
    expect(server.stats.cancelled).toBe(1);
    expect(clock.getDelayedCalls()).toEqual([]); // the server's deferLater was cancelled
  });

  it("a request over its timeout fails with TimeoutError and is withdrawn at the server", async () => {
    const late = client.send("late", 60_000).addTimeout(20); // real time, 20 ms
    await expect(late.asPromise()).rejects.toBeInstanceOf(TimeoutError);
    expect(await within(client.send("next"))).toBe("next");
    expect(server.stats.cancelled).toBe(1);
  });

  it("a SLOW request is answered when the server's clock reaches its time", async () => {
    const slow = client.send("patience", 1000);
    const next = client.send("queued behind it");
    // Wait (bounded) until both requests reached the server, then move its clock.
    for (let i = 0; i < 300 && server.stats.received < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.stats.received).toBe(2);
    clock.advance(999);
    expect(slow.called).toBe(false);
    clock.advance(1);
    expect(await within(gatherResults([slow, next]))).toEqual(["patience", "queued behind it"]);
  });
});

describe("examples/echo main()", () => {
  it("runs the scripted demo and finishes by itself", async () => {
    const lines: string[] = [];
    await main([], (line) => lines.push(line)).addTimeout(10_000).asPromise();
    expect(lines).toEqual([
      expect.stringMatching(/^server on 127\.0\.0\.1:\d+$/),
      "gathered: hello deferred world",
      "slow request: cancelled",
      "late request: failed with TimeoutError",
      "after: still in order",
      "server: 4 served, 2 cancelled",
    ]);
  });
});
