// examples/chat.ts over loopback: one server on 127.0.0.1 (a free port), at most four clients,
// every wait bounded by addTimeout, everything closed by each test.
import { Clock, gatherResults } from "deferkit";
import { connectChat, listenChat, main, receive, type ChatClient, type ChatServer } from "../../examples/chat";

const LIMIT = 10_000;
jest.setTimeout(3 * LIMIT);

describe("examples/chat", () => {
  let server: ChatServer;
  let clients: ChatClient[] = [];
  const clock = new Clock(); // the heartbeat runs on it: it only beats when a test says so

  async function join(name: string, room = "lobby"): Promise<ChatClient> {
    const c = await connectChat(server.port, name, room).addTimeout(LIMIT).asPromise();
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    clients = [];
    server = await listenChat({ outboxSize: 32, heartbeatMs: 1000, clock }).addTimeout(LIMIT).asPromise();
  });
  afterEach(async () => {
    for (const c of clients) {
      c.stall(false); // a stalled socket reads nothing, not even the closing handshake
      c.close();
    }
    // Every client's socket is closed before the test ends: a close still in its handshake
    // leaves ws's 30-second close timer behind, and jest waiting for it.
    await gatherResults(clients.map((c) => c.closed)).addTimeout(LIMIT).asPromise();
    await server.close().addTimeout(LIMIT).asPromise();
  });

  it("broadcasts each room's messages to its members only, in one order for all of them", async () => {
    const [a, b] = [await join("a"), await join("b")];
    const other = await join("c", "elsewhere");
    const aGot = receive(a, 20);
    const bGot = receive(b, 20);
    for (let i = 0; i < 10; i++) {
      a.say(`a${i}`);
      b.say(`b${i}`);
    }
    const [fromA, fromB] = await gatherResults([aGot, bGot]).addTimeout(LIMIT).asPromise();
    expect(fromA.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(fromB.map((m) => `${m.seq}${m.text}`)).toEqual(fromA.map((m) => `${m.seq}${m.text}`));
    // Each sender's own messages keep their order.
    expect(fromA.filter((m) => m.from === "a").map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
    expect(other.inbox.pending).toBe(0); // nothing of "lobby" reached "elsewhere"
  });

  it("drops a stalled client when its outbox overflows, without slowing the others", async () => {
    const [sender, reader, stalled] = [await join("sender"), await join("reader"), await join("stalled")];
    stalled.stall(true);
    const count = 200; // 200 x 64 KiB: more than the kernel buffers hold for a reader that never reads
    const got = receive(reader, count);
    const big = "x".repeat(64 * 1024);
    for (let i = 0; i < count; i++) sender.say(`${i} ${big}`);
    const messages = await got.addTimeout(LIMIT).asPromise();
    expect(messages.map((m) => Number(m.text.split(" ")[0]))).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(server.dropped.get("stalled")).toBe("outbox overflow (32 messages waiting)");
    stalled.stall(false);
    await stalled.closed.addTimeout(LIMIT).asPromise();
  });

  it("the heartbeat drops a client that does not answer pings", async () => {
    const quiet = await join("quiet");
    const lively = await join("lively");
    quiet.stall(true); // it cannot see the ping, so it cannot answer
    clock.advance(1000); // ping
    await new Promise((r) => setTimeout(r, 50)); // (real time) for the pongs to come back
    clock.advance(1000); // the one that did not answer is dropped
    expect(server.dropped.get("quiet")).toBe("missed a heartbeat");
    expect(server.dropped.has("lively")).toBe(false);
    void lively;
  });

  it("a shutdown closes every client and cancels every writer", async () => {
    const a = await join("a");
    await server.close().addTimeout(LIMIT).asPromise();
    expect(await a.closed.addTimeout(LIMIT).asPromise()).toBeGreaterThan(1000);
  });
});

describe("examples/chat main()", () => {
  it("runs the scripted demo and finishes by itself", async () => {
    const lines: string[] = [];
    await main([], (l) => lines.push(l)).addTimeout(30_000).asPromise();
    expect(lines).toContain("bob got 200 messages in order: true; carol got 200 in order: true");
    expect(lines).toContain("the server dropped dave: outbox overflow (16 messages waiting)");
  }, 40_000);
});
