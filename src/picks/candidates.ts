import type { Paper } from "../core/paper.ts";
import type { CorpusSignals, TrendingOrder } from "./trending-order.ts";

/** A paper that may go into a digest, with the topic that let it in when the target filters by topic. */
export interface Candidate {
  readonly index: number;
  readonly paper: Paper;
  readonly topic?: string;
}

/** One subscribed topic and the ids of the papers it matches (scores are not used: trending decides order). */
export interface TopicMatches {
  readonly topic: string;
  readonly matches: ReadonlyMap<string, number>;
}

/** The best `poolSize` undelivered papers in trending order. */
export function trendingPool(
  signals: CorpusSignals,
  order: TrendingOrder,
  delivered: ReadonlySet<string>,
  poolSize: number,
): Candidate[] {
  const pool: Candidate[] = [];
  const seen = new Set<string>();
  for (let position = 0; pool.length < poolSize; position++) {
    const index = order.at(position);
    if (index === undefined) break;
    const paper = signals.papers[index] as Paper;
    if (delivered.has(paper.id) || seen.has(paper.id)) continue;
    seen.add(paper.id);
    pool.push({ index, paper });
  }
  return pool;
}

/**
 * The best `poolSize` undelivered papers, in trending order, that match at least one topic;
 * each carries the first of the target's topics it matches. Two routes give the same result:
 * walking the shared trending order pays off when the topics match much of the corpus (a match
 * turns up every few steps); scanning the matches pays off when they are few.
 */
export function topicPool(
  signals: CorpusSignals,
  order: TrendingOrder,
  topics: readonly TopicMatches[],
  delivered: ReadonlySet<string>,
  poolSize: number,
): Candidate[] {
  const matchCount = topics.reduce((sum, { matches }) => sum + matches.size, 0);
  if (matchCount === 0) return [];
  const expectedWalk = ((delivered.size + poolSize) * signals.count) / matchCount;
  if (matchCount > expectedWalk) {
    const walked = walkForTopics(signals, order, topics, delivered, poolSize, 4 * expectedWalk + 1000);
    if (walked !== undefined) return walked;
  }
  return scanTopicMatches(signals, order, topics, delivered, poolSize);
}

/** Undefined when `stepBudget` ran out first (most matches already delivered): the scan is then cheaper. */
function walkForTopics(
  signals: CorpusSignals,
  order: TrendingOrder,
  topics: readonly TopicMatches[],
  delivered: ReadonlySet<string>,
  poolSize: number,
  stepBudget: number,
): Candidate[] | undefined {
  const pool: Candidate[] = [];
  const seen = new Set<string>();
  for (let position = 0; pool.length < poolSize; position++) {
    if (position > stepBudget) return undefined;
    const index = order.at(position);
    if (index === undefined) break;
    const paper = signals.papers[index] as Paper;
    if (delivered.has(paper.id) || seen.has(paper.id)) continue;
    const topic = topics.find(({ matches }) => matches.has(paper.id))?.topic;
    if (topic === undefined) continue;
    seen.add(paper.id);
    pool.push({ index, paper, topic });
  }
  return pool;
}

function scanTopicMatches(
  signals: CorpusSignals,
  order: TrendingOrder,
  topics: readonly TopicMatches[],
  delivered: ReadonlySet<string>,
  poolSize: number,
): Candidate[] {
  const topicOf = new Map<number, string>();
  for (const { topic, matches } of topics) {
    for (const id of matches.keys()) {
      if (delivered.has(id)) continue;
      const index = signals.indexOf(id);
      // Ids the index knows but this corpus array does not (a reload in between) are skipped.
      if (index !== undefined && !topicOf.has(index)) topicOf.set(index, topic);
    }
  }
  const best = topTrending(order, topicOf.keys(), poolSize);
  return best.map((index) => ({
    index,
    paper: signals.papers[index] as Paper,
    topic: topicOf.get(index) ?? "",
  }));
}

/** The `limit` best indices in trending order, best first, without sorting all of them. */
function topTrending(order: TrendingOrder, indices: Iterable<number>, limit: number): number[] {
  const best: number[] = [];
  for (const index of indices) {
    const last = best[best.length - 1];
    if (best.length >= limit && last !== undefined && !order.precedes(index, last)) continue;
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (order.precedes(best[middle] as number, index)) low = middle + 1;
      else high = middle;
    }
    best.splice(low, 0, index);
    if (best.length > limit) best.pop();
  }
  return best;
}
