import type { Paper } from "../core/paper.ts";
import { type LinearModelKind, learnProfile, type ProfileSource } from "../profiles/learn-profile.ts";
import type { TermVector } from "../search/index.ts";
import { closestLiked } from "./learned-taste.ts";
import { ageInDays, calendarDay, paperDay } from "./trending-score.ts";

/**
 * "For you": the papers one person's learned profile rates highest, fresher first:
 *
 *   score = relevance × freshness
 *
 * - relevance = w · x, where x is the paper's features (its index terms at their BM25F weight × idf,
 *   and its categories, see SearchIndex.paperVector) and w the person's profile: a logistic regression
 *   trained on the papers they rated 👍 against those rated 👎 and a fixed sample of unrated papers
 *   (see src/profiles/learn-profile.ts; docs/decisions/015-learned-profiles.md says why not the SVM).
 *   Only papers with relevance > 0 count.
 * - freshness = 0.5 ^ (age in days / HALF_LIFE_DAYS): a month-old paper counts half.
 *
 * Ranking is one query against the index over the profile's strongest terms. It never picks a paper the
 * person rated, and each pick names the 👍 paper it is most like (cosine of their vectors), to say why.
 */
export const HALF_LIFE_DAYS = 30;
/** Papers read from the profile's query, before freshness reorders them. */
const CANDIDATES = 400;
/** The most picks returned: ten pages of the command's default five. */
export const MAX_FOR_YOU_PICKS = 50;
/** Beyond this age freshness stops falling, so old corpora keep a relevance order. */
const OLDEST_AGE_DAYS = 3650;

export interface ProfileSearch extends ProfileSource {
  rankByWeights(
    weights: TermVector,
    limit: number,
  ): ReadonlyArray<{ readonly paper: Paper; readonly score: number }>;
}

export interface RatedPaper {
  readonly paperId: string;
  readonly value: "up" | "down";
}

export interface ForYouPick {
  readonly paper: Paper;
  readonly score: number;
  /** The id of the paper rated 👍 that this one is most like. */
  readonly becauseId: string;
}

/**
 * The best picks for `ratings` (newest first), best first, at most MAX_FOR_YOU_PICKS; ties by id, so the
 * same ratings and corpus always give the same order. `localDate` ("YYYY-MM-DD") is the day ages count to.
 */
export function forYou(
  index: ProfileSearch,
  ratings: readonly RatedPaper[],
  localDate: string,
  model: LinearModelKind = "logistic",
): ForYouPick[] {
  const localDay = calendarDay(localDate);
  if (localDay === undefined) throw new RangeError(`not a local date: ${localDate}`);
  const profile = learnProfile(index, ratings, model);
  if (profile === undefined) return [];
  const rated = new Set(ratings.map((rating) => rating.paperId));
  const scored = index
    .rankByWeights(profile.weights, CANDIDATES + rated.size)
    .filter(({ paper }) => !rated.has(paper.id))
    .map(({ paper, score }) => {
      const age = Math.min(ageInDays(paperDay(paper), localDay) ?? 0, OLDEST_AGE_DAYS);
      return { paper, score: score * 0.5 ** (age / HALF_LIFE_DAYS) };
    })
    .sort((a, b) => b.score - a.score || (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0))
    .slice(0, MAX_FOR_YOU_PICKS);
  return scored.map(({ paper, score }) => ({
    paper,
    score,
    becauseId: closestLiked(index.paperVector(paper.id), profile.liked),
  }));
}

/** How a rating is shown. */
export const RATING_EMOJI = { up: "👍", down: "👎" } as const;

/** Why a "for you" pick is there, in words: the paper rated 👍 it is most like. */
export function describeLike(likedTitle: string | undefined): string {
  return likedTitle ? `like “${likedTitle}”, which you rated 👍` : "like a paper you rated 👍";
}
