import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type App, createApp } from "../../../src/app.ts";
import { loadConfig } from "../../../src/config.ts";
import { consoleChannels, consoleInvoker } from "../../../src/platforms/console/console-channel.ts";
import { hfDailyPapers, ownRecords } from "../../fakes/paper-feeds/feed-fixtures.ts";
import { ABSTRACT, feedServer, testSources, workDir } from "./source-setup.ts";

const LOCAL = { id: "2401.00001", title: "Local Seed Paper on Graph Sparsifiers", abstract: ABSTRACT };
const LOCAL_LATER = {
  id: "2401.00002",
  title: "Local Later Paper on Quasicrystalline Tokenizers",
  abstract: ABSTRACT,
};
const DAILY = { id: "2507.00001", title: "Daily Paper on Holographic Reservoirs", abstract: ABSTRACT };
const DAILY_NEXT = { id: "2507.00002", title: "Next Daily Paper on Aperiodic Samplers", abstract: ABSTRACT };

const apps: App[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The app on CORPUS = a local JSONL file with LOCAL, then the source at `url`. */
async function startApp(url: string): Promise<{ app: App; localFile: string }> {
  const { cwd, cacheDir } = await workDir();
  const localFile = path.join(cwd, "local.jsonl");
  await writeFile(localFile, ownRecords([LOCAL], "jsonl"));
  const storeDir = await mkdtemp(path.join(tmpdir(), "source-merge-"));
  dirs.push(storeDir);
  const config = loadConfig({
    CORPUS: `${localFile},${url}`,
    CORPUS_WATCH: "false",
    STORE_URL: `sqlite://${path.join(storeDir, "store.sqlite")}`,
  });
  const app = await createApp(config, { sources: testSources(cacheDir) });
  apps.push(app);
  return { app, localFile };
}

async function searchTitles(app: App, query: string): Promise<string[]> {
  const request = { invoker: consoleInvoker, channels: consoleChannels, services: app.services };
  const answer = await app.router.runLine(`/papers search ${query}`, request);
  return answer.cards.map((card) => card.title);
}

describe("a source refresh merged into the catalog", () => {
  it("makes the source's new paper searchable without reading the corpus files again", async () => {
    const server = await feedServer();
    const url = server.url("/daily.jsonl");
    server.serve("/daily.jsonl", { body: ownRecords([DAILY], "jsonl"), etag: '"d1"' });
    const { app, localFile } = await startApp(url);
    expect(await searchTitles(app, "aperiodic samplers")).toEqual([]);

    // A file changed without a reload (CORPUS_WATCH is off) and a source with a new paper.
    await appendFile(localFile, ownRecords([LOCAL_LATER], "jsonl"));
    server.serve("/daily.jsonl", { body: ownRecords([DAILY_NEXT], "jsonl"), etag: '"d2"' });
    await app.refreshSources();

    expect(await searchTitles(app, "aperiodic samplers")).toEqual([DAILY_NEXT.title]);
    expect(await searchTitles(app, "holographic reservoirs")).toEqual([DAILY.title]);
    // The source's papers came from memory: the local file was not read again.
    expect(await searchTitles(app, "quasicrystalline tokenizers")).toEqual([]);
    const catalog = app.services.catalog.current;
    expect(catalog.papers.map((paper) => paper.title)).toEqual([LOCAL.title, DAILY.title, DAILY_NEXT.title]);
    expect(catalog.byId.get(DAILY_NEXT.id)?.title).toBe(DAILY_NEXT.title);

    // A full reload (file change, SIGHUP) still reads every file.
    await app.reloadCorpus("test");
    expect(await searchTitles(app, "quasicrystalline tokenizers")).toEqual([LOCAL_LATER.title]);
    expect(await searchTitles(app, "aperiodic samplers")).toEqual([DAILY_NEXT.title]);
  });

  it("keeps the first copy's text when a source brings a paper a file already has, as loading does", async () => {
    const server = await feedServer();
    const url = server.url("/daily.jsonl");
    server.serve("/daily.jsonl", { body: ownRecords([DAILY], "jsonl"), etag: '"d1"' });
    const { app } = await startApp(url);

    const copy = { ...LOCAL, title: "Local Seed Paper on Graph Sparsifiers (Extended)", upvotes: 12 };
    server.serve("/daily.jsonl", { body: ownRecords([copy, DAILY], "jsonl"), etag: '"d2"' });
    await app.refreshSources();

    const catalog = app.services.catalog.current;
    expect(catalog.papers.map((paper) => paper.title)).toEqual([LOCAL.title, DAILY.title]);
    // The local file's copy wins; the source's copy only fills what it lacks.
    expect(catalog.byId.get(LOCAL.id)?.upvotes).toBe(12);
    expect(await searchTitles(app, "sparsifiers")).toEqual([LOCAL.title]);
  });

  it("shows a paper's new upvotes in search hits and in the picks' papers", async () => {
    const server = await feedServer();
    const url = server.url("/api/daily_papers");
    server.serve("/api/daily_papers", { body: hfDailyPapers([{ ...DAILY, upvotes: 3 }]) });
    const { app } = await startApp(url);

    server.serve("/api/daily_papers", {
      body: hfDailyPapers([
        { ...DAILY_NEXT, upvotes: 1 },
        { ...DAILY, upvotes: 80 },
      ]),
    });
    await app.refreshSources();

    const catalog = app.services.catalog.current;
    const hit = catalog.index.search("holographic reservoirs").hits[0];
    expect(hit?.paper.upvotes).toBe(80);
    expect(catalog.byId.get(DAILY.id)?.upvotes).toBe(80);
    expect(catalog.papers.find((paper) => paper.id === DAILY.id)?.upvotes).toBe(80);
    expect(await searchTitles(app, "aperiodic samplers")).toEqual([DAILY_NEXT.title]);
  });
});
