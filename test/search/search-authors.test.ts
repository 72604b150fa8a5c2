import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { SearchIndex } from "../../src/search/index.ts";

function paper(id: string, title: string, authors: string[], abstract = `${title}. A study.`): Paper {
  return { id, title, abstract, authors, rank: Number(id.slice(1)), source: "fixture" };
}

const papers = [
  paper("p1", "Attention Is All You Need", ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]),
  paper("p2", "FlashAttention: Fast and Memory-Efficient Exact Attention", ["Tri Dao", "Daniel Y. Fu"]),
  paper("p3", "Mamba: Linear-Time Sequence Modeling", ["Albert Gu", "Tri Dao"]),
  paper("p4", "Attention for graphs", ["Tri Nguyen", "Wei Dao"]),
  paper("p5", "Scaling attention to long context", ["Ashish Vaswani", "Jane Roe"]),
  paper("p6", "Convolutions revisited", ["Renée Müller"]),
];
const index = SearchIndex.build(papers);
const ids = (query: string) => index.search(query, { limit: 10 }).hits.map((hit) => hit.paper.id);

describe("author: filter", () => {
  it("keeps only that author's papers, ranked by the other words", () => {
    expect(ids("author:vaswani attention").sort()).toEqual(["p1", "p5"]);
    expect(ids("author:vaswani long context")).toEqual(["p5"]);
  });

  it("matches a quoted full name only as one author's name", () => {
    expect(ids('author:"Tri Dao"').sort()).toEqual(["p2", "p3"]);
    expect(ids('author:"tri dao" attention')).toEqual(["p2"]);
  });

  it("folds accents and corrects a misspelt name", () => {
    expect(ids("author:muller")).toEqual(["p6"]);
    const result = index.search("author:vaswanni");
    expect(result.corrections).toEqual([{ from: "vaswanni", to: "vaswani" }]);
    expect(result.hits.map((hit) => hit.paper.id).sort()).toEqual(["p1", "p5"]);
  });

  it("finds nothing for an author nobody is called", () => {
    expect(ids("author:zzyzx attention")).toEqual([]);
  });

  it("also finds authors by plain words, as part of the full text", () => {
    expect(ids("shazeer")).toEqual(["p1"]);
  });
});

describe("an empty corpus", () => {
  it("answers every query with nothing", () => {
    const empty = SearchIndex.build([]);
    expect(empty.size).toBe(0);
    expect(empty.search("kv cache")).toEqual({ total: 0, hits: [], corrections: [] });
    expect(empty.matchAll("kv cache").size).toBe(0);
  });
});
