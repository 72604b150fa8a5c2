import { beforeAll, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { SearchIndex, tokenize } from "../../src/search/index.ts";
import { loadSeedPapers, textOf } from "./seed-papers.ts";

let papers: readonly Paper[];
let index: SearchIndex;

beforeAll(async () => {
  papers = await loadSeedPapers();
  index = SearchIndex.build(papers);
});

function kvCachePaper(): Paper {
  const [top] = index.search("kv cache", { limit: 1 }).hits;
  if (top === undefined) throw new Error("the seed corpus has no KV-cache paper");
  return top.paper;
}

function paper(id: string, title: string, abstract: string): Paper {
  return { id, title, abstract, authors: [], rank: 1, source: "test" };
}

describe("papers similar to one paper, on the seed corpus", () => {
  it("lists mostly KV-cache and attention papers for a KV-cache paper", () => {
    const source = kvCachePaper();
    const { hits, total } = index.similar(source.id, { limit: 5 });
    expect(hits).toHaveLength(5);
    expect(total).toBeGreaterThan(5);
    const onTopic = hits.filter((hit) => /\bKV\b|cach|attention/i.test(hit.paper.title));
    expect(onTopic.length).toBeGreaterThanOrEqual(3);
  });

  it("never lists the paper itself, for any paper of the corpus", () => {
    for (const source of papers) {
      // The paper shares every one of its words with itself: were it a candidate, it would come first.
      const ids = index.similar(source.id, { limit: 10 }).hits.map((hit) => hit.paper.id);
      expect(ids, source.title).not.toContain(source.id);
      expect(new Set(ids).size, source.title).toBe(ids.length);
    }
  });

  it("pages without repeats, in the same order as one long page", () => {
    const source = kvCachePaper();
    const all = index.similar(source.id, { limit: 15 }).hits.map((hit) => hit.paper.id);
    const paged = [0, 5, 10].flatMap((offset) =>
      index.similar(source.id, { limit: 5, offset }).hits.map((hit) => hit.paper.id),
    );
    expect(new Set(paged).size).toBe(15);
    expect(paged).toEqual(all);
    const { total } = index.similar(source.id);
    expect(index.similar(source.id, { offset: total }).hits).toEqual([]);
  });

  it("explains each hit with words it shares with the paper, in a snippet around them", () => {
    const source = kvCachePaper();
    const sourceTerms = new Set(tokenize(textOf(source)));
    for (const hit of index.similar(source.id, { limit: 10 }).hits) {
      expect(hit.matchedTerms.length).toBeGreaterThan(0);
      for (const word of hit.matchedTerms) {
        expect(textOf(hit.paper)).toContain(word);
        expect(sourceTerms.has(tokenize(word)[0] ?? "")).toBe(true);
      }
      expect(hit.snippet.length).toBeLessThanOrEqual(202);
      expect(hit.matchedTerms.some((word) => hit.snippet.includes(word))).toBe(true);
    }
  });

  it("finds a paper by its id in any letter case", () => {
    const source = kvCachePaper();
    const ids = (id: string) => index.similar(id).hits.map((hit) => hit.paper.id);
    expect(ids(source.id.toUpperCase())).toEqual(ids(source.id));
  });

  it("answers an unknown or garbage id with an empty result, never an error", () => {
    for (const id of ["9999.99999", "", " ", "t-000000000000", "x".repeat(10_000), "\u0000"]) {
      expect(index.similar(id)).toEqual({ total: 0, hits: [], corrections: [] });
    }
    expect(SearchIndex.build([]).similar("2401.00001").hits).toEqual([]);
  });
});

describe("papers similar to one paper, on a small corpus", () => {
  const corpus = [
    paper(
      "a",
      "Mamba state space models",
      "Selective state space models scale linearly with sequence length.",
    ),
    paper("b", "Vision Mamba", "We adapt selective state space models to images."),
    paper("c", "Protein folding", "Predicting protein structure from sequence with deep networks."),
    paper("d", "Sourdough baking", "Wild yeast fermentation of bread dough."),
  ];

  it("ranks by shared distinctive words and leaves out papers sharing none", () => {
    const small = SearchIndex.build(corpus);
    const result = small.similar("a", { limit: 10 });
    expect(result.hits.map((hit) => hit.paper.id)).toEqual(["b", "c"]);
    expect(result.total).toBe(2);
    expect(result.hits[1]?.matchedTerms).toEqual(["sequence"]);
  });

  it("has nothing to offer for a paper whose words no other paper uses", () => {
    const small = SearchIndex.build(corpus);
    expect(small.similar("d")).toEqual({ total: 0, hits: [], corrections: [] });
  });
});
