import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { SearchIndex } from "../../src/search/index.ts";

function paper(id: string, title: string, categories: string[] | undefined, authors: string[] = []): Paper {
  return {
    id,
    title,
    abstract: `${title}. We study it closely.`,
    authors,
    rank: Number(id.slice(1)),
    source: "fixture",
    ...(categories === undefined ? {} : { categories }),
  };
}

const papers = [
  paper("p1", "Retrieval for long contexts", ["cs.CL", "cs.IR"], ["Ada Lovelace"]),
  paper("p2", "Retrieval of images", ["cs.CV"]),
  paper("p3", "Sparse retrieval models", ["cs.IR", "stat.ML"], ["Alan Turing"]),
  paper("p4", "Dark matter halos", ["astro-ph.GA"]),
  paper("p5", "Strings at low energy", ["hep-th"]),
  paper("p6", "Retrieval without a category", undefined),
];
const index = SearchIndex.build(papers);
const ids = (query: string) =>
  index
    .search(query, { limit: 10 })
    .hits.map((hit) => hit.paper.id)
    .sort();

describe("cat: filter", () => {
  it("keeps only the papers filed under that arXiv category, primary or cross-listed", () => {
    expect(ids("cat:cs.CL")).toEqual(["p1"]);
    expect(ids("cat:cs.IR")).toEqual(["p1", "p3"]);
    expect(ids("cat:hep-th")).toEqual(["p5"]);
  });

  it("ignores case, as people type codes either way", () => {
    expect(ids("cat:CS.cl")).toEqual(["p1"]);
    expect(ids("CAT:cs.CL")).toEqual(["p1"]);
  });

  it("takes a code without a subject class as the whole archive", () => {
    expect(ids("cat:cs")).toEqual(["p1", "p2", "p3"]);
    expect(ids("cat:cs.*")).toEqual(["p1", "p2", "p3"]);
    expect(ids("cat:astro-ph")).toEqual(["p4"]);
  });

  it("combines with words, phrases, author: and other cat: filters, all of which must hold", () => {
    expect(ids("cat:cs retrieval")).toEqual(["p1", "p2", "p3"]);
    expect(ids("retrieval cat:cs.IR")).toEqual(["p1", "p3"]);
    expect(ids('cat:cs "sparse retrieval"')).toEqual(["p3"]);
    expect(ids("cat:cs.IR author:turing")).toEqual(["p3"]);
    expect(ids("cat:cs.IR cat:cs.CL")).toEqual(["p1"]);
    // The any-word fallback for bare words still keeps to the category.
    expect(ids("cat:cs.CV retrieval zebras")).toEqual(["p2"]);
  });

  it("finds nothing for a category no paper has, rather than ignoring the filter", () => {
    expect(index.search("cat:math.AG retrieval").total).toBe(0);
    expect(index.search("cat:nonsense!").total).toBe(0);
  });

  it("counts every match, and a bare cat: with no code is not a word to search", () => {
    expect(index.search("cat:cs").total).toBe(3);
    expect(ids("retrieval cat:")).toEqual(["p1", "p2", "p3", "p6"]);
  });

  it("works for topics too: a subscription to cat:cs.IR matches those papers only", () => {
    expect([...index.matchAll("cat:cs.IR").keys()].sort()).toEqual(["p1", "p3"]);
    expect([...index.matchAll("retrieval cat:stat.ML").keys()]).toEqual(["p3"]);
  });

  it("answers a corpus without categories with nothing", () => {
    const plain = SearchIndex.build([paper("p1", "Retrieval", undefined)]);
    expect(plain.search("cat:cs.CL").total).toBe(0);
    expect(plain.search("retrieval").total).toBe(1);
  });
});
