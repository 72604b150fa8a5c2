import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import {
  type IndexChanges,
  SearchIndex,
  type SearchResult,
  WorkerDeltaBuilder,
} from "../../src/search/index.ts";
import { loadSeedPapers, unseenPaper as tokenizers } from "./seed-papers.ts";

const NO_CHANGES: IndexChanges = { upserted: [], refreshed: [], removed: [] };

/** What a user sees of a result: the papers in order, their scores, snippets and matched words, the total. */
const shown = (result: SearchResult) => ({
  total: result.total,
  corrections: result.corrections,
  hits: result.hits.map((hit) => ({
    id: hit.paper.id,
    upvotes: hit.paper.upvotes,
    score: hit.score,
    snippet: hit.snippet,
    matchedTerms: hit.matchedTerms,
  })),
});

const QUERIES = [
  "speculative decoding",
  "kv cache",
  "specualtive decoding",
  "speculative dec",
  '"memory efficient"',
  "attention",
  "quasicrystalline",
  "quasicrystaline tokenizers",
  "author:penrose",
  'author:"ada quasi" tokenizers',
];

let papers: readonly Paper[];
let main: SearchIndex;
const builder = new WorkerDeltaBuilder();

beforeAll(async () => {
  papers = await loadSeedPapers();
  main = SearchIndex.build(papers.slice(0, 150));
});

afterAll(() => builder.close());

/** The same changes applied on this thread and in the worker. */
async function bothWays(base: SearchIndex, changes: IndexChanges) {
  const here = await base.withChanges(changes);
  const worker = await base.withChanges(changes, { deltaBuilder: builder });
  return { here, worker };
}

describe("a delta segment built in a worker thread", () => {
  it("answers every query exactly as one built on the main thread", async () => {
    const { here, worker } = await bothWays(main, {
      ...NO_CHANGES,
      upserted: [...papers.slice(150), tokenizers],
    });
    expect(worker.deltaSize).toBe(papers.length - 150 + 1);
    for (const query of QUERIES) {
      expect(shown(worker.search(query, { limit: 20 })), query).toEqual(
        shown(here.search(query, { limit: 20 })),
      );
    }
    expect(worker.search("quasicrystalline").hits[0]?.paper.id).toBe(tokenizers.id);
    const similar = (index: SearchIndex) => shown(index.similar(tokenizers.id, { limit: 10 }));
    expect(similar(worker)).toEqual(similar(here));
  });

  it("keeps answering like the main thread over merges that replace, refresh and remove delta papers", async () => {
    let here = main;
    let worker = main;
    const day1 = { ...NO_CHANGES, upserted: [...papers.slice(150, 180), tokenizers] };
    const renamed: Paper = { ...tokenizers, title: "Aperiodic Tokenizers for Sequence Modeling", rank: 2 };
    const upvoted: Paper = { ...(papers[160] as Paper), upvotes: 4242 };
    const day2 = {
      upserted: [renamed, ...papers.slice(180)],
      refreshed: [upvoted],
      removed: [(papers[170] as Paper).id],
    };
    for (const changes of [day1, day2]) {
      here = await here.withChanges(changes);
      worker = await worker.withChanges(changes, { deltaBuilder: builder });
    }
    expect(worker.deltaSize).toBe(here.deltaSize);
    for (const query of [...QUERIES, "aperiodic tokenizers", (papers[160] as Paper).title]) {
      expect(shown(worker.search(query, { limit: 20 })), query).toEqual(
        shown(here.search(query, { limit: 20 })),
      );
    }
    expect(worker.search("quasicrystalline tokenizers").hits.map((hit) => hit.paper.title)).not.toContain(
      tokenizers.title,
    );
    expect(worker.search((papers[160] as Paper).title).hits[0]?.paper.upvotes).toBe(4242);
    expect(worker.search((papers[170] as Paper).title).hits.map((hit) => hit.paper.id)).not.toContain(
      (papers[170] as Paper).id,
    );
  });

  it("built every delta above in the worker, not on the main thread", () => {
    expect(builder.fallbacks).toBe(0);
  });

  it("builds the delta on the main thread when the worker cannot start, and the merge still lands", async () => {
    const broken = new WorkerDeltaBuilder({ module: new URL("./no-such-worker.ts", import.meta.url) });
    try {
      const changes = { ...NO_CHANGES, upserted: [tokenizers] };
      const index = await main.withChanges(changes, { deltaBuilder: broken });
      expect(broken.fallbacks).toBe(1);
      expect(index.search("quasicrystalline").hits[0]?.paper.id).toBe(tokenizers.id);
    } finally {
      await broken.close();
    }
  });

  it("starts its worker ahead of a build when told to, and ends it unused after the idle time", async () => {
    const early = new WorkerDeltaBuilder({ idleMs: 300 });
    try {
      early.prestart();
      expect(early.running).toBe(true);
      const changes = { ...NO_CHANGES, upserted: papers.slice(150, 170) };
      const worker = await main.withChanges(changes, { deltaBuilder: early });
      const here = await main.withChanges(changes);
      for (const query of QUERIES) {
        expect(shown(worker.search(query, { limit: 20 })), query).toEqual(
          shown(here.search(query, { limit: 20 })),
        );
      }
      expect(early.fallbacks).toBe(0);
      await expect.poll(() => early.running, { timeout: 5_000 }).toBe(false);
      early.prestart();
      expect(early.running).toBe(true);
      await expect.poll(() => early.running, { timeout: 5_000 }).toBe(false);
    } finally {
      await early.close();
    }
  });

  it("ends an idle worker and starts a new one for the next merge, which sends every text again", async () => {
    const idling = new WorkerDeltaBuilder({ idleMs: 50 });
    try {
      const day1 = await main.withChanges(
        { ...NO_CHANGES, upserted: papers.slice(150, 170) },
        { deltaBuilder: idling },
      );
      expect(idling.running).toBe(true);
      await expect.poll(() => idling.running, { timeout: 5_000 }).toBe(false);
      // The new worker holds no text of day 1's delta: all of it must be sent again for day 2's.
      const changes = { ...NO_CHANGES, upserted: [tokenizers] };
      const worker = await day1.withChanges(changes, { deltaBuilder: idling });
      const here = await day1.withChanges(changes);
      expect(worker.deltaSize).toBe(21);
      for (const query of QUERIES) {
        expect(shown(worker.search(query, { limit: 20 })), query).toEqual(
          shown(here.search(query, { limit: 20 })),
        );
      }
      expect(idling.fallbacks).toBe(0);
    } finally {
      await idling.close();
    }
  });

  it("starts a new worker for the next merge after it was closed", async () => {
    await builder.close();
    const { here, worker } = await bothWays(main, { ...NO_CHANGES, upserted: [tokenizers] });
    expect(shown(worker.search("quasicrystalline"))).toEqual(shown(here.search("quasicrystalline")));
    expect(worker.search("quasicrystalline").total).toBe(1);
    expect(builder.fallbacks).toBe(0);
  });
});
