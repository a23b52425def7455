// A TCP echo service the Twisted way: the client's `send(text)` returns a Deferred of the reply.
//
// The protocol is one line per message. A request is `<id> ECHO <text>` (answered at once) or
// `<id> SLOW <ms> <text>` (answered after `ms`); `CANCEL <id>` withdraws one. Every request
// gets exactly one reply line, in request order: `<id> OK <text>` or `<id> CANCELLED`.
//
// What it shows: a DeferredQueue per connection on both sides (the server's line of requests,
// served one at a time by a coroutine; the client's incoming reply lines, matched to requests
// in order), `addTimeout` on a request, `gatherResults` over several, and a `cancel()` that
// reaches the server: the request's canceller sends `CANCEL`, and the server cancels the
// `deferLater` it was waiting on.
//
//   npm run example:echo            a short scripted demo, then exits
//   npm run example:echo -- --serve  keeps the server up on 127.0.0.1:8007 (try `nc 127.0.0.1 8007`)
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import {
  CancelledError,
  Deferred,
  DeferredQueue,
  deferLater,
  gatherResults,
  inlineCallbacks,
  realClock,
  succeed,
  type IClock,
} from "deferkit";

/** Splits a socket's data into lines and puts each into `queue`. */
function linesInto(socket: Socket, queue: DeferredQueue<string>): void {
  let buffered = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      queue.put(buffered.slice(0, end).replace(/\r$/, ""));
      buffered = buffered.slice(end + 1);
    }
  });
}

// ---- the server -------------------------------------------------------------------------

/** What the server did, for the demo's output and the tests. */
export interface EchoStats {
  received: number;
  served: number;
  cancelled: number;
}

export interface EchoServer {
  readonly port: number;
  readonly stats: EchoStats;
  /** Stops listening, cancels every request in progress, closes every connection. */
  close(): Deferred<void>;
}

/** Listens on 127.0.0.1 (`port` 0: any free port); `clock` times the SLOW requests. */
export function listenEcho(port = 0, clock: IClock = realClock): Deferred<EchoServer> {
  const stats: EchoStats = { received: 0, served: 0, cancelled: 0 };
  const connections = new Set<{ socket: Socket; stop(): void }>();
  const server: Server = createServer((socket) => connections.add(serveConnection(socket, clock, stats, connections)));
  return Deferred.fromPromise(
    new Promise<EchoServer>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const bound = (server.address() as AddressInfo).port;
        resolve({
          port: bound,
          stats,
          close() {
            for (const c of connections) c.stop();
            return Deferred.fromPromise(new Promise<void>((done) => server.close(() => done())));
          },
        });
      });
    }),
  );
}

function serveConnection(
  socket: Socket,
  clock: IClock,
  stats: EchoStats,
  connections: Set<{ socket: Socket; stop(): void }>,
): { socket: Socket; stop(): void } {
  const lines = new DeferredQueue<string>();
  const withdrawn = new Set<string>(); // ids cancelled before their turn came
  let current: { id: string; work: Deferred<string> } | null = null;
  const reply = (text: string): void => void (socket.writable && socket.write(`${text}\n`));

  // CANCEL lines are handled as they arrive, out of turn; every other line waits its turn.
  const requests = new DeferredQueue<string>();
  const route = inlineCallbacks(function* () {
    for (;;) {
      const line = (yield lines.get()) as string;
      const [first, second] = line.split(" ");
      if (first === "CANCEL" && second !== undefined) {
        if (current?.id === second) current.work.cancel();
        else withdrawn.add(second);
      } else {
        stats.received++;
        requests.put(line);
      }
    }
  });

  const serve = inlineCallbacks(function* () {
    for (;;) {
      const line = (yield requests.get()) as string;
      const [id, command, ...rest] = line.split(" ");
      if (id === undefined || (command !== "ECHO" && command !== "SLOW")) {
        reply(`${id ?? "?"} ERROR expected "<id> ECHO <text>" or "<id> SLOW <ms> <text>"`);
        continue;
      }
      if (withdrawn.delete(id)) {
        stats.cancelled++;
        reply(`${id} CANCELLED`);
        continue;
      }
      const ms = command === "SLOW" ? Number(rest.shift()) : 0;
      const text = rest.join(" ");
      const work = command === "SLOW" && ms > 0 ? deferLater(clock, ms, () => text) : succeed(text);
      current = { id, work };
      try {
        const answer = (yield work) as string;
        stats.served++;
        reply(`${id} OK ${answer}`);
      } catch (e) {
        if (!CancelledError.is(e)) throw e;
        stats.cancelled++;
        reply(`${id} CANCELLED`);
      } finally {
        current = null;
      }
    }
  });

  // The routing and serving loops run until the connection goes; a failure of either
  // (a bug) is logged, never lost.
  const loops = [route(), serve()];
  for (const loop of loops) loop.addErrback((f) => (CancelledError.is(f.value) ? undefined : f));
  linesInto(socket, lines);
  const connection = {
    socket,
    stop() {
      for (const loop of loops) loop.cancel();
      socket.destroy();
    },
  };
  socket.on("close", () => {
    connections.delete(connection);
    for (const loop of loops) loop.cancel();
  });
  socket.on("error", () => socket.destroy());
  return connection;
}

// ---- the client -------------------------------------------------------------------------

export interface EchoClient {
  /** The reply to `text`, echoed; `slowMs` asks the server to take that long. Cancellable. */
  send(text: string, slowMs?: number): Deferred<string>;
  close(): void;
}

/** Connects to an echo server on 127.0.0.1:`port`. */
export function connectEcho(port: number): Deferred<EchoClient> {
  return Deferred.fromPromise(
    new Promise<EchoClient>((resolve, reject) => {
      const socket = createConnection({ host: "127.0.0.1", port }, () => resolve(makeClient(socket)));
      socket.once("error", reject);
    }),
  );
}

function makeClient(socket: Socket): EchoClient {
  const replies = new DeferredQueue<string>();
  // Requests in the order sent: each reply line answers the oldest.
  const waiting: { id: string; d: Deferred<string> }[] = [];
  let nextId = 1;

  const reader = inlineCallbacks(function* () {
    for (;;) {
      const line = (yield replies.get()) as string;
      const request = waiting.shift();
      if (request === undefined) continue; // a reply to nothing: ignore
      const [id, status, ...rest] = line.split(" ");
      if (request.d.called) continue; // cancelled here already: the server's CANCELLED (or late OK)
      if (id !== request.id) request.d.errback(new Error(`reply ${id} out of order, expected ${request.id}`));
      else if (status === "OK") request.d.callback(rest.join(" "));
      else request.d.errback(new Error(`server said: ${status} ${rest.join(" ")}`));
    }
  })();
  reader.addErrback((f) => (CancelledError.is(f.value) ? undefined : f));
  linesInto(socket, replies);
  socket.on("close", () => {
    reader.cancel();
    for (const { d } of waiting.splice(0)) if (!d.called) d.errback(new Error("connection closed"));
  });

  return {
    send(text, slowMs) {
      const id = String(nextId++);
      // The canceller tells the server; the reply that follows (CANCELLED) is then ignored.
      const d = new Deferred<string>(() => void (socket.writable && socket.write(`CANCEL ${id}\n`)));
      waiting.push({ id, d });
      socket.write(slowMs === undefined ? `${id} ECHO ${text}\n` : `${id} SLOW ${slowMs} ${text}\n`);
      return d;
    },
    close() {
      socket.end();
    },
  };
}

// ---- the demo ---------------------------------------------------------------------------

/** `npm run example:echo`: the scripted demo, or `--serve` to keep the server up. */
export function main(args: string[], print: (line: string) => void = (line) => void process.stdout.write(`${line}\n`)): Deferred<void> {
  if (args.includes("--serve")) {
    return listenEcho(8007).addCallback((server) => {
      print(`echo server listening on 127.0.0.1:${server.port}; try: nc 127.0.0.1 ${server.port}, then "1 ECHO hello"`);
      return new Deferred<void>(); // until the process is stopped
    });
  }
  return inlineCallbacks(function* () {
    const server = (yield listenEcho()) as EchoServer;
    print(`server on 127.0.0.1:${server.port}`);
    const client = (yield connectEcho(server.port)) as EchoClient;
    try {
      // Three requests in flight at once, gathered, with one timeout for the lot.
      const words = ["hello", "deferred", "world"];
      const replies = (yield gatherResults(words.map((w) => client.send(w))).addTimeout(2000)) as string[];
      print(`gathered: ${replies.join(" ")}`);

      // A slow request, cancelled after 50 ms: the canceller tells the server, which stops.
      const slow = client.send("never mind", 10_000);
      yield deferLater(realClock, 50);
      slow.cancel();
      slow.addErrback((f) => print(`slow request: ${f.value instanceof CancelledError ? "cancelled" : f.getErrorMessage()}`));

      // A request that takes longer than its timeout fails with TimeoutError, and the server
      // is told (addTimeout cancels the request).
      const late = client.send("too late", 5_000).addTimeout(100);
      const outcome = (yield late.addErrback((f) => `failed with ${String((f.value as Error).name)}`)) as string;
      print(`late request: ${outcome}`);

      // The replies still come in order after the cancellations.
      print(`after: ${(yield client.send("still in order")) as string}`);
      print(`server: ${server.stats.served} served, ${server.stats.cancelled} cancelled`);
    } finally {
      client.close();
      yield server.close();
    }
  })();
}
