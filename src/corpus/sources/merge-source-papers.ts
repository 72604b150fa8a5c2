import type { Paper } from "../../core/paper.ts";
import type { Steps } from "../../runtime/steps.ts";

/** Past this, a source's oldest papers go: a year of busy arXiv listings is well under it. */
export const MAX_PAPERS_PER_SOURCE = 250_000;

/** Papers between pauses of {@link mergeSourcePapersSteps}. */
const STEP_PAPERS = 2_000;

/**
 * A source's papers after a fetch, in a stable order: the earlier papers in their order, each one the
 * latest body lists again replaced in place by the body's version (its counts and rank: new upvotes
 * win), then the body's papers new to the source, appended in the body's order (a daily list is in
 * trending order). So the corpus grows day by day instead of holding only today's list, and a refresh
 * leaves every earlier paper where it was: the catalog and the deduplication (first copy wins) redo
 * only the replaced and the appended papers, not the whole source. An earlier paper the body no longer
 * lists keeps the rank its last listing gave it ("#3 on its list" stays true) and stays the same
 * object. A paper twice in the body: its first copy wins. Past `max` papers the oldest go: the first of
 * that order. The source worker writes the cache in the same order (write-merged-cache.ts). As steps
 * that pause every few thousand papers.
 */
export function* mergeSourcePapersSteps(
  latest: readonly Paper[],
  previous: readonly Paper[],
  max = MAX_PAPERS_PER_SOURCE,
): Steps<Paper[]> {
  const listed = listedPapers(latest);
  const placed = new Set<string>();
  const merged: Paper[] = [];
  let step = 0;
  for (const paper of previous) {
    if (++step % STEP_PAPERS === 0) yield;
    if (placed.has(paper.id)) continue;
    placed.add(paper.id);
    merged.push(listed.get(paper.id) ?? paper);
  }
  for (const paper of listed.values()) {
    if (++step % STEP_PAPERS === 0) yield;
    if (!placed.has(paper.id)) merged.push(paper);
  }
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

/**
 * The body's papers by id, each id's first copy, in the body's order: the version that replaces a
 * paper in place, in memory (above) and in the cache file (write-merged-cache.ts) alike.
 */
export function listedPapers(latest: readonly Paper[]): Map<string, Paper> {
  const listed = new Map<string, Paper>();
  for (const paper of latest) if (!listed.has(paper.id)) listed.set(paper.id, paper);
  return listed;
}
