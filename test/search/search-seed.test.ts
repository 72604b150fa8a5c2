import { beforeAll, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { SearchIndex } from "../../src/search/index.ts";
import { loadSeedPapers, textOf } from "./seed-papers.ts";

let papers: readonly Paper[];
let index: SearchIndex;

beforeAll(async () => {
  papers = await loadSeedPapers();
  index = SearchIndex.build(papers);
});

describe("search on the seed corpus", () => {
  it("indexes every paper", () => {
    expect(papers.length).toBeGreaterThan(150);
    expect(index.size).toBe(papers.length);
  });

  it("puts KV-cache papers first for kv cache", () => {
    const { hits, total } = index.search("kv cache", { limit: 5 });
    expect(hits).toHaveLength(5);
    expect(total).toBeGreaterThanOrEqual(5);
    for (const hit of hits) expect(hit.paper.title).toMatch(/\bKV\b|Key-Value/i);
  });

  it("corrects a typo and finds the speculative-decoding papers", () => {
    const { hits, corrections } = index.search("specualtive decoding");
    expect(corrections).toEqual([{ from: "specualtive", to: "speculative" }]);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(textOf(hit.paper)).toMatch(/speculative/i);
    expect(hits.filter((hit) => /speculative decoding/i.test(hit.paper.title)).length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it("matches a quoted phrase only where its words are adjacent", () => {
    const loose = index.search("memory efficient", { limit: 100 });
    const phrase = index.search('"memory efficient"', { limit: 100 });
    expect(phrase.total).toBeGreaterThan(0);
    expect(phrase.total).toBeLessThan(loose.total);
    for (const hit of phrase.hits) expect(textOf(hit.paper)).toMatch(/memory[\s-]+efficient\b/i);
    const adjacentOnly = loose.hits.filter((hit) => /memory[\s-]+efficient\b/i.test(textOf(hit.paper)));
    expect(phrase.total).toBe(adjacentOnly.length);
  });

  it("completes the last word as a prefix", () => {
    const { hits, total } = index.search("speculative dec");
    expect(total).toBeGreaterThan(0);
    for (const hit of hits) expect(textOf(hit.paper)).toMatch(/speculative/i);
    expect(hits.some((hit) => /decoding/i.test(hit.paper.title))).toBe(true);
    expect(index.search("speculative").total).toBeGreaterThanOrEqual(total);
  });

  it("pages without overlap, in the same order as one long page", () => {
    const all = index.search("language models", { limit: 15 });
    const pages = [0, 5, 10].map((offset) => index.search("language models", { limit: 5, offset }));
    const paged = pages.flatMap((page) => page.hits.map((hit) => hit.paper.id));
    expect(new Set(paged).size).toBe(15);
    expect(paged).toEqual(all.hits.map((hit) => hit.paper.id));
    expect(index.search("language models", { offset: all.total }).hits).toEqual([]);
  });

  it("gives each hit a short snippet around a matched word, cut at word boundaries", () => {
    const { hits } = index.search("quantization", { limit: 5 });
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(hit.snippet.length).toBeLessThanOrEqual(202);
      expect(hit.snippet).toMatch(/quantiz/i);
      expect(hit.matchedTerms.length).toBeGreaterThan(0);
      const body = hit.snippet.replace(/^…|…$/g, "");
      // Every word of the snippet is a whole word of the abstract (no word cut in half).
      const words = hit.paper.abstract.replace(/\s+/g, " ").split(" ");
      expect(words).toContain(body.split(" ")[0]);
      if (hit.snippet.endsWith("…")) expect(hit.paper.abstract.replace(/\s+/g, " ")).toContain(`${body} `);
    }
  });

  it("returns no hits and never throws for garbage queries", () => {
    const garbage = [
      "",
      "   ",
      "!!! ??? ...",
      '"""',
      "author:",
      'author:""',
      "\u0000\u0001\u001b",
      "x".repeat(10_000),
      "the of and",
    ];
    for (const query of garbage) {
      const result = index.search(query);
      expect(result.hits, JSON.stringify(query.slice(0, 20))).toEqual([]);
      expect(result.total).toBe(0);
    }
    expect(index.search("kv cache", { limit: Number.NaN, offset: -3 }).hits).toHaveLength(5);
  });

  it("matchAll returns every paper with all the topic's words, best first", () => {
    const matches = index.matchAll("kv cache");
    const expected = papers.filter((paper) => /\bkv\b/i.test(textOf(paper)) && /\bcach/i.test(textOf(paper)));
    expect(new Set(matches.keys())).toEqual(new Set(expected.map((paper) => paper.id)));
    const scores = [...matches.values()];
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(index.matchAll("kv cache", { limit: 3 }).size).toBe(3);
    expect(index.matchAll("zzzqqq unknownword").size).toBe(0);
  });
});
