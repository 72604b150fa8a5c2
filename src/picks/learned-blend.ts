import type { Scored } from "./diversity.ts";
import type { Taste } from "./learned-taste.ts";

/**
 * How much a learned taste weighs against trending in a channel's picks: at one half, the pool's
 * top trending paper that the profile likes least ties with the paper it likes most that trends least.
 */
export const TASTE_SHARE = 0.5;

/**
 * A channel's candidates reordered by the profile learned from the 👍/👎 on its posts:
 *
 *   blended = (1 − TASTE_SHARE) × trend / best trend + TASTE_SHARE × (r − lowest r) / (highest r − lowest r)
 *
 * where trend is the trending score (trending-score.ts) and r the profile's relevance, both over
 * the pool alone, so neither scale matters. Papers like those rated 👎 have the lowest r and sink;
 * a pool where the profile sees no difference keeps its trending order. Best first, ties by the
 * trending order, as diversify wants them; `learned` is each one's share from the profile, 0 to 1.
 */
export function blendTaste<T>(
  candidates: readonly Scored<T>[],
  taste: Taste,
): Array<Scored<T> & { readonly learned: number }> {
  if (candidates.length === 0) return [];
  const relevance = candidates.map(({ paper }) => taste.relevance(paper));
  const lowest = Math.min(...relevance);
  const spread = Math.max(...relevance) - lowest;
  const bestTrend = Math.max(...candidates.map(({ score }) => score));
  const blended = candidates.map((candidate, i) => {
    const trend = bestTrend > 0 ? candidate.score / bestTrend : 0;
    const learned = spread > 0 ? ((relevance[i] as number) - lowest) / spread : 0.5;
    return {
      candidate: { ...candidate, score: (1 - TASTE_SHARE) * trend + TASTE_SHARE * learned, learned },
      i,
    };
  });
  blended.sort((a, b) => b.candidate.score - a.candidate.score || a.i - b.i);
  return blended.map(({ candidate }) => candidate);
}
