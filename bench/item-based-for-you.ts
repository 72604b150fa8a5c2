import type { Paper } from "../src/core/paper.ts";
import type { ForYouPick, RatedPaper } from "../src/picks/index.ts";
import { ageInDays, calendarDay, paperDay } from "../src/picks/trending-score.ts";

/**
 * The peer the learned profile replaced in `/papers foryou`: item-based tf-idf neighbours,
 *
 *   score = relevance × freshness
 *
 * - relevance = Σ over the papers rated 👍 of like(rated, p) − DISLIKE_WEIGHT × Σ over those rated
 *   👎 of like(rated, p), where like(rated, p) is p's "more like this" score for the rated paper
 *   (BM25F over the rated paper's most distinctive terms, the index's own), divided by the best
 *   score of that query, so every rated paper weighs the same. Only papers with relevance > 0 count.
 * - freshness = 0.5 ^ (age in days / HALF_LIFE_DAYS).
 *
 * One "more like this" query per rated paper, so its cost grows with the ratings.
 */
const HALF_LIFE_DAYS = 30;
const DISLIKE_WEIGHT = 0.5;
/** The most recent ratings of each kind that count: one "more like this" query each. */
const RATINGS_USED = 20;
/** Hits read per rated paper. */
const NEIGHBOURS = 100;
/** Beyond this age freshness stops falling, so old corpora keep a relevance order. */
const OLDEST_AGE_DAYS = 3650;

export interface LikeSearch {
  similar(
    paperId: string,
    options: { readonly limit: number },
  ): { readonly hits: readonly { readonly paper: Paper; readonly score: number }[] };
}

interface Relevance {
  readonly paper: Paper;
  sum: number;
  best: number;
  becauseId: string | undefined;
}

/**
 * Every paper with relevance > 0 for `ratings` (newest first), best first; ties by id, so the same
 * ratings and corpus always give the same order. `localDate` ("YYYY-MM-DD") is the day ages count to.
 */
export function itemBasedForYou(
  index: LikeSearch,
  ratings: readonly RatedPaper[],
  localDate: string,
): ForYouPick[] {
  const localDay = calendarDay(localDate);
  if (localDay === undefined) throw new RangeError(`not a local date: ${localDate}`);
  const rated = new Set(ratings.map((rating) => rating.paperId));
  const relevance = new Map<string, Relevance>();

  const accumulate = (ratedId: string, weight: number): void => {
    const { hits } = index.similar(ratedId, { limit: NEIGHBOURS });
    const top = hits[0]?.score ?? 0;
    if (!(top > 0)) return;
    for (const hit of hits) {
      if (rated.has(hit.paper.id)) continue;
      const like = hit.score / top;
      let entry = relevance.get(hit.paper.id);
      if (!entry) {
        entry = { paper: hit.paper, sum: 0, best: 0, becauseId: undefined };
        relevance.set(hit.paper.id, entry);
      }
      entry.sum += weight * like;
      if (weight > 0 && like > entry.best) {
        entry.best = like;
        entry.becauseId = ratedId;
      }
    }
  };
  const recent = (value: RatedPaper["value"]) =>
    ratings.filter((rating) => rating.value === value).slice(0, RATINGS_USED);
  for (const rating of recent("up")) accumulate(rating.paperId, 1);
  for (const rating of recent("down")) accumulate(rating.paperId, -DISLIKE_WEIGHT);

  const picks: ForYouPick[] = [];
  for (const entry of relevance.values()) {
    if (!(entry.sum > 0) || entry.becauseId === undefined) continue;
    const age = Math.min(ageInDays(paperDay(entry.paper), localDay) ?? 0, OLDEST_AGE_DAYS);
    picks.push({
      paper: entry.paper,
      score: entry.sum * 0.5 ** (age / HALF_LIFE_DAYS),
      becauseId: entry.becauseId,
    });
  }
  return picks.sort(
    (a, b) => b.score - a.score || (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0),
  );
}
