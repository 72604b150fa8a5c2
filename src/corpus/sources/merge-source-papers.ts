import type { Paper } from "../../paper.ts";
import type { Steps } from "../../steps.ts";

/** Past this, a source's oldest papers go: a year of busy arXiv listings is well under it. */
export const MAX_PAPERS_PER_SOURCE = 250_000;

/** Papers between pauses of {@link mergeSourcePapersSteps}. */
const STEP_PAPERS = 2_000;

/**
 * A source's papers after a fetch: the latest body's papers first, in its order (a daily list is in
 * trending order) and with its counts and ranks (new upvotes win), then every earlier paper the body no
 * longer lists, so the corpus grows day by day instead of holding only today's list. An earlier paper
 * keeps the rank its last listing gave it ("#3 on its list" stays true) and so stays the same object:
 * re-ranking them by their new place made every refresh a new copy of the whole source, which the
 * catalog then took for changed papers (swapped into the index, a new id map once they were a quarter
 * of it). As steps that pause every few thousand papers.
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
    merged.push(paper);
  }
  return merged;
}
