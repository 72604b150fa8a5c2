import { beforeAll, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { findMatches } from "../../src/search/snippet.ts";
import { normalizeText, termOf, tokenize } from "../../src/search/tokenize.ts";
import { loadSeedPapers } from "./seed-papers.ts";

/** The plain definition: every word of the text (Unicode letters and digits), normalised and stemmed. */
function everyWordMatching(text: string, terms: ReadonlySet<string>) {
  const matches: { term: string; word: string; start: number }[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const term = termOf(normalizeText(match[0]));
    if (term !== undefined && terms.has(term)) matches.push({ term, word: match[0], start: match.index });
  }
  return matches;
}

let papers: readonly Paper[];
beforeAll(async () => {
  papers = await loadSeedPapers();
});

describe("the words of a hit that a search highlights", () => {
  it("are every word whose term was searched, at its offset, in every seed title and abstract", () => {
    let checked = 0;
    for (const [i, paper] of papers.entries()) {
      // Terms from another paper's title (most words unmatched) and from the paper's own (many matched).
      const other = new Set(tokenize((papers[(i + 7) % papers.length] as Paper).title));
      const own = new Set(tokenize(paper.title));
      for (const terms of [other, own]) {
        for (const text of [paper.title, paper.abstract]) {
          expect(findMatches(text, terms)).toEqual(everyWordMatching(text, terms));
          checked++;
        }
      }
    }
    expect(checked).toBe(papers.length * 4);
  });

  it("finds capitalised, plural and verb forms, digits, and words beyond ASCII", () => {
    const terms = new Set(tokenize("cache studies decoding 7b naïve"));
    const text = "Caching helps: a Study of KV-caches decoded by 7B models, naively or Naïve.";
    expect(findMatches(text, terms).map((match) => match.word)).toEqual(
      everyWordMatching(text, terms).map((match) => match.word),
    );
    expect(findMatches(text, terms).map((match) => match.word)).toEqual([
      "Caching",
      "Study",
      "caches",
      "decoded",
      "7B",
      "Naïve",
    ]);
  });
});
