// examples/crawler.ts on a Clock: the fake web answers on the same Clock, no real timers.
import { CancelledError, Clock } from "deferkit";
import { assertNoResult, failureResultOf, successResultOf } from "deferkit/testing";
import { crawl, fakeWeb, main, type CrawlOptions, type Progress } from "../../examples/crawler";

const urls = Array.from({ length: 30 }, (_, i) => `u${i + 1}`);
const options = (clock: Clock, extra: Partial<CrawlOptions> = {}): CrawlOptions => ({
  concurrency: 3,
  timeoutMs: 100,
  retries: 2,
  backoffMs: 20,
  clock,
  ...extra,
});

describe("examples/crawler", () => {
  it("never runs more fetches at once than the semaphore allows, and uses all of them", () => {
    const clock = new Clock();
    const web = fakeWeb(clock);
    const done = crawl(urls, web.fetch, options(clock));
    expect(web.inFlight()).toBe(3);
    clock.pump(Array.from({ length: 100 }, () => 10));
    const results = successResultOf(done);
    expect(results.map((r) => r.url)).toEqual(urls); // input order, whatever the finishing order
    expect(results.every((r) => r.page !== undefined && r.attempts === 1)).toBe(true);
    expect(web.maxInFlight()).toBe(3);
    expect(web.requests()).toBe(30);
  });

  it("retries a failed fetch after a backoff, and gives up on one that never answers", () => {
    const clock = new Clock();
    const web = fakeWeb(clock, { flaky: "u2", hangs: "u5" });
    const done = crawl(urls.slice(0, 6), web.fetch, options(clock));
    clock.pump(Array.from({ length: 100 }, () => 10));
    const results = successResultOf(done);
    expect(results[1]).toMatchObject({ url: "u2", attempts: 2, page: { title: "Title of u2" } });
    expect(results[4]).toEqual({ url: "u5", attempts: 3, error: "timed out after 100 ms" });
    expect(web.inFlight()).toBe(0);
    expect(clock.getDelayedCalls()).toEqual([]);
  });

  it("an aborted signal cancels the crawl: running fetches, waiting jobs and backoffs alike", () => {
    const clock = new Clock();
    const web = fakeWeb(clock, { flaky: "u1" });
    const controller = new AbortController();
    const done = crawl(urls, web.fetch, options(clock, { signal: controller.signal }));
    clock.advance(45); // u1 has failed and is backing off; others are running
    assertNoResult(done);
    controller.abort("user left");
    const failure = failureResultOf(done, CancelledError);
    expect(failure.value.cause).toBe("user left");
    expect(web.inFlight()).toBe(0);
    expect(clock.getDelayedCalls()).toEqual([]); // no fetch, timeout or backoff timer left
  });

  it("reports progress after each job", () => {
    const clock = new Clock();
    const web = fakeWeb(clock);
    const seen: Progress[] = [];
    crawl(urls.slice(0, 4), web.fetch, options(clock, { onProgress: (p) => seen.push(p) }));
    clock.pump(Array.from({ length: 20 }, () => 10));
    expect(seen.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(seen.at(-1)).toEqual({ total: 4, done: 4, failed: 0, running: 0 });
  });

  it("main() runs the demo on the real clock and finishes by itself", async () => {
    const lines: string[] = [];
    await main(["--no-tty"], (l) => lines.push(l)).addTimeout(10_000).asPromise();
    expect(lines.at(-1)).toBe("19 pages fetched, at most 4 at once, 23 requests");
  });
});
