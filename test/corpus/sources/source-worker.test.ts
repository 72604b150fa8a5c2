import { mkdir, rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Paper } from "../../../src/core/paper.ts";
import { loadCorpus } from "../../../src/corpus/index.ts";
import { CorpusSources } from "../../../src/corpus/sources/index.ts";
import type { RefreshRequest } from "../../../src/corpus/sources/refresh-source.ts";
import { cachePaths, temporaryOf } from "../../../src/corpus/sources/source-cache.ts";
import {
  SourceWorker,
  SourceWorkerError,
  sourceWorker,
} from "../../../src/corpus/sources/source-worker-client.ts";
import { hfDailyPapers, ownRecords } from "../../fakes/paper-feeds/feed-fixtures.ts";
import { ABSTRACT, feedServer, testSources, workDir } from "./source-setup.ts";

const paper = (letter: string, upvotes: number, title = `Paper ${letter}`) => ({
  id: `2507.0000${"ABCDEF".indexOf(letter) + 1}`,
  title,
  abstract: ABSTRACT,
  upvotes,
});

/** One refresh of `url` as the worker takes it, writing only that body's papers to the cache. */
function refreshRequest(cacheDir: string, url: string): RefreshRequest {
  return {
    url,
    fetch: { timeoutMs: 2_000, retries: 0 },
    paths: cachePaths(cacheDir, url),
    cache: "replace",
    maxPapers: 10,
    format: "json",
    fetchedAt: new Date().toISOString(),
  };
}

/** Sources caching in `cacheDir`, each a new one as after a restart. */
const sourcesIn = (cacheDir: string, max?: number) =>
  new CorpusSources({
    cacheDir,
    fetch: { timeoutMs: 2_000, retries: 0 },
    ...(max === undefined ? {} : { maxPapersPerSource: max }),
  });

const rows = (papers: readonly Paper[]) => papers.map((p) => [p.title, p.upvotes, p.rank]);

describe("the source cache written by the source worker", () => {
  it("keeps the papers in place, the re-listed ones updated, and appends the new ones, as after a restart", async () => {
    const server = await feedServer();
    const url = server.url("/daily");
    const { cwd, cacheDir } = await workDir();
    server.serve("/daily", { body: hfDailyPapers([paper("A", 1), paper("B", 2), paper("C", 3)]) });
    const live = sourcesIn(cacheDir);
    await live.read(url);
    server.serve("/daily", {
      body: hfDailyPapers([paper("C", 30, "Paper C, revised"), paper("D", 4)]),
    });
    expect(await live.refresh([url])).toEqual({ changed: [url], failed: [] });
    const first = (await live.read(url)).papers;
    // B is listed again, second on the list and second in the source: it stays second.
    server.serve("/daily", { body: hfDailyPapers([paper("E", 5), paper("B", 20)]) });
    expect(await live.refresh([url])).toEqual({ changed: [url], failed: [] });
    const held = (await live.read(url)).papers;
    await server.close();

    // Earlier papers where they were, those listed again with today's counts and ranks; papers new to
    // the source after them, in today's order; the others with the rank their last listing gave them.
    const expected = [
      ["Paper A", 1, 1],
      ["Paper B", 20, 2],
      ["Paper C, revised", 30, 1],
      ["Paper D", 4, 2],
      ["Paper E", 5, 1],
    ];
    expect(rows(held)).toEqual(expected);
    const restarted = await loadCorpus(url, { cwd, sources: sourcesIn(cacheDir) });
    expect(rows(restarted.papers)).toEqual(expected);
    // The papers today's list left alone are the very same objects: nothing downstream sees them change.
    expect(held[0]).toBe(first[0]);
    expect(held[2]).toBe(first[2]);
    expect(held[3]).toBe(first[3]);
    expect(held[1]).not.toBe(first[1]);
  });

  it("keeps at most maxPapersPerSource papers, the oldest going first, in memory and in the cache", async () => {
    const server = await feedServer();
    const url = server.url("/daily");
    const { cwd, cacheDir } = await workDir();
    server.serve("/daily", { body: hfDailyPapers([paper("A", 1), paper("B", 2), paper("C", 3)]) });
    const live = sourcesIn(cacheDir, 4);
    await live.read(url);
    server.serve("/daily", { body: hfDailyPapers([paper("B", 20), paper("D", 4), paper("E", 5)]) });
    await live.refresh([url]);

    // A, B, C, D, E is one too many: A goes.
    const expected = [
      ["Paper B", 20, 1],
      ["Paper C", 3, 3],
      ["Paper D", 4, 2],
      ["Paper E", 5, 3],
    ];
    expect(rows((await live.read(url)).papers)).toEqual(expected);
    expect(rows((await loadCorpus(url, { cwd, sources: sourcesIn(cacheDir, 4) })).papers)).toEqual(expected);

    // From a full cache: the oldest goes again, and a re-listed paper keeps its place meanwhile.
    server.serve("/daily", { body: hfDailyPapers([paper("F", 6), paper("D", 40)]) });
    await live.refresh([url]);
    await server.close();
    const next = [
      ["Paper C", 3, 3],
      ["Paper D", 40, 2],
      ["Paper E", 5, 3],
      ["Paper F", 6, 1],
    ];
    expect(rows((await live.read(url)).papers)).toEqual(next);
    expect(rows((await loadCorpus(url, { cwd, sources: sourcesIn(cacheDir, 4) })).papers)).toEqual(next);
  });

  it("takes a paper's first copy when the body lists it twice, in memory and in the cache", async () => {
    const server = await feedServer();
    const url = server.url("/daily");
    const { cwd, cacheDir } = await workDir();
    server.serve("/daily", { body: ownRecords([paper("A", 1)], "json") });
    const live = sourcesIn(cacheDir);
    await live.read(url);
    server.serve("/daily", {
      body: ownRecords(
        [paper("B", 2), paper("A", 7), paper("B", 9, "Paper B, again"), paper("A", 8, "Paper A, again")],
        "json",
      ),
    });
    await live.refresh([url]);
    await server.close();

    const expected = [
      ["Paper A", 7],
      ["Paper B", 2],
    ];
    const pairs = (papers: readonly Paper[]) => papers.map((p) => [p.title, p.upvotes]);
    expect(pairs((await live.read(url)).papers)).toEqual(expected);
    expect(pairs((await loadCorpus(url, { cwd, sources: sourcesIn(cacheDir) })).papers)).toEqual(expected);
  });

  it("writes the whole cache again after a write that failed, so a restart misses nothing", async () => {
    const server = await feedServer();
    const url = server.url("/daily");
    const { cwd, cacheDir } = await workDir();
    server.serve("/daily", { body: ownRecords([paper("A", 1)], "json") });
    const live = testSources(cacheDir);
    await live.read(url);

    // A folder where the cache's temporary file goes: the next write fails.
    const blocker = temporaryOf(cachePaths(cacheDir, url).papers);
    await mkdir(blocker);
    server.serve("/daily", { body: ownRecords([paper("B", 2)], "json") });
    expect(await live.refresh([url])).toEqual({ changed: [url], failed: [] });
    await rm(blocker, { recursive: true });
    server.serve("/daily", { body: ownRecords([paper("C", 3)], "json") });
    expect(await live.refresh([url])).toEqual({ changed: [url], failed: [] });
    await server.close();

    const restarted = await loadCorpus(url, { cwd, sources: testSources(cacheDir) });
    expect(restarted.papers.map((p) => p.title)).toEqual(["Paper A", "Paper B", "Paper C"]);
  });
});

describe("the source worker thread", () => {
  it("starts again for a refresh after close(), or after it was ended under the sources", async () => {
    const server = await feedServer();
    const url = server.url("/daily");
    const { cwd, cacheDir } = await workDir();
    server.serve("/daily", { body: ownRecords([paper("A", 1)], "json") });
    const sources = testSources(cacheDir);
    await sources.read(url);

    await sources.close();
    server.serve("/daily", { body: ownRecords([paper("B", 2)], "json") });
    expect(await sources.refresh([url])).toEqual({ changed: [url], failed: [] });

    await sourceWorker.close();
    server.serve("/daily", { body: ownRecords([paper("C", 3)], "json") });
    expect(await sources.refresh([url])).toEqual({ changed: [url], failed: [] });
    const { papers } = await loadCorpus(url, { cwd, sources });
    expect(papers.map((p) => p.title)).toEqual(["Paper A", "Paper B", "Paper C"]);
    await sources.close();
  });

  it("cancels a slow fetch on close(): the refresh fails as cancelled and the papers stay", async () => {
    const server = await feedServer();
    const url = server.url("/slow");
    const { cwd, cacheDir } = await workDir();
    server.serve("/slow", { body: ownRecords([paper("A", 1)], "json") });
    const sources = testSources(cacheDir, { timeoutMs: 20_000 });
    await sources.read(url);

    server.serve("/slow", { body: ownRecords([paper("B", 2)], "json"), delayMs: 20_000 });
    const refreshing = sources.refresh([url]);
    while (server.requestsFor("/slow").length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await sources.close();

    expect(await refreshing).toEqual({ changed: [], failed: [url] });
    expect(sources.status()[0]).toMatchObject({ lastError: "cancelled", papers: 1 });
    expect((await loadCorpus(url, { cwd, sources })).papers.map((p) => p.title)).toEqual(["Paper A"]);
  });

  it("fails the refreshes in a worker that dies, and starts a new one for the next", async () => {
    const server = await feedServer();
    server.serve("/daily", { body: ownRecords([paper("A", 1)], "json") });
    const { cacheDir } = await workDir();
    const worker = new SourceWorker({ module: new URL("./dying-source-worker.ts", import.meta.url) });
    const request = (url: string) => refreshRequest(cacheDir, url);
    try {
      const dying = worker.refresh(request(server.url("/die")));
      await expect(dying).rejects.toThrow(SourceWorkerError);
      await expect(dying).rejects.toThrow(/exited \(code 3\)/);

      const result = await worker.refresh(request(server.url("/daily")));
      expect(result.status).toBe("fetched");
      expect(result.status === "fetched" && result.papers.map((p) => p.title)).toEqual(["Paper A"]);
    } finally {
      await worker.close();
    }
  });

  it("ends once idle, giving its memory back, and starts again for the next refresh", async () => {
    const server = await feedServer();
    server.serve("/daily", { body: ownRecords([paper("A", 1)], "json") });
    const { cacheDir } = await workDir();
    const url = server.url("/daily");
    const worker = new SourceWorker({ idleMs: 50 });
    const request = refreshRequest(cacheDir, url);
    try {
      expect((await worker.refresh(request)).status).toBe("fetched");
      expect(worker.running).toBe(true);
      await expect.poll(() => worker.running, { timeout: 5_000 }).toBe(false);
      const again = await worker.refresh(request);
      expect(again.status === "fetched" && again.papers.map((p) => p.title)).toEqual(["Paper A"]);
    } finally {
      await worker.close();
    }
  });
});
