import type { TermVector } from "../search/index.ts";
import { type Example, type LinearModelKind, trainLinear } from "./linear-model.ts";

export type { LinearModelKind } from "./linear-model.ts";

/** What learning a profile needs of the index: each paper's features and an even sample of papers. */
export interface ProfileSource {
  paperVector(paperId: string): TermVector | undefined;
  spreadSample(count: number): string[];
}

export interface ProfileRating {
  readonly paperId: string;
  readonly value: "up" | "down";
}

/** A learned profile: one sparse weight per feature, and the 👍 papers' vectors, to say why a paper is picked. */
export interface Profile {
  readonly weights: TermVector;
  readonly liked: ReadonlyArray<{ readonly paperId: string; readonly vector: TermVector }>;
}

/** The most recent ratings of each kind that count. */
export const RATINGS_USED = 20;
/**
 * Unrated papers stand in as weak negatives, as every untagged paper does in arxiv-sanity-lite; a fixed
 * even sample of this many, the same for everyone on one index, keeps training to the rated papers plus
 * vectors worked out once per index.
 */
export const BACKGROUND_PAPERS = 200;
/** A 👎 weighs as much as this many unrated papers. */
const DOWN_WORTH = 10;
/** The regression's (and the SVM's) C, arxiv-sanity-lite's default; 0.003–0.03 measured within 0.02 of it (bench/feedback.ts). */
const COST = 0.01;
/** The profile keeps its strongest positive and negative weights: a query reads only their postings. */
export const PROFILE_TERMS = { positive: 100, negative: 32 } as const;

const backgrounds = new WeakMap<ProfileSource, ReadonlyArray<{ id: string; vector: TermVector }>>();

function background(source: ProfileSource): ReadonlyArray<{ id: string; vector: TermVector }> {
  let papers = backgrounds.get(source);
  if (papers === undefined) {
    papers = source.spreadSample(BACKGROUND_PAPERS).flatMap((id) => {
      const vector = source.paperVector(id);
      return vector === undefined ? [] : [{ id, vector }];
    });
    backgrounds.set(source, papers);
  }
  return papers;
}

/**
 * A person's (or a channel's) profile from their ratings, newest first: a linear model (logistic
 * regression unless told otherwise, see docs/decisions/015-learned-profiles.md) trained on the
 * vectors of the papers rated 👍 (positive) and 👎 (negative) and of the background sample (weak
 * negatives), classes balanced as LinearSVC's class_weight="balanced" does. Only the rated papers'
 * vectors are read per call, so retraining after a rating costs the same whatever the corpus size.
 * Undefined without a 👍 on a paper the index has.
 */
export function learnProfile(
  source: ProfileSource,
  ratings: readonly ProfileRating[],
  kind: LinearModelKind = "logistic",
): Profile | undefined {
  const vectorsOf = (value: ProfileRating["value"]) =>
    ratings
      .filter((rating) => rating.value === value)
      .slice(0, RATINGS_USED)
      .flatMap(({ paperId }) => {
        const vector = source.paperVector(paperId);
        return vector === undefined ? [] : [{ paperId, vector }];
      });
  const liked = vectorsOf("up");
  if (liked.length === 0) return undefined;
  const disliked = vectorsOf("down");
  const rated = new Set(ratings.map((rating) => rating.paperId));
  const unrated = background(source).filter((paper) => !rated.has(paper.id));
  const negativeWorth = disliked.length * DOWN_WORTH + unrated.length;
  const count = liked.length + negativeWorth;
  const positiveCost = (COST * count) / (2 * liked.length);
  const negativeCost = (COST * count) / (2 * Math.max(1, negativeWorth));
  const examples: Example[] = [
    ...liked.map(({ vector }): Example => ({ features: vector, label: 1, cost: positiveCost })),
    ...disliked.map(
      ({ vector }): Example => ({ features: vector, label: -1, cost: negativeCost * DOWN_WORTH }),
    ),
    ...unrated.map(({ vector }): Example => ({ features: vector, label: -1, cost: negativeCost })),
  ];
  return { weights: strongest(trainLinear(kind, examples)), liked };
}

/** The PROFILE_TERMS strongest weights of each sign; ties by feature, so the profile is deterministic. */
function strongest(weights: ReadonlyMap<string, number>): TermVector {
  const entries = [...weights].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const positive = entries.filter(([, w]) => w > 0).slice(0, PROFILE_TERMS.positive);
  const negative = entries
    .filter(([, w]) => w < 0)
    .slice(-PROFILE_TERMS.negative)
    .reverse();
  return new Map([...positive, ...negative]);
}
