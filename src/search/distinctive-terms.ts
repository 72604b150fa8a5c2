import type { Paper } from "../core/paper.ts";
import { tokenize } from "./tokenize.ts";

/** A title word counts as much as this many abstract words: the title says what the paper is about. */
const TITLE_BOOST = 3;
/** Numbers ("30", "2024") and sizes ("7b", "128k", "10x") are quantities and years, not topics. */
const QUANTITY = /^[0-9]+[kmbxt]?$/;

/**
 * The terms of a paper's title and abstract that best tell what it is about, most telling first, by
 * tf-idf with the index's own idf and title words boosted (Lucene's MoreLikeThis, in short). Raw term
 * counts, not BM25's saturated ones: a paper that says "KV" nine times is about KV caches, even in a corpus
 * where many papers are. Terms no other paper has are skipped, since they cannot lead anywhere.
 * `frequency` and `idf` are the whole index's (every segment's live papers).
 */
export function distinctiveTerms(
  paper: Paper,
  frequency: (term: string) => number,
  idf: (term: string) => number,
  limit: number,
): string[] {
  const counts = new Map<string, number>();
  const usable = new Map<string, boolean>();
  const count = (terms: readonly string[], worth: number): void => {
    for (const term of terms) {
      let ok = usable.get(term);
      if (ok === undefined) {
        ok = !QUANTITY.test(term) && frequency(term) >= 2;
        usable.set(term, ok);
      }
      if (ok) counts.set(term, (counts.get(term) ?? 0) + worth);
    }
  };
  count(tokenize(paper.title), TITLE_BOOST);
  count(tokenize(paper.abstract), 1);
  const scored = [...counts].map(([term, tf]) => ({ term, score: tf * idf(term) }));
  // Ties keep text order, so a title word wins over an abstract word.
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map(({ term }) => term);
}
