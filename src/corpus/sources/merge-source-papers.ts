import type { Paper } from "../../paper.ts";
import type { Steps } from "../../steps.ts";

/** Past this, a source's oldest papers go: a year of busy arXiv listings is well under it. */
export const MAX_PAPERS_PER_SOURCE = 250_000;

/** Papers between pauses of {@link mergeSourcePapersSteps}. */
const STEP_PAPERS = 2_000;

/**
 * A source's papers after a fetch: the latest body's papers first, in its order (a daily list is in
 * trending order) and with its counts (new upvotes win), then every earlier paper the body no longer
 * lists, so the corpus grows day by day instead of holding only today's list. As steps that pause every
 * few thousand papers: a source holds up to 250k.
 */
export function* mergeSourcePapersSteps(
  latest: readonly Paper[],
  previous: readonly Paper[],
  max = MAX_PAPERS_PER_SOURCE,
): Steps<Paper[]> {
  const seen = new Set<string>();
  for (const paper of latest) seen.add(paper.id);
  const merged = latest.slice(0, max);
  let step = 0;
  for (const paper of previous) {
    if (merged.length >= max) break;
    if (++step % STEP_PAPERS === 0) yield;
    if (seen.has(paper.id)) continue;
    seen.add(paper.id);
    const rank = merged.length + 1;
    // Only a paper whose place changed becomes a new object: the rest stay shared with the last list.
    merged.push(paper.rank === rank ? paper : { ...paper, rank });
  }
  return merged;
}
