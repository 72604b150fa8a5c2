import type { Paper } from "../../paper.ts";

/** Past this, a source's oldest papers go: a year of busy arXiv listings is well under it. */
export const MAX_PAPERS_PER_SOURCE = 250_000;

/**
 * A source's papers after a fetch: the latest body's papers first, in its order (a daily list is in
 * trending order) and with its counts (new upvotes win), then every earlier paper the body no longer
 * lists, so the corpus grows day by day instead of holding only today's list.
 */
export function mergeSourcePapers(
  latest: readonly Paper[],
  previous: readonly Paper[],
  max = MAX_PAPERS_PER_SOURCE,
): Paper[] {
  const seen = new Set(latest.map((paper) => paper.id));
  const merged = latest.slice(0, max);
  for (const paper of previous) {
    if (merged.length >= max) break;
    if (seen.has(paper.id)) continue;
    seen.add(paper.id);
    const rank = merged.length + 1;
    merged.push(paper.rank === rank ? paper : { ...paper, rank });
  }
  return merged;
}
