import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type CorpusLoadResult, loadCorpus, refreshSourcesOf } from "../../src/corpus/load-corpus.ts";
import { TrailingDedupe } from "../../src/corpus/trailing-dedupe.ts";
import { type FeedPaper, hfDailyPapers, ownRecords } from "../fakes/paper-feeds/feed-fixtures.ts";
import { ABSTRACT, feedServer, testSources, workDir } from "./sources/source-setup.ts";

const paper = (id: string, title: string, upvotes?: number): FeedPaper => ({
  id,
  title,
  abstract: ABSTRACT,
  ...(upvotes === undefined ? {} : { upvotes }),
});

const LOCAL = [paper("s-1", "Sparse Attention at Scale"), paper("s-2", "Graph Sparsifiers Revisited")];
// The daily list's first paper is the local file's first one (by title): it lends it its upvotes.
const A1 = (upvotes: number) => paper("2507.00001", "Sparse attention at scale", upvotes);
const A2 = (upvotes: number) => paper("2507.00002", "Holographic Reservoirs", upvotes);
const A3 = paper("2507.00003", "Aperiodic Samplers", 4);
const A4 = paper("2507.00004", "Quasicrystalline Tokenizers", 1);
const B1 = paper("2507.10001", "Reservoir Sampling Without Reservoirs");
const B2 = (upvotes: number) => paper("2507.10002", "Tokenizers Without Vocabularies", upvotes);
const B3 = paper("2507.10003", "Spectral Graph Pruning");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the corpus after a refresh of its live sources", () => {
  it("is what loading everything again gives, day after day, and only the changes are deduplicated", async () => {
    const server = await feedServer();
    const daily = server.url("/daily_papers");
    const feed = server.url("/feed.jsonl");
    const { cwd, cacheDir } = await workDir();
    await writeFile(path.join(cwd, "local.jsonl"), ownRecords(LOCAL, "jsonl"));
    const spec = `local.jsonl,${daily},${feed}`;
    const sources = testSources(cacheDir);
    const days: Array<{ daily: FeedPaper[]; feed: FeedPaper[]; rescans: number }> = [
      // New upvotes for papers listed again, papers new to each source, a paper no longer listed.
      { daily: [A2(9), A3], feed: [B1, B2(1)], rescans: 0 },
      { daily: [A1(30), A4], feed: [B2(5), B3], rescans: 0 },
      // The daily list now brings a paper the later source has: in CORPUS order its copy comes first,
      // and the later source's paper is a duplicate: the sources are deduplicated afresh.
      { daily: [A4, paper("2507.00005", "Spectral graph pruning", 2)], feed: [B3], rescans: 1 },
    ];
    server.serve("/daily_papers", { body: hfDailyPapers([A1(3), A2(5)]) });
    server.serve("/feed.jsonl", { body: ownRecords([B1], "jsonl") });
    try {
      let corpus: CorpusLoadResult = await loadCorpus(spec, { cwd, sources });
      for (const day of days) {
        server.serve("/daily_papers", { body: hfDailyPapers(day.daily) });
        server.serve("/feed.jsonl", { body: ownRecords(day.feed, "jsonl") });
        const { changed } = await sources.refresh([daily, feed]);
        expect(changed).toHaveLength(2);
        const scans = vi.spyOn(TrailingDedupe, "scanSteps");
        const refreshed = await refreshSourcesOf(corpus, changed, sources);
        expect(scans).toHaveBeenCalledTimes(day.rescans);
        scans.mockRestore();

        const reloaded = await loadCorpus(spec, { cwd, sources });
        expect(refreshed?.papers).toEqual(reloaded.papers);
        expect(refreshed?.files.map((file) => file.duplicates)).toEqual(
          reloaded.files.map((file) => file.duplicates),
        );
        corpus = refreshed as CorpusLoadResult;
      }
      const byId = new Map(corpus.papers.map((kept) => [kept.id, kept]));
      // The local paper carries the latest upvotes of its copy in the daily list.
      expect(byId.get("s-1")?.upvotes).toBe(30);
      expect(byId.get("2507.10002")?.upvotes).toBe(5);
      expect(byId.has("2507.10003")).toBe(false);
      expect(corpus.files.map((file) => file.duplicates)).toEqual([0, 1, 1]);
    } finally {
      await sources.close();
    }
  });
});
