/**
 * A research paper as every part of the bot sees it, whatever file or feed it came from.
 * Optional fields are the ones only some sources have; code that ranks or renders must
 * work without them.
 */
export interface Paper {
  /** Stable id: the arXiv id (version suffix dropped) when known, else `t-` + a short hash of the normalised title. */
  readonly id: string;
  readonly title: string;
  readonly abstract: string;
  /** Author names in source order; empty when the source has none. */
  readonly authors: readonly string[];
  /** Landing page (arXiv abs page, Hugging Face paper page, or the record's own url). */
  readonly url?: string;
  readonly pdfUrl?: string;
  /** When the paper was published, ISO 8601. */
  readonly publishedAt?: string;
  /** When its latest version came out (arXiv's `<updated>`, a replacement's announce day), ISO 8601. */
  readonly updatedAt?: string;
  /** arXiv category codes ("cs.CL", "stat.ML"), primary first, without duplicates; absent when unknown. */
  readonly categories?: readonly string[];
  /** The day a curated list featured the paper (Hugging Face daily papers), ISO 8601. */
  readonly featuredAt?: string;
  readonly upvotes?: number;
  readonly comments?: number;
  /**
   * 1-based position in its source's list (the seed page and daily lists are in trending order): its
   * line in a file unless the record gives its own `rank`; for a live source, its place in the latest
   * fetch that listed it (a paper the source no longer lists keeps the rank it had then).
   */
  readonly rank: number;
  /** The file (or later, URL) the paper was read from, for messages and warnings. */
  readonly source: string;
}

/** Same title, abstract and authors: what the search index holds of a paper. */
export function sameIndexedText(a: Paper, b: Paper): boolean {
  return (
    a.title === b.title &&
    a.abstract === b.abstract &&
    a.authors.length === b.authors.length &&
    a.authors.every((name, i) => name === b.authors[i])
  );
}
