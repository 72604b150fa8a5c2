import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { SearchIndex } from "../../src/search/index.ts";

// Large enough that the builder's scratch (paper-term entries, author-word lists) grows several times
// past its first size: the seed corpus never leaves it.
const PAPER_COUNT = 3000;
const SHARED_WORDS = 500;
const SHARED_WORDS_PER_PAPER = 40;

/**
 * Letters-only spelling of a number in b..u ("b", "c", ..., "cb"), so words survive tokenising unchanged;
 * each word below ends in a letter outside b..u, so no word is a prefix of another (the last query word
 * also matches as a prefix).
 */
function letters(n: number): string {
  let text = "";
  let rest = n;
  do {
    text = String.fromCharCode(98 + (rest % 20)) + text;
    rest = Math.floor(rest / 20);
  } while (rest > 0);
  return text;
}

const sharedWord = (j: number) => `q${letters(j)}z`;
const sharedWordsOf = (i: number) =>
  Array.from({ length: SHARED_WORDS_PER_PAPER }, (_, k) => (i * 7 + k * 13) % SHARED_WORDS);
const markerOf = (i: number) => `marker${letters(i)}x`;
const surnameOf = (i: number) => `Zed${letters(i)}wy`;

const papers: Paper[] = Array.from({ length: PAPER_COUNT }, (_, i) => ({
  id: `p${i}`,
  title: `Study ${markerOf(i)} of shared topics`,
  abstract: sharedWordsOf(i).map(sharedWord).join(" "),
  authors: [`Ann ${surnameOf(i)}`, `Bo ${surnameOf(i + PAPER_COUNT)}`],
  rank: i + 1,
  source: "generated",
}));
const index = SearchIndex.build(papers);
const sample = [0, 1, 4095, 4096, PAPER_COUNT - 1].concat(
  Array.from({ length: 30 }, (_, k) => k * 97).filter((i) => i < PAPER_COUNT),
);

describe("a corpus of thousands of papers", () => {
  it("finds each paper by the one word only it has", () => {
    for (const i of sample.filter((i) => i < PAPER_COUNT)) {
      const result = index.search(markerOf(i));
      expect(result.total).toBe(1);
      expect(result.hits.map((hit) => hit.paper.id)).toEqual([`p${i}`]);
    }
  });

  it("finds each paper by either author's surname", () => {
    for (const i of sample.filter((i) => i < PAPER_COUNT)) {
      expect(index.search(`author:${surnameOf(i)}`).hits.map((hit) => hit.paper.id)).toEqual([`p${i}`]);
      expect(index.search(`author:${surnameOf(i + PAPER_COUNT)}`).hits.map((hit) => hit.paper.id)).toEqual([
        `p${i}`,
      ]);
    }
  });

  it("counts every paper that has a shared word, and only those", () => {
    for (const j of [0, 1, 250, SHARED_WORDS - 1]) {
      const having = papers.filter((_, i) => sharedWordsOf(i).includes(j)).map((paper) => paper.id);
      const result = index.search(sharedWord(j), { limit: 100 });
      expect(result.total).toBe(having.length);
      for (const hit of result.hits) expect(having).toContain(hit.paper.id);
    }
  });

  it("requires every word of a two-word query", () => {
    const both = papers.filter((_, i) => sharedWordsOf(i).includes(3) && sharedWordsOf(i).includes(16));
    const result = index.search(`${sharedWord(3)} ${sharedWord(16)}`, { limit: 100 });
    expect(both.length).toBeGreaterThan(0);
    expect(result.total).toBe(both.length);
    const bothIds = both.map((paper) => paper.id);
    for (const hit of result.hits) expect(bothIds).toContain(hit.paper.id);
  });
});
