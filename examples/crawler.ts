// A job runner that fetches many pages without opening a thousand connections at once.
//
// What it shows: a DeferredSemaphore limiting how many fetches run at once; addTimeout on each
// attempt; retries after a deferLater backoff that doubles; an AbortSignal that cancels the
// whole run (running fetches, waiting jobs and pending backoffs alike); a progress line, drawn as
// a bar when stdout is a terminal. Everything takes an IClock, so the tests run it on a Clock.
//
//   npm run example:crawler                     20 fake pages on the real clock
//   npm run example:crawler -- --abort-after 150  the same, aborted after 150 ms
//   npm run example:crawler -- --no-tty           progress as lines, not a bar
import {
  CancelledError,
  Deferred,
  DeferredSemaphore,
  deferLater,
  gatherResults,
  realClock,
  TimeoutError,
  type IClock,
} from "deferkit";

/** What a fetch gives: here only a title and a size. */
export interface Page {
  url: string;
  title: string;
  bytes: number;
}

/** A fetch that can be cancelled: its Deferred's `cancel()` stops the request. */
export type Fetch = (url: string) => Deferred<Page>;

export interface CrawlOptions {
  /** At most this many fetches at once. */
  concurrency: number;
  /** Each attempt gives up after this long. */
  timeoutMs: number;
  /** Attempts after the first one fails. */
  retries: number;
  /** Wait before the first retry; each further retry waits twice as long. */
  backoffMs: number;
  clock?: IClock;
  /** Aborting it cancels the whole crawl. */
  signal?: AbortSignal;
  /** Called whenever a job ends. */
  onProgress?: (progress: Progress) => void;
}

export interface Progress {
  total: number;
  done: number;
  failed: number;
  running: number;
}

export interface JobResult {
  url: string;
  attempts: number;
  page?: Page;
  error?: string;
}

/** Fetches every url through `fetch`, by the rules of `options`; fires with one result per url, in order. */
export function crawl(urls: string[], fetch: Fetch, options: CrawlOptions): Deferred<JobResult[]> {
  const clock = options.clock ?? realClock;
  const limit = new DeferredSemaphore(options.concurrency);
  const progress: Progress = { total: urls.length, done: 0, failed: 0, running: 0 };

  const job = (url: string): Deferred<JobResult> => {
    const result: JobResult = { url, attempts: 0 };
    const attempt = (): Deferred<JobResult> => {
      result.attempts++;
      // The semaphore is held for one attempt only: a job backing off lets others run.
      return limit
        .run(() => {
          progress.running++;
          return fetch(url)
            .addTimeout(options.timeoutMs, clock)
            .addBoth((r) => {
              progress.running--;
              return r;
            });
        })
        .addCallbacks(
          (page) => ({ ...result, page }),
          (failure) => {
            if (CancelledError.is(failure.value)) return failure; // the crawl was aborted
            if (result.attempts > options.retries) {
              const reason = TimeoutError.is(failure.value) ? `timed out after ${options.timeoutMs} ms` : failure.getErrorMessage();
              return { ...result, error: reason };
            }
            const wait = options.backoffMs * 2 ** (result.attempts - 1);
            return deferLater(clock, wait).addCallback(attempt);
          },
        );
    };
    return attempt().addCallback((r) => {
      if (r.error === undefined) progress.done++;
      else progress.failed++;
      options.onProgress?.({ ...progress });
      return r;
    });
  };

  // consumeErrors: an abort cancels every job, and each job's CancelledError belongs to the crawl.
  const all = gatherResults(urls.map(job), true).addErrback((failure) => {
    // Aborted: fail with the CancelledError itself (its `cause` is the signal's reason).
    const first = failure.value as { subFailure?: { value: unknown } };
    if (CancelledError.is(first.subFailure?.value)) throw first.subFailure.value;
    return failure;
  });
  if (options.signal) all.cancelOn(options.signal);
  return all;
}

// ---- a fake web, for the demo and the tests ---------------------------------------------

/** Knobs of the fake web: which pages are slow, flaky or never answer. */
export interface FakeWeb {
  fetch: Fetch;
  /** Requests in flight now, and the most there ever were. */
  inFlight(): number;
  maxInFlight(): number;
  requests(): number;
}

/**
 * `count` pages, `page-1` ... `page-N`, answered on `clock` after 10-50 ms; the page named
 * `flaky` fails its first request; the page named `hangs` never answers.
 */
export function fakeWeb(clock: IClock, options: { flaky?: string; hangs?: string } = {}): FakeWeb {
  let inFlight = 0;
  let max = 0;
  let requests = 0;
  const seen = new Set<string>();
  const fetch: Fetch = (url) => {
    requests++;
    inFlight++;
    max = Math.max(max, inFlight);
    const done = (): void => void inFlight--;
    if (url === options.hangs) {
      return new Deferred<Page>(done); // answers only to cancel()
    }
    const latency = 10 + ((url.length * 7 + url.charCodeAt(url.length - 1)) % 41);
    const firstTry = !seen.has(url);
    seen.add(url);
    const d = deferLater(clock, latency, () => {
      if (url === options.flaky && firstTry) throw new Error("503 Service Unavailable");
      return { url, title: `Title of ${url}`, bytes: 1000 + latency * 10 };
    });
    return d.addBoth((r) => {
      done();
      return r;
    });
  };
  return { fetch, inFlight: () => inFlight, maxInFlight: () => max, requests: () => requests };
}

// ---- the demo ---------------------------------------------------------------------------

function progressLine(p: Progress, tty: boolean): string {
  const finished = p.done + p.failed;
  if (!tty) return `${finished}/${p.total} done (${p.failed} failed, ${p.running} running)`;
  const width = 30;
  const filled = Math.round((finished / p.total) * width);
  return `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${finished}/${p.total} (${p.failed} failed)`;
}

/** `npm run example:crawler [-- --abort-after ms]`. */
export function main(args: string[], print: (line: string) => void = (line) => void process.stdout.write(`${line}\n`)): Deferred<void> {
  const tty = process.stdout.isTTY === true && !args.includes("--no-tty");
  const urls = Array.from({ length: 20 }, (_, i) => `https://example.test/page-${i + 1}`);
  const web = fakeWeb(realClock, { flaky: urls[3], hangs: urls[7] });
  const controller = new AbortController();
  const abortAt = args.indexOf("--abort-after");
  if (abortAt >= 0) {
    const ms = Number(args[abortAt + 1]);
    deferLater(realClock, ms, () => controller.abort(`aborted after ${ms} ms`))
      .cancelOn(controller.signal) // the end of the crawl aborts the signal, and so cancels this timer
      .addErrback(() => undefined);
  }
  let last = "";
  const crawlDone = crawl(urls, web.fetch, {
    concurrency: 4,
    timeoutMs: 100,
    retries: 2,
    backoffMs: 20,
    signal: controller.signal,
    onProgress(p) {
      const line = progressLine(p, tty);
      if (tty) process.stdout.write(line);
      else if (line !== last && (p.done + p.failed) % 5 === 0) print(line);
      last = line;
    },
  });
  return crawlDone.addCallbacks(
    (results) => {
      if (tty) process.stdout.write("\n");
      for (const r of results) {
        if (r.error !== undefined || r.attempts > 1) print(`${r.url}: ${r.error ?? "ok"} (${r.attempts} attempts)`);
      }
      print(`${results.filter((r) => r.page).length} pages fetched, at most ${web.maxInFlight()} at once, ${web.requests()} requests`);
      controller.abort("done"); // unties the abort timer, if any
    },
    (failure) => {
      if (tty) process.stdout.write("\n");
      if (!CancelledError.is(failure.value)) return failure;
      // The crawl fails at its first cancelled job, inside abort(); the others are cancelled
      // right after, before abort() returns: count what is left once it has.
      const cause = String((failure.value as CancelledError).cause ?? "");
      return deferLater(realClock, 0, () => print(`crawl cancelled (${cause}); ${web.inFlight()} requests still in flight`));
    },
  );
}
