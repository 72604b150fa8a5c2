import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { loadConfig } from "../../../src/config.ts";
import { loadCorpus } from "../../../src/corpus/index.ts";
import { consoleChannels, consoleInvoker } from "../../../src/platforms/console/console-channel.ts";
import { arxivAtom, hfDailyPapers, ownRecords } from "../../fakes/paper-feeds/feed-fixtures.ts";
import { ABSTRACT, feedServer, testSources, workDir } from "./source-setup.ts";

const FIRST = { id: "2507.00001", title: "First Paper", abstract: ABSTRACT };
const SECOND = { id: "2507.00002", title: "Second Paper", abstract: ABSTRACT };

async function titlesOf(spec: string, cwd: string, sources: ReturnType<typeof testSources>) {
  return (await loadCorpus(spec, { cwd, sources })).papers.map((paper) => paper.title);
}

describe("refreshing sources", () => {
  it("asks with If-None-Match and keeps its papers, unparsed, on 304 Not Modified", async () => {
    const server = await feedServer();
    server.serve("/daily", { body: ownRecords([FIRST], "json"), etag: '"v1"' });
    const { cwd, cacheDir } = await workDir();
    const sources = testSources(cacheDir);
    const url = server.url("/daily");
    expect(await titlesOf(url, cwd, sources)).toEqual(["First Paper"]);

    // Same ETag, other bytes: only a client that sent If-None-Match gets the 304 and keeps "First Paper".
    server.serve("/daily", { body: ownRecords([SECOND], "json"), etag: '"v1"' });
    const report = await sources.refresh([url]);

    expect(report).toEqual({ changed: [], failed: [] });
    expect(server.requestsFor("/daily")[1]?.headers["if-none-match"]).toBe('"v1"');
    expect(await titlesOf(url, cwd, sources)).toEqual(["First Paper"]);
    expect(sources.status()[0]).toMatchObject({ consecutiveFailures: 0, papers: 1 });
  });

  it("says when a fetched body is new (papers may follow), not on 304 nor on the same bytes again", async () => {
    const server = await feedServer();
    server.serve("/daily", { body: ownRecords([FIRST], "json"), etag: '"v1"' });
    const { cacheDir } = await workDir();
    const sources = testSources(cacheDir);
    const url = server.url("/daily");
    await sources.read(url);
    let newBodies = 0;
    const refresh = () => sources.refresh([url], undefined, () => newBodies++);

    expect(await refresh()).toEqual({ changed: [], failed: [] }); // 304
    server.serve("/daily", { body: ownRecords([FIRST], "json") }); // no ETag: the same bytes again
    expect(await refresh()).toEqual({ changed: [], failed: [] });
    expect(newBodies).toBe(0);
    server.serve("/daily", { body: ownRecords([FIRST, SECOND], "json") });
    expect(await refresh()).toEqual({ changed: [url], failed: [] });
    expect(newBodies).toBe(1);
  });

  it("keeps a failing source's papers, counts the failures, and adds the new papers once it recovers", async () => {
    const server = await feedServer();
    server.serve("/daily", { body: ownRecords([FIRST], "json") });
    const { cwd, cacheDir } = await workDir();
    const sources = testSources(cacheDir);
    const url = server.url("/daily");
    await sources.read(url);

    server.serve("/daily", { status: 503, body: "down for maintenance" });
    expect(await sources.refresh([url])).toEqual({ changed: [], failed: [url] });
    expect(await sources.refresh([url])).toEqual({ changed: [], failed: [url] });
    expect(sources.status()[0]).toMatchObject({
      consecutiveFailures: 2,
      totalFailures: 2,
      lastError: "HTTP 503 Service Unavailable",
      papers: 1,
    });
    const during = await loadCorpus(url, { cwd, sources });
    expect(during.papers.map((paper) => paper.title)).toEqual(["First Paper"]);
    expect(during.files[0]?.stale).toBe(true);

    server.serve("/daily", { body: ownRecords([SECOND], "json") });
    expect(await sources.refresh([url])).toEqual({ changed: [url], failed: [] });
    // The corpus grows: yesterday's papers kept, today's new ones after them.
    expect(await titlesOf(url, cwd, sources)).toEqual(["First Paper", "Second Paper"]);
    expect(sources.status()[0]).toMatchObject({ consecutiveFailures: 0, totalFailures: 2, papers: 2 });
    expect(sources.status()[0]?.failingSince).toBeUndefined();
  });

  it("gives up on a slow source at the timeout, keeping its papers", async () => {
    const server = await feedServer();
    server.serve("/slow", { body: ownRecords([FIRST], "json") });
    const { cwd, cacheDir } = await workDir();
    const sources = testSources(cacheDir, { timeoutMs: 100 });
    const url = server.url("/slow");
    await sources.read(url);

    server.serve("/slow", { body: ownRecords([SECOND], "json"), delayMs: 2_000 });
    expect(await sources.refresh([url])).toEqual({ changed: [], failed: [url] });

    expect(sources.status()[0]?.lastError).toBe("timed out after 100 ms");
    expect(await titlesOf(url, cwd, sources)).toEqual(["First Paper"]);
  });

  it("retries a 503 after the server's Retry-After and succeeds in the same refresh", async () => {
    const server = await feedServer();
    server.serve(
      "/daily",
      { status: 503, headers: { "retry-after": "0" } },
      { body: ownRecords([FIRST], "json") },
    );
    const { cwd, cacheDir } = await workDir();
    const sources = testSources(cacheDir, { retries: 2 });

    expect(await titlesOf(server.url("/daily"), cwd, sources)).toEqual(["First Paper"]);
    expect(server.requestsFor("/daily")).toHaveLength(2);
  });

  const longAbstract = `${ABSTRACT} ${"word ".repeat(380)}`;
  const manyRecords = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: `big-${i}`,
      title: `Big Paper ${i}`,
      abstract: longAbstract,
    }));

  it.each([
    [
      "an HTML error page",
      { status: 200, body: "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>" },
      /HTML page.*502 Bad Gateway/,
    ],
    [
      "a truncated body",
      { body: ownRecords([SECOND, FIRST], "json"), truncateAt: 60 },
      /network error|not valid JSON/,
    ],
    ["a truncated JSON array", { body: ownRecords([SECOND, FIRST], "json").slice(0, 80) }, /not valid JSON/],
    ["invalid XML", { body: '<?xml version="1.0"?><feed><entry><title>x</entry></feed>' }, /not valid XML/],
    [
      "XML that is no feed",
      { body: '<?xml version="1.0"?><catalog><book/></catalog>' },
      /is XML but not an Atom or RSS feed/,
    ],
    ["a JSON object instead of records", { body: '{"error":"Invalid date"}' }, /has no papers \(jsonl/],
    [
      "records of the wrong shape",
      { body: '[{"name":"x"},{"paper":{"id":7}}]' },
      /has no papers \(json: all 2 records/,
    ],
    ["an empty 200 response", { body: "" }, /empty response/],
    ["a 404", { status: 404, body: "not found" }, /HTTP 404/],
  ])("counts %s as an error for that source and keeps its papers", async (_name, response, error) => {
    const server = await feedServer();
    server.serve("/daily", { body: ownRecords([FIRST], "json") });
    const { cwd, cacheDir } = await workDir();
    const sources = testSources(cacheDir);
    const url = server.url("/daily");
    await sources.read(url);

    server.serve("/daily", response);
    expect(await sources.refresh([url])).toEqual({ changed: [], failed: [url] });

    expect(sources.status()[0]).toMatchObject({ consecutiveFailures: 1, papers: 1 });
    expect(sources.status()[0]?.lastError).toMatch(error);
    expect(await titlesOf(url, cwd, sources)).toEqual(["First Paper"]);
  });

  it("accepts a 10 MB response and refuses one past the size cap, keeping the papers it had", async () => {
    const server = await feedServer();
    const tenMb = ownRecords(manyRecords(5_200), "jsonl");
    expect(tenMb.length).toBeGreaterThan(10 * 1024 * 1024);
    server.serve("/big", { body: tenMb });
    const { cwd, cacheDir } = await workDir();
    const url = server.url("/big");

    // The default cap (20 MB) takes it.
    expect((await loadCorpus(url, { cwd, sources: testSources(cacheDir) })).papers).toHaveLength(5_200);

    const capped = testSources(cacheDir, { maxBytes: 1024 * 1024 });
    server.serve("/big", { body: ownRecords(manyRecords(5_300), "jsonl") });
    expect(await capped.refresh([url])).toEqual({ changed: [], failed: [url] });
    expect(capped.status()[0]?.lastError).toMatch(/too large/);
    expect((await loadCorpus(url, { cwd, sources: capped })).papers).toHaveLength(5_200);
  });

  it("still has every paper after a restart with the server down, from the disk cache", async () => {
    const server = await feedServer();
    const url = server.url("/daily");
    server.serve("/daily", { body: hfDailyPapers([{ ...FIRST, upvotes: 7 }]), etag: '"d1"' });
    const { cwd, cacheDir } = await workDir();
    const before = testSources(cacheDir);
    await before.read(url);
    server.serve("/daily", { body: hfDailyPapers([{ ...SECOND, upvotes: 9 }]), etag: '"d2"' });
    await before.refresh([url]);
    await server.close();

    const afterRestart = testSources(cacheDir);
    const { papers } = await loadCorpus(url, { cwd, sources: afterRestart });
    expect(papers.map((paper) => [paper.title, paper.upvotes])).toEqual([
      ["First Paper", 7],
      ["Second Paper", 9],
    ]);
    expect(await afterRestart.refresh([url])).toEqual({ changed: [], failed: [url] });
    expect(afterRestart.status()[0]?.lastError).toMatch(/network error/);
    expect(await titlesOf(url, cwd, afterRestart)).toEqual(["First Paper", "Second Paper"]);
  });

  it("sends the cached ETag after a restart, so an unchanged source is not downloaded again", async () => {
    const server = await feedServer();
    const url = server.url("/daily");
    server.serve("/daily", { body: ownRecords([FIRST], "json"), etag: '"e1"' });
    const { cwd, cacheDir } = await workDir();
    await testSources(cacheDir).read(url);

    const afterRestart = testSources(cacheDir);
    await loadCorpus(url, { cwd, sources: afterRestart });
    expect(server.requestsFor("/daily")).toHaveLength(1);
    expect(await afterRestart.refresh([url])).toEqual({ changed: [], failed: [] });
    expect(server.requestsFor("/daily")[1]?.headers["if-none-match"]).toBe('"e1"');
  });

  it("keeps one id for an arXiv paper across versions, with the newest version's text", async () => {
    const server = await feedServer();
    const url = server.url("/api/query");
    server.serve("/api/query", {
      body: arxivAtom([{ id: "2507.09080v1", title: "Draft Title", abstract: ABSTRACT }]),
    });
    const { cwd, cacheDir } = await workDir();
    const sources = testSources(cacheDir);
    await sources.read(url);

    server.serve("/api/query", {
      body: arxivAtom([{ id: "2507.09080v2", title: "Final Title", abstract: ABSTRACT }]),
    });
    await sources.refresh([url]);

    const { papers } = await loadCorpus(url, { cwd, sources });
    expect(papers.map((paper) => [paper.id, paper.title])).toEqual([["2507.09080", "Final Title"]]);
  });

  it("updates a paper's upvotes when the daily list is fetched again", async () => {
    const server = await feedServer();
    const url = server.url("/api/daily_papers");
    server.serve("/api/daily_papers", {
      body: hfDailyPapers([
        { ...FIRST, upvotes: 3 },
        { ...SECOND, upvotes: 1 },
      ]),
    });
    const { cwd, cacheDir } = await workDir();
    const sources = testSources(cacheDir);
    await sources.read(url);

    server.serve("/api/daily_papers", {
      body: hfDailyPapers([
        { ...SECOND, upvotes: 80 },
        { ...FIRST, upvotes: 5 },
      ]),
    });
    await sources.refresh([url]);

    const { papers } = await loadCorpus(url, { cwd, sources });
    // Each in its place, with today's upvotes and rank.
    expect(papers.map((paper) => [paper.title, paper.upvotes, paper.rank])).toEqual([
      ["First Paper", 5, 2],
      ["Second Paper", 80, 1],
    ]);
  });

  it("starts without the source when it is down and nothing is cached, and adds it once it answers", async () => {
    const server = await feedServer();
    const url = server.url("/daily");
    server.serve("/daily", { status: 500 });
    const { cwd, cacheDir } = await workDir();
    const { writeFile } = await import("node:fs/promises");
    await writeFile(
      path.join(cwd, "seed.jsonl"),
      ownRecords([{ id: "2401.00001", title: "Seed Paper", abstract: ABSTRACT }], "jsonl"),
    );
    const sources = testSources(cacheDir);

    const first = await loadCorpus(`seed.jsonl,${url}`, { cwd, sources });
    expect(first.papers.map((paper) => paper.title)).toEqual(["Seed Paper"]);
    expect(first.warnings.join("\n")).toMatch(/HTTP 500/);

    server.serve("/daily", { body: ownRecords([FIRST], "json") });
    expect(await sources.refresh([url])).toEqual({ changed: [url], failed: [] });
    expect(await titlesOf(`seed.jsonl,${url}`, cwd, sources)).toEqual(["Seed Paper", "First Paper"]);
  });
});

describe("the app with a live source in CORPUS", () => {
  it("puts a refresh's new papers into the catalog without a restart", async () => {
    const server = await feedServer();
    const url = server.url("/api/daily_papers");
    server.serve("/api/daily_papers", { body: hfDailyPapers([FIRST]) });
    const { cacheDir } = await workDir();
    const storeDir = await mkdtemp(path.join(tmpdir(), "sources-app-"));
    const config = loadConfig({
      CORPUS: url,
      CORPUS_WATCH: "false",
      STORE_URL: `sqlite://${path.join(storeDir, "store.sqlite")}`,
    });
    const app = await createApp(config, { sources: testSources(cacheDir) });
    try {
      expect(app.services.catalog.current.papers.map((paper) => paper.title)).toEqual(["First Paper"]);

      server.serve("/api/daily_papers", { body: hfDailyPapers([SECOND]) });
      await app.refreshSources();

      const catalog = app.services.catalog.current;
      expect(catalog.papers.map((paper) => paper.title)).toEqual(["First Paper", "Second Paper"]);
      expect(catalog.byId.has(SECOND.id)).toBe(true);
      expect(app.sources.status()).toMatchObject([{ url, papers: 2, consecutiveFailures: 0 }]);

      // Admins see each source's health in /digest status.
      const request = { invoker: consoleInvoker, channels: consoleChannels, services: app.services };
      await app.router.runLine("/digest setup", request);
      const status = await app.router.runLine("/digest status", request);
      expect(status.text).toContain(`Sources:\n✓ ${url}: 2 papers, last success`);
    } finally {
      await app.stop();
      await rm(storeDir, { recursive: true, force: true });
    }
  });
});
