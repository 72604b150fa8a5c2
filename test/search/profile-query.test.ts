import { beforeAll, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { CATEGORY_FEATURE, SearchIndex } from "../../src/search/index.ts";
import { loadSeedPapers } from "./seed-papers.ts";

let papers: readonly Paper[];
let whole: SearchIndex;
let segmented: SearchIndex;

beforeAll(async () => {
  papers = await loadSeedPapers();
  whole = SearchIndex.build(papers);
  segmented = await SearchIndex.build(papers.slice(0, 176)).withChanges({
    upserted: papers.slice(176),
    refreshed: [],
    removed: [],
  });
});

const cosine = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number => {
  let product = 0;
  for (const [key, value] of a) product += value * (b.get(key) ?? 0);
  return product;
};

describe("profile queries", () => {
  it("gives each paper a unit-length vector of its index terms", () => {
    const vector = whole.paperVector(papers[0]?.id ?? "");
    expect(vector?.size).toBeGreaterThan(5);
    expect(cosine(vector ?? new Map(), vector ?? new Map())).toBeCloseTo(1, 6);
    expect(whole.paperVector("no-such-paper")).toBeUndefined();
  });

  it("ranks by the weighted sum over the given terms: a paper's own vector finds it first, with cosine scores", () => {
    for (const paper of papers.slice(170, 185)) {
      const vector = segmented.paperVector(paper.id) ?? new Map();
      const ranked = segmented.rankByWeights(vector, 5);
      expect(ranked[0]?.paper.id).toBe(paper.id);
      expect(ranked[0]?.score).toBeCloseTo(1, 4);
      const second = ranked[1];
      if (second) {
        expect(second.score).toBeCloseTo(
          cosine(vector, segmented.paperVector(second.paper.id) ?? new Map()),
          4,
        );
      }
    }
  });

  it("answers as one index over a main segment and a delta (the delta's weights are normalised apart, so within 0.01)", () => {
    const weights = new Map([
      ["cach", 1],
      ["kv", 0.5],
      ["imag", -2],
    ]);
    const of = (index: SearchIndex) =>
      new Map(index.rankByWeights(weights, 10).map((hit) => [hit.paper.id, hit.score]));
    const [one, two] = [of(whole), of(segmented)];
    expect([...two.keys()].sort()).toEqual([...one.keys()].sort());
    expect(one.size).toBe(10);
    for (const [id, score] of one) expect(two.get(id) ?? 0).toBeCloseTo(score, 2);
  });

  it("scores arXiv categories as features", () => {
    const withCategories = papers.slice(0, 20).map((paper, i) => ({
      ...paper,
      categories: i % 2 === 0 ? ["cs.CL"] : ["cs.CV"],
    }));
    const index = SearchIndex.build(withCategories);
    const ranked = index.rankByWeights(new Map([[`${CATEGORY_FEATURE}cs.cv`, 1]]), 20);
    expect(ranked.length).toBe(10);
    expect(ranked.every((hit) => hit.paper.categories?.includes("cs.CV"))).toBe(true);
    expect(index.paperVector(withCategories[1]?.id ?? "")?.has(`${CATEGORY_FEATURE}cs.cv`)).toBe(true);
  });
});
