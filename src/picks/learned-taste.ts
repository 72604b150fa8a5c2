import type { Paper } from "../core/paper.ts";
import {
  learnProfile,
  type Profile,
  type ProfileRating,
  type ProfileSource,
} from "../profiles/learn-profile.ts";
import type { TermVector } from "../search/index.ts";

/**
 * What a learned profile says of a candidate: how much it looks like the 👍 papers (w · x, the
 * logistic regression's margin without its bias: only the order matters), and which 👍 paper it
 * is most like, to say why it was picked.
 */
export interface Taste {
  relevance(paper: Paper): number;
  /** The title of the 👍 paper this one is most like (cosine of their vectors), when it is known. */
  likedTitle(paper: Paper): string | undefined;
}

/** Profiles kept per index, so a channel's is learned once per change of its ratings, not per digest. */
const PROFILES_KEPT = 256;
const learned = new WeakMap<
  ProfileSource,
  Map<string, { readonly fingerprint: string; readonly profile: Profile | undefined }>
>();

/**
 * The taste learned from `ratings` (newest first), or undefined without a 👍 the index knows.
 * `owner` names whose ratings they are (a channel's target key): the profile is kept for the same
 * owner and ratings, up to PROFILES_KEPT owners per index, least recently used out first.
 */
export function tasteOf(
  source: ProfileSource,
  owner: string,
  ratings: readonly ProfileRating[],
  titleOf: (paperId: string) => string | undefined,
): Taste | undefined {
  const profile = profileOf(source, owner, ratings);
  if (profile === undefined) return undefined;
  return {
    relevance: (paper) => dot(profile.weights, vectorOf(source, paper)),
    likedTitle: (paper) => titleOf(closestLiked(vectorOf(source, paper), profile.liked)),
  };
}

/**
 * Candidates' vectors, kept per index and paper: every learning channel's pool is drawn from the top
 * of the same trending list, and working a vector out of the postings is most of a learned digest's
 * cost. Only pool candidates get here, and a paper's entry goes with the paper.
 */
const vectors = new WeakMap<ProfileSource, WeakMap<Paper, TermVector | undefined>>();

function vectorOf(source: ProfileSource, paper: Paper): TermVector | undefined {
  let kept = vectors.get(source);
  if (kept === undefined) {
    kept = new WeakMap();
    vectors.set(source, kept);
  }
  if (kept.has(paper)) return kept.get(paper);
  const vector = source.paperVector(paper.id);
  kept.set(paper, vector);
  return vector;
}

function profileOf(
  source: ProfileSource,
  owner: string,
  ratings: readonly ProfileRating[],
): Profile | undefined {
  let kept = learned.get(source);
  if (kept === undefined) {
    kept = new Map();
    learned.set(source, kept);
  }
  const fingerprint = ratings
    .map((rating) => `${rating.value === "up" ? "+" : "-"}${rating.paperId}`)
    .join(" ");
  const hit = kept.get(owner);
  kept.delete(owner);
  if (hit !== undefined && hit.fingerprint === fingerprint) {
    kept.set(owner, hit);
    return hit.profile;
  }
  const profile = learnProfile(source, ratings);
  kept.set(owner, { fingerprint, profile });
  if (kept.size > PROFILES_KEPT) kept.delete(kept.keys().next().value as string);
  return profile;
}

function dot(weights: TermVector, vector: TermVector | undefined): number {
  if (vector === undefined) return 0;
  let sum = 0;
  for (const [key, value] of vector) sum += value * (weights.get(key) ?? 0);
  return sum;
}

/** The liked paper whose vector has the highest cosine with `vector` (the first liked, the newest, on ties). */
export function closestLiked(
  vector: TermVector | undefined,
  liked: ReadonlyArray<{ readonly paperId: string; readonly vector: TermVector }>,
): string {
  let best = liked[0]?.paperId ?? "";
  let bestCosine = Number.NEGATIVE_INFINITY;
  for (const candidate of liked) {
    const cosine = vector === undefined ? 0 : cosineOf(vector, candidate.vector);
    if (cosine > bestCosine) {
      bestCosine = cosine;
      best = candidate.paperId;
    }
  }
  return best;
}

function cosineOf(a: TermVector, b: TermVector): number {
  let product = 0;
  let normA = 0;
  let normB = 0;
  for (const [key, value] of a) {
    normA += value * value;
    product += value * (b.get(key) ?? 0);
  }
  for (const value of b.values()) normB += value * value;
  return normA > 0 && normB > 0 ? product / Math.sqrt(normA * normB) : 0;
}
