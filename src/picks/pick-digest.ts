import type { Paper } from "../core/paper.ts";
import { type Candidate, type TopicMatches, topicPool, trendingPool } from "./candidates.ts";
import { diversify } from "./diversity.ts";
import { blendTaste } from "./learned-blend.ts";
import type { Taste } from "./learned-taste.ts";
import { describeReason } from "./reason-wording.ts";
import { corpusSignals } from "./trending-order.ts";
import { ageInDays, calendarDay, knownRank, knownUpvotes, paperDay } from "./trending-score.ts";

export interface Pick {
  readonly paper: Paper;
  /** The paper's trending score for the digest's date (see trending-score.ts). */
  readonly score: number;
  /** Why it is here, in words: "▲ 42 · 2 days old", "#3 on today's list · matches “kv cache”". */
  readonly reason: string;
  /** The subscribed topic that let the paper in, when the target filters by topic. */
  readonly topic?: string;
}

export interface PickRequest {
  /** "YYYY-MM-DD" in the target's time zone. */
  readonly localDate: string;
  /** How many papers the target wants, 1..10; out-of-range values are clamped. */
  readonly size: number;
  /** The target's topics; empty means no filter. A paper qualifies by matching any of them. */
  readonly topics: readonly string[];
  /** Ids of papers already sent to this target: never picked again. */
  readonly delivered: ReadonlySet<string>;
  /** The target's learned taste (a channel's, from the 👍/👎 on its posts): blended into the order. */
  readonly taste?: Taste;
}

/** What picks needs from the search index: every paper matching a query, by id (scores unused). */
export interface TopicMatcher {
  matchAll(query: string): ReadonlyMap<string, number>;
}

export const MIN_DIGEST_SIZE = 1;
export const MAX_DIGEST_SIZE = 10;
/** How many of the best undelivered candidates diversity may choose among. */
const CANDIDATE_POOL_SIZE = 60;
/** With a taste the pool reaches further down the trending list, for the profile to bring papers up. */
const LEARNED_POOL_SIZE = 150;
/** A pick says which liked paper it is like only when the profile puts it in the pool's top half. */
const LIKED_REASON_FROM = 0.5;

/**
 * The digest for one target on one local date: the best undelivered papers by trending score,
 * filtered by the target's topics when it has any, spread out so they are not near-duplicates.
 * An empty result means nothing new is left (the caller says so); it never falls back to
 * unrelated papers. The same corpus, request and topic matches always give the same picks.
 *
 * Throws RangeError when `localDate` is not a real "YYYY-MM-DD" date: that is a bug in the caller.
 */
export function pickDigest(
  papers: readonly Paper[],
  topicMatcher: TopicMatcher,
  request: PickRequest,
): Pick[] {
  const localDay = parseLocalDate(request.localDate);
  const size = digestSize(request.size);
  const signals = corpusSignals(papers);
  const order = signals.orderFor(localDay);

  const poolSize = request.taste ? LEARNED_POOL_SIZE : CANDIDATE_POOL_SIZE;
  let pool: Candidate[];
  if (request.topics.length === 0) {
    pool = trendingPool(signals, order, request.delivered, poolSize);
  } else {
    const topics: TopicMatches[] = request.topics
      .filter((topic) => topic.trim() !== "")
      .map((topic) => ({ topic, matches: topicMatcher.matchAll(topic) }));
    pool = topicPool(signals, order, topics, request.delivered, poolSize);
  }

  const trending = pool.map((candidate) => ({
    item: candidate,
    paper: candidate.paper,
    score: order.scores[candidate.index] ?? 0,
  }));
  const blended = request.taste ? blendTaste(trending, request.taste) : undefined;
  const learned = new Map(blended?.map(({ item, learned }) => [item, learned]));
  const chosen = diversify(blended ?? trending, size);
  return chosen.map((candidate) => {
    const { index, paper, topic } = candidate;
    const likedHere =
      (learned.get(candidate) ?? 0) >= LIKED_REASON_FROM ? request.taste?.likedTitle(paper) : undefined;
    const reason = describeReason({
      ...optional("upvotes", knownUpvotes(paper)),
      ...optional("ageDays", ageInDays(paperDay(paper), localDay)),
      ...optional("topic", topic),
      ...optional("rank", knownRank(paper)),
      ...optional("likedHere", likedHere),
    });
    return { paper, score: order.scores[index] ?? 0, reason, ...optional("topic", topic) };
  });
}

function parseLocalDate(localDate: string): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(localDate) ? calendarDay(localDate) : undefined;
  if (day === undefined)
    throw new RangeError(`pickDigest: localDate must be a "YYYY-MM-DD" date, got "${localDate}"`);
  return day;
}

function digestSize(size: number): number {
  if (!Number.isFinite(size)) return MAX_DIGEST_SIZE;
  return Math.min(MAX_DIGEST_SIZE, Math.max(MIN_DIGEST_SIZE, Math.floor(size)));
}

/** `{ key: value }` or `{}`, since optional properties may not be set to undefined here. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
