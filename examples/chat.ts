// A real-time WebSocket chat with rooms, in the Twisted style (the `ws` package does the
// WebSocket part; it is a dev dependency of this repository, used only here).
//
// What it shows:
// - a DeferredLock around the shared room state, so that a join, a leave and a broadcast each
//   see and change the rooms as one step, and every member sees a room's messages in one order;
// - a bounded DeferredQueue per client as its outbox, drained by a writer coroutine that waits
//   for each send to reach the socket: a client that stops reading fills its outbox, and is
//   disconnected when it overflows, while the others go on at full speed;
// - a heartbeat with LoopingCall: a client that does not answer a ping in time is dropped;
// - a graceful shutdown that cancels every writer, every heartbeat and every pending wait.
//
// Messages are JSON. Client to server: {"type":"join","room","name"}, {"type":"say","text"}.
// Server to client: {"type":"joined","room","members"}, {"type":"message","room","from","text","seq"},
// {"type":"left","room","name"}.
//
//   npm run example:chat            a scripted demo with four clients, one of them stalled
//   npm run example:chat -- --serve  keeps the server up on ws://127.0.0.1:8008
import { WebSocket, WebSocketServer, type RawData } from "ws";
import {
  CancelledError,
  Deferred,
  DeferredLock,
  DeferredQueue,
  fromCallback,
  gatherResults,
  inlineCallbacks,
  LoopingCall,
  QueueOverflow,
  realClock,
  type IClock,
} from "deferkit";

export type ServerMessage =
  | { type: "joined"; room: string; members: string[] }
  | { type: "message"; room: string; from: string; text: string; seq: number }
  | { type: "left"; room: string; name: string };

type ClientMessage = { type: "join"; room: string; name: string } | { type: "say"; text: string };

export interface ChatOptions {
  port?: number;
  /** Messages a client may have waiting to be sent before it is disconnected. */
  outboxSize?: number;
  /** Time between heartbeats; a client that has not answered the previous ping is dropped. */
  heartbeatMs?: number;
  clock?: IClock;
}

export interface ChatServer {
  readonly port: number;
  /** Why each dropped client was dropped, by name. */
  readonly dropped: Map<string, string>;
  /** Messages handed to a socket so far. */
  delivered(): number;
  /** Cancels every writer, the heartbeat and every wait; closes every connection and the server. */
  close(): Deferred<void>;
}

interface Member {
  ws: WebSocket;
  name: string;
  room: string | null;
  outbox: DeferredQueue<string>;
  writer: Deferred<void> | null;
  alive: boolean;
  dropping: boolean;
}

/** Listens on 127.0.0.1 (`port` 0: any free port). */
export function listenChat(options: ChatOptions = {}): Deferred<ChatServer> {
  const clock = options.clock ?? realClock;
  const outboxSize = options.outboxSize ?? 64;
  const rooms = new Map<string, Set<Member>>();
  const members = new Set<Member>();
  const roomsLock = new DeferredLock();
  const seqs = new Map<string, number>();
  const dropped = new Map<string, string>();
  let delivered = 0;

  /** Puts `message` in each member's outbox; one that overflows is disconnected, never waited for. */
  function fanOut(targets: Iterable<Member>, message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const m of targets) {
      try {
        m.outbox.put(text);
      } catch (e) {
        if (!QueueOverflow.is(e)) throw e;
        drop(m, `outbox overflow (${outboxSize} messages waiting)`);
      }
    }
  }

  function drop(m: Member, reason: string): void {
    if (!members.has(m) || m.dropping) return; // the first reason is the one that counts
    m.dropping = true;
    dropped.set(m.name, reason);
    m.ws.terminate(); // a stalled peer would never finish a closing handshake
  }

  /** Leaves the room under the lock, telling the others. */
  function leave(m: Member): Deferred<void> {
    return roomsLock.run(() => {
      const room = m.room === null ? undefined : rooms.get(m.room);
      if (room?.delete(m)) fanOut(room, { type: "left", room: m.room!, name: m.name });
      m.room = null;
    });
  }

  function onMessage(m: Member, raw: RawData): void {
    let message: ClientMessage;
    try {
      message = JSON.parse(String(raw)) as ClientMessage;
    } catch {
      return drop(m, "sent something that is not JSON");
    }
    if (message.type === "join") {
      // Leaving the old room and joining the new one is one step under the lock.
      void roomsLock.run(() => {
        if (m.room !== null) rooms.get(m.room)?.delete(m);
        m.name = String(message.name);
        m.room = String(message.room);
        const room = rooms.get(m.room) ?? new Set<Member>();
        rooms.set(m.room, room);
        room.add(m);
        fanOut([m], { type: "joined", room: m.room, members: [...room].map((x) => x.name) });
      });
    } else if (message.type === "say" && m.room !== null) {
      const roomName = m.room;
      // Under the lock: the sequence number and the fan-out happen together, so every member
      // of the room gets the room's messages in the same order.
      void roomsLock.run(() => {
        const seq = (seqs.get(roomName) ?? 0) + 1;
        seqs.set(roomName, seq);
        fanOut(rooms.get(roomName) ?? [], { type: "message", room: roomName, from: m.name, text: String(message.text), seq });
      });
    }
  }

  /** The writer: one send at a time, each waited for until the socket has taken it. */
  function startWriter(m: Member): Deferred<void> {
    return inlineCallbacks(function* () {
      for (;;) {
        const text = (yield m.outbox.get()) as string;
        yield fromCallback<void>((done) => m.ws.send(text, (error) => done(error)));
        delivered++;
      }
    })();
  }

  const wss = new WebSocketServer({ host: "127.0.0.1", port: options.port ?? 0 });
  wss.on("connection", (ws) => {
    const m: Member = { ws, name: "(anonymous)", room: null, outbox: new DeferredQueue<string>(outboxSize), writer: null, alive: true, dropping: false };
    members.add(m);
    m.writer = startWriter(m);
    m.writer.addErrback((f) => {
      if (!CancelledError.is(f.value)) drop(m, `send failed: ${f.getErrorMessage()}`);
    });
    ws.on("message", (raw) => onMessage(m, raw));
    ws.on("pong", () => void (m.alive = true));
    ws.on("close", () => {
      members.delete(m);
      m.writer?.cancel();
      void leave(m);
    });
    ws.on("error", () => ws.terminate());
  });

  // The heartbeat: a ping to each client; one that did not answer the last ping is dropped.
  const heartbeat = new LoopingCall(() => {
    for (const m of members) {
      if (!m.alive) {
        drop(m, "missed a heartbeat");
        continue;
      }
      m.alive = false;
      m.ws.ping();
    }
  });
  heartbeat.clock = clock;
  const beating = heartbeat.start(options.heartbeatMs ?? 30_000, false);
  let closing: Deferred<void> | null = null;

  return Deferred.fromPromise(
    new Promise<ChatServer>((resolve, reject) => {
      wss.once("error", reject);
      wss.once("listening", () =>
        resolve({
          port: (wss.address() as { port: number }).port,
          dropped,
          delivered: () => delivered,
          close() {
            if (closing !== null) return closing.addCallback(() => undefined); // once is enough
            if (heartbeat.running) heartbeat.stop();
            beating.addErrback(() => undefined);
            for (const m of members) {
              m.writer?.cancel(); // and with it the get() it waits on
              m.ws.close(1001, "server shutting down");
            }
            closing = Deferred.fromPromise(
              new Promise<void>((done) => {
                for (const client of wss.clients) client.terminate();
                wss.close(() => done());
              }),
            );
            return closing;
          },
        }),
      );
    }),
  );
}

// ---- a client, for the demo and the tests -----------------------------------------------

export interface ChatClient {
  readonly name: string;
  /** Every message from the server, in the order it came. */
  readonly inbox: DeferredQueue<ServerMessage>;
  say(text: string): void;
  /** Stops reading from the socket (a stalled client), or reads again. */
  stall(stalled: boolean): void;
  /** Fires with the close code when the connection closes. */
  readonly closed: Deferred<number>;
  close(): void;
}

/** Connects, joins `room` as `name`, and fires once the server confirmed the join. */
export function connectChat(port: number, name: string, room: string): Deferred<ChatClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const inbox = new DeferredQueue<ServerMessage>();
  const closed = new Deferred<number>();
  ws.on("message", (raw) => inbox.put(JSON.parse(String(raw)) as ServerMessage));
  ws.on("close", (code) => void (!closed.called && closed.callback(code)));
  ws.on("error", () => undefined); // a drop shows as a close
  const client: ChatClient = {
    name,
    inbox,
    closed,
    say: (text) => ws.send(JSON.stringify({ type: "say", text })),
    stall: (stalled) => {
      const socket = (ws as unknown as { _socket?: { pause(): void; resume(): void } })._socket;
      if (stalled) socket?.pause();
      else socket?.resume();
    },
    close: () => ws.close(),
  };
  return Deferred.fromPromise(
    new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    }),
  ).addCallback(() => {
    ws.send(JSON.stringify({ type: "join", room, name }));
    return inbox.get().addCallback(() => client); // the "joined" message
  });
}

/** Takes messages from `client`'s inbox until `count` "message" ones arrived; fires with those. */
export function receive(client: ChatClient, count: number): Deferred<Extract<ServerMessage, { type: "message" }>[]> {
  const got: Extract<ServerMessage, { type: "message" }>[] = [];
  return inlineCallbacks(function* () {
    while (got.length < count) {
      const m = (yield client.inbox.get()) as ServerMessage;
      if (m.type === "message") got.push(m);
    }
    return got;
  })();
}

// ---- the demo ---------------------------------------------------------------------------

/** `npm run example:chat`: four clients, one stalled; or `--serve`. */
export function main(args: string[], print: (line: string) => void = (line) => void process.stdout.write(`${line}\n`)): Deferred<void> {
  if (args.includes("--serve")) {
    return listenChat({ port: 8008, heartbeatMs: 10_000 }).addCallback((server) => {
      print(`chat server on ws://127.0.0.1:${server.port}; send {"type":"join","room":"lobby","name":"you"}, then {"type":"say","text":"hi"}`);
      return new Deferred<void>();
    });
  }
  return inlineCallbacks(function* () {
    const server = (yield listenChat({ outboxSize: 16 })) as ChatServer;
    print(`chat server on ws://127.0.0.1:${server.port}`);
    const [alice, bob, carol, dave] = (yield gatherResults(
      ["alice", "bob", "carol", "dave"].map((name) => connectChat(server.port, name, "lobby")),
    )) as ChatClient[];
    dave!.stall(true);
    print("dave stops reading his socket");
    const big = "x".repeat(64 * 1024);
    const count = 200; // 200 x 64 KiB: more than the kernel buffers between server and dave
    const bobGot = receive(bob!, count);
    const carolGot = receive(carol!, count);
    for (let i = 1; i <= count; i++) alice!.say(`${i} ${big}`);
    const [bobs, carols] = (yield gatherResults([bobGot, carolGot]).addTimeout(20_000)) as [{ seq: number }[], { seq: number }[]];
    const inOrder = (ms: { seq: number }[]): boolean => ms.every((m, i) => i === 0 || m.seq > ms[i - 1]!.seq);
    print(`bob got ${bobs.length} messages in order: ${inOrder(bobs)}; carol got ${carols.length} in order: ${inOrder(carols)}`);
    print(`the server dropped dave: ${server.dropped.get("dave") ?? "not yet"}`);
    dave!.stall(false); // reads again, and so sees the connection closed
    const code = (yield dave!.closed.addTimeout(5000)) as number;
    print(`dave's connection closed (code ${code})`);
    for (const c of [alice, bob, carol]) c!.close();
    yield server.close();
    print(`server stopped after ${server.delivered()} messages delivered`);
  })();
}
