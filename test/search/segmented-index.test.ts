import { beforeAll, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { type DeltaBuilder, inThreadDeltaBuilder } from "../../src/search/delta-builder.ts";
import { type IndexChanges, SearchIndex } from "../../src/search/index.ts";
import { loadSeedPapers, unseenPaper as tokenizers } from "./seed-papers.ts";

const NO_CHANGES: IndexChanges = { upserted: [], refreshed: [], removed: [] };

let papers: readonly Paper[];
/** One index over every seed paper. */
let whole: SearchIndex;
/** The same papers as a main segment of the first 176 and a delta of the last 20, merged in later. */
let segmented: SearchIndex;

beforeAll(async () => {
  papers = await loadSeedPapers();
  whole = SearchIndex.build(papers);
  const main = SearchIndex.build(papers.slice(0, 176));
  segmented = await main.withChanges({ ...NO_CHANGES, upserted: papers.slice(176) });
});

const ids = (result: { hits: readonly { paper: Paper }[] }) => result.hits.map((hit) => hit.paper.id);

describe("a search index made of a main segment and a delta", () => {
  it("counts every paper once and knows which are in the delta", () => {
    expect(segmented.size).toBe(papers.length);
    expect(segmented.deltaSize).toBe(20);
    expect(whole.deltaSize).toBe(0);
  });

  it.each([
    "speculative decoding",
    "quantization",
    "diffusion",
    "long context",
    "reasoning",
    '"memory efficient"',
    "retrieval augmented generation",
    "specualtive decoding",
    "speculative dec",
  ])("ranks %s as one index over all the papers does", (query) => {
    const expected = whole.search(query, { limit: 20 });
    const actual = segmented.search(query, { limit: 20 });
    expect(ids(actual)).toEqual(ids(expected));
    expect(actual.total).toBe(expected.total);
    expect(actual.corrections).toEqual(expected.corrections);
  });

  it.each(["kv cache", "attention", "language models", "vision language"])(
    "finds the same papers for %s with scores within 2%% of one index's",
    (query) => {
      // The main segment keeps the average field lengths of its own build (only a fold renews them), so
      // scores differ a little from one index over everything, and near-ties may swap places.
      const expected = whole.search(query, { limit: 100 });
      const actual = segmented.search(query, { limit: 100 });
      expect(actual.total).toBe(expected.total);
      expect(new Set(ids(actual))).toEqual(new Set(ids(expected)));
      const scores = new Map(expected.hits.map((hit) => [hit.paper.id, hit.score]));
      for (const hit of actual.hits) {
        expect(Math.abs(hit.score - (scores.get(hit.paper.id) ?? 0))).toBeLessThan(0.02 * hit.score);
      }
    },
  );

  it("pages across both segments without overlap, with the same total", () => {
    const all = segmented.search("language models", { limit: 15 });
    const pages = [0, 5, 10].map((offset) => segmented.search("language models", { limit: 5, offset }));
    expect(pages.flatMap(ids)).toEqual(ids(all));
    for (const page of pages) expect(page.total).toBe(whole.search("language models").total);
    expect(segmented.search("language models", { offset: all.total }).hits).toEqual([]);
    // Some of the hits come from each segment.
    const delta = new Set(papers.slice(176).map((paper) => paper.id));
    const hits = segmented.search("language models", { limit: 100 }).hits;
    expect(hits.some((hit) => delta.has(hit.paper.id))).toBe(true);
    expect(hits.some((hit) => !delta.has(hit.paper.id))).toBe(true);
  });

  it("matches topics across both segments", () => {
    for (const topic of ["kv cache", "reasoning", "speculative decoding"]) {
      expect(new Set(segmented.matchAll(topic).keys())).toEqual(new Set(whole.matchAll(topic).keys()));
    }
    expect(segmented.matchAll("kv cache", { limit: 3 }).size).toBe(3);
  });

  it("finds papers like one in the delta among both segments, never the paper itself", () => {
    const source = papers[180] as Paper;
    const result = segmented.similar(source.id, { limit: 10 });
    expect(result.total).toBe(whole.similar(source.id).total);
    expect(new Set(ids(result))).toEqual(new Set(ids(whole.similar(source.id, { limit: 10 }))));
    expect(ids(result)).not.toContain(source.id);
  });

  it("corrects a typo to a word only the delta has, and completes its prefix", async () => {
    const withNew = await segmented.withChanges({ ...NO_CHANGES, upserted: [tokenizers] });
    const typo = withNew.search("quasicrystaline tokenizers");
    expect(typo.corrections).toEqual([{ from: "quasicrystaline", to: "quasicrystalline" }]);
    expect(ids(typo)).toEqual([tokenizers.id]);
    expect(ids(withNew.search("aperiodic quasicryst"))).toEqual([tokenizers.id]);
    expect(ids(withNew.search("author:penrose"))).toEqual([tokenizers.id]);
    // Words that both segments have find the new paper among the old ones.
    const both = ids(withNew.search("decoding cost", { limit: 100 }));
    expect(both).toContain(tokenizers.id);
    expect(both.length).toBeGreaterThan(1);
  });

  it("finds a replaced paper by its new title and not by its old one", async () => {
    const old = papers[10] as Paper;
    const replaced: Paper = {
      ...old,
      title: "Holographic Reservoir Sampling for Streaming Graphs",
      abstract: "A reservoir sampler for graph streams that keeps a holographic summary of every edge.",
    };
    const index = await segmented.withChanges({ ...NO_CHANGES, upserted: [replaced] });
    expect(index.size).toBe(papers.length);
    expect(index.deltaSize).toBe(21);
    const byNewTitle = index.search("holographic reservoir sampling");
    expect(ids(byNewTitle)).toEqual([old.id]);
    expect(byNewTitle.hits[0]?.paper.title).toBe(replaced.title);
    expect(ids(index.search(old.title, { limit: 100 }))).not.toContain(old.id);
    expect(ids(whole.search(old.title, { limit: 100 }))).toContain(old.id);
  });

  it("shows new upvotes in hits without re-indexing a paper whose text is unchanged", async () => {
    const paper = papers[3] as Paper;
    const index = await segmented.withChanges({ ...NO_CHANGES, refreshed: [{ ...paper, upvotes: 999 }] });
    expect(index.deltaSize).toBe(20);
    const hit = index.search(paper.title).hits.find((candidate) => candidate.paper.id === paper.id);
    expect(hit?.paper.upvotes).toBe(999);
    // The index it came from is untouched: a command that took it finishes on the old papers.
    const before = segmented.search(paper.title).hits.find((candidate) => candidate.paper.id === paper.id);
    expect(before?.paper.upvotes).toBe(paper.upvotes);
  });

  it("forgets a removed paper everywhere", async () => {
    const gone = papers[180] as Paper;
    const mainGone = papers[5] as Paper;
    const index = await segmented.withChanges({ ...NO_CHANGES, removed: [gone.id, mainGone.id] });
    expect(index.size).toBe(papers.length - 2);
    expect(index.deltaSize).toBe(19);
    for (const paper of [gone, mainGone]) {
      expect(ids(index.search(paper.title, { limit: 100 }))).not.toContain(paper.id);
      expect(index.similar(paper.id).total).toBe(0);
    }
  });
});

describe("a search index after many merges", () => {
  it("builds each merge's papers alone, rebuilds the deltas into one once they are many, and answers as one index", async () => {
    const built: number[] = [];
    const countingBuilder: DeltaBuilder = {
      build: (batch, baseline) => {
        built.push(batch.length);
        return inThreadDeltaBuilder.build(batch, baseline);
      },
    };
    let index = SearchIndex.build(papers.slice(0, 176));
    // Six merges of the last 20 papers, a few at a time; along the way, a paper of an earlier merge gets
    // new upvotes and one is re-indexed with a new abstract, both while they sit in an older delta.
    const batches = [papers.slice(176, 180), papers.slice(180, 184), papers.slice(184, 188)];
    for (const batch of batches)
      index = await index.withChanges({ ...NO_CHANGES, upserted: batch }, { deltaBuilder: countingBuilder });
    const upvoted = { ...(papers[177] as Paper), upvotes: 4242 };
    index = await index.withChanges(
      { ...NO_CHANGES, refreshed: [upvoted], upserted: papers.slice(188, 192) },
      { deltaBuilder: countingBuilder },
    );
    expect(index.deltaRebuildDue).toBe(true);
    index = await index.withDeltasRebuilt({ deltaBuilder: countingBuilder });
    expect(index.deltaRebuildDue).toBe(false);
    const rewritten = {
      ...(papers[181] as Paper),
      abstract: `${(papers[181] as Paper).abstract} Holographic reservoirs.`,
    };
    index = await index.withChanges(
      { ...NO_CHANGES, upserted: [rewritten, ...papers.slice(192, 194)] },
      { deltaBuilder: countingBuilder },
    );
    index = await index.withChanges(
      { ...NO_CHANGES, upserted: papers.slice(194) },
      { deltaBuilder: countingBuilder },
    );

    // Every merge built only its own papers; after the fourth, its four deltas were rebuilt into one
    // (their 16 papers); the rewritten paper's old copy in it is tombstoned by the fifth merge.
    expect(built).toEqual([4, 4, 4, 4, 16, 3, 2]);
    expect(index.size).toBe(papers.length);
    expect(index.deltaSize).toBe(20);
    // One index over the same papers (the rewritten one with its new abstract) ranks them the same.
    const same = SearchIndex.build(papers.map((paper) => (paper.id === rewritten.id ? rewritten : paper)));
    for (const query of [
      "speculative decoding",
      "quantization",
      "diffusion",
      "reasoning",
      '"memory efficient"',
    ]) {
      expect(ids(index.search(query, { limit: 20 }))).toEqual(ids(same.search(query, { limit: 20 })));
    }
    expect(index.search(upvoted.title).hits.find((hit) => hit.paper.id === upvoted.id)?.paper.upvotes).toBe(
      4242,
    );
    expect(ids(index.search("holographic reservoirs"))).toEqual([rewritten.id]);
  });
});
