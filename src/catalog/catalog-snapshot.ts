import type { Paper } from "../core/paper.ts";
import { SearchIndex } from "../search/index.ts";
import { TopicMatchCache } from "./topic-match-cache.ts";

/**
 * The papers and their search index as one immutable snapshot. A reload builds a whole new
 * snapshot and swaps it in, so a command that took the old one finishes on it untouched.
 */
export interface Catalog {
  readonly papers: readonly Paper[];
  readonly byId: ReadonlyMap<string, Paper>;
  readonly index: SearchIndex;
  /** The index's topic matches, each topic computed once per catalog (digests, alerts, subscribe). */
  readonly topics: TopicMatchCache;
  readonly loadedAt: Date;
}

/** The paper of `id`, as typed: its exact spelling first, then in lower case (ids are stored lower-case). */
export function findPaper(catalog: Pick<Catalog, "byId">, id: string): Paper | undefined {
  return catalog.byId.get(id) ?? catalog.byId.get(id.toLowerCase());
}

export function buildCatalog(papers: readonly Paper[], loadedAt = new Date()): Catalog {
  const index = SearchIndex.build(papers);
  return {
    papers,
    byId: new Map(papers.map((paper) => [paper.id, paper])),
    index,
    topics: new TopicMatchCache(index),
    loadedAt,
  };
}
