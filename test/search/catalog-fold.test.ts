import { beforeAll, describe, expect, it } from "vitest";
import { buildCatalog, LiveCatalog } from "../../src/catalog/index.ts";
import type { Paper } from "../../src/core/paper.ts";
import { type DeltaBuilder, inThreadDeltaBuilder } from "../../src/search/delta-builder.ts";
import { loadSeedPapers } from "./seed-papers.ts";

let papers: readonly Paper[];

beforeAll(async () => {
  papers = await loadSeedPapers();
});

const titleSearch = (live: LiveCatalog, paper: Paper) =>
  live.current.index.search(paper.title, { limit: 100 }).hits.map((hit) => hit.paper.id);

/** Big enough a share that these merges never fold. */
const foldPolicy = { share: 0.5, papers: 50_000 };

/** A delta builder whose `gatedBuild`-th build waits until `release()`; `builds` counts each one's papers. */
function gatedBuilder(gatedBuild: number) {
  const builds: number[] = [];
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const builder: DeltaBuilder = {
    async build(batch, baseline) {
      builds.push(batch.length);
      if (builds.length === gatedBuild) await gate;
      return inThreadDeltaBuilder.build(batch, baseline);
    },
  };
  return { builder, builds, release };
}

describe("a live catalog taking merges", () => {
  it("keeps merged papers in a delta while it is small", async () => {
    const live = new LiveCatalog(buildCatalog(papers.slice(0, 180)));
    await live.merge(papers);
    await live.settled();
    const { index, byId } = live.current;
    expect(index.size).toBe(papers.length);
    expect(index.deltaSize).toBe(16);
    for (const paper of papers.slice(180)) {
      expect(titleSearch(live, paper)).toContain(paper.id);
      expect(byId.get(paper.id)).toBe(paper);
    }
    expect(byId.size).toBe(papers.length);
  });

  it("folds a large delta into a new main index, keeping papers merged during the fold", async () => {
    const live = new LiveCatalog(buildCatalog(papers.slice(0, 100)));
    // 40 new papers: past 10% of the main index, so a fold starts once this merge is in.
    await live.merge(papers.slice(0, 140));
    expect(live.current.index.deltaSize).toBe(40);
    // Merged while the fold runs: the fold began from the 140 papers and must not drop these.
    const merging = live.merge(papers);
    await merging;
    await live.settled();
    const { index, byId } = live.current;
    expect(index.size).toBe(papers.length);
    expect(index.deltaSize).toBe(0);
    expect(byId.size).toBe(papers.length);
    for (const paper of [papers[0], papers[120], papers[150], papers[195]] as Paper[]) {
      expect(titleSearch(live, paper)).toContain(paper.id);
      expect(byId.get(paper.id)).toBe(paper);
    }
  });

  it("rebuilds the deltas into one after the merge that made them many, without holding that merge", async () => {
    const { builder, builds, release } = gatedBuilder(5);
    const live = new LiveCatalog(buildCatalog(papers.slice(0, 176)), { deltaBuilder: builder, foldPolicy });
    for (const end of [180, 184, 188, 192]) await live.merge(papers.slice(0, end));
    // The fourth merge is in, its papers searchable, while the rebuild it made due waits at the gate.
    const latest = papers[190] as Paper;
    expect(titleSearch(live, latest)).toContain(latest.id);
    expect(live.current.index.deltaRebuildDue).toBe(true);
    release();
    await live.settled();
    expect(builds).toEqual([4, 4, 4, 4, 16]);
    expect(live.current.index.deltaRebuildDue).toBe(false);
    expect(live.current.index.deltaSize).toBe(16);
    for (const paper of papers.slice(176, 192)) expect(titleSearch(live, paper)).toContain(paper.id);
  });

  it("drops a rebuild of the deltas begun before a full reload", async () => {
    const { builder, release } = gatedBuilder(5);
    const live = new LiveCatalog(buildCatalog(papers.slice(0, 176)), { deltaBuilder: builder, foldPolicy });
    for (const end of [180, 184, 188, 192]) await live.merge(papers.slice(0, end));
    const reloaded = buildCatalog(papers.slice(0, 50));
    live.replace(reloaded);
    release();
    await live.settled();
    expect(live.current).toBe(reloaded);
  });

  it("drops a fold begun before a full reload, keeping the reloaded papers", async () => {
    const live = new LiveCatalog(buildCatalog(papers.slice(0, 100)));
    await live.merge(papers.slice(0, 140));
    const reloaded = buildCatalog(papers.slice(0, 50));
    live.replace(reloaded);
    await live.settled();
    expect(live.current).toBe(reloaded);
  });

  it("removes papers a source no longer has, and shows new counts of the ones it keeps", async () => {
    const live = new LiveCatalog(buildCatalog(papers));
    const kept = papers[7] as Paper;
    const gone = papers[8] as Paper;
    const next = papers
      .filter((paper) => paper !== gone)
      .map((paper) => (paper === kept ? { ...paper, upvotes: 4242 } : paper));
    await live.merge(next);
    const { index, byId } = live.current;
    expect(index.size).toBe(papers.length - 1);
    expect(index.deltaSize).toBe(0);
    expect(byId.has(gone.id)).toBe(false);
    expect(byId.get(kept.id)?.upvotes).toBe(4242);
    expect(titleSearch(live, gone)).not.toContain(gone.id);
    const hit = index.search(kept.title).hits.find((candidate) => candidate.paper.id === kept.id);
    expect(hit?.paper.upvotes).toBe(4242);
  });
});
