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
  /** What only some sources tell; absent (not empty) on a paper that has none, so it costs that paper nothing. */
  readonly extras?: PaperExtras;
}

/**
 * Enrichment a source gives for some papers: a summary, code and project links, where it was published.
 * Every field is cleaned and bounded when the paper is built (src/corpus/clean-extras.ts): text is one
 * line, links are http(s), stars a whole number from 0. An object has at least one field.
 */
export interface PaperExtras {
  /** A one-line summary written by the source, never by the bot (Hugging Face's `ai_summary`). */
  readonly tldr?: string;
  /** Whose summary `tldr` is, shown with it: "Hugging Face". */
  readonly tldrBy?: string;
  /** The paper's code repository. */
  readonly codeUrl?: string;
  /** The repository's stars when the source last counted them. */
  readonly codeStars?: number;
  /** The paper's project page. */
  readonly projectUrl?: string;
  /** The authors' arXiv comment: "Accepted at NeurIPS 2025", "12 pages, 3 figures". */
  readonly arxivComment?: string;
  /** Where it was published, as arXiv's `journal_ref` gives it: "Phys. Rev. D 76, 013009 (2007)". */
  readonly journalRef?: string;
  /** The published version's DOI, bare: "10.1103/PhysRevD.76.013009". */
  readonly doi?: string;
}

/** The extras' keys in one fixed order: for the readers, the cache, the merges and the snapshot alike. */
export const EXTRA_TEXT_KEYS = [
  "tldr",
  "tldrBy",
  "codeUrl",
  "projectUrl",
  "arxivComment",
  "journalRef",
  "doi",
] as const satisfies readonly (keyof PaperExtras)[];

/** Same title, abstract and authors: what the search index holds of a paper. */
export function sameIndexedText(a: Paper, b: Paper): boolean {
  return (
    a.title === b.title &&
    a.abstract === b.abstract &&
    a.authors.length === b.authors.length &&
    a.authors.every((name, i) => name === b.authors[i])
  );
}
