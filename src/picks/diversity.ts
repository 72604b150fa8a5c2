import type { Paper } from "../core/paper.ts";
import { tokenize } from "../search/tokenize.ts";

/**
 * Maximal marginal relevance: pick the next paper by
 *   MMR_LAMBDA × relevance − (1 − MMR_LAMBDA) × (highest similarity to a paper already picked)
 * so a digest is mostly the top of the trending list, but the third paper about the same
 * benchmark loses its place to something different.
 */
export const MMR_LAMBDA = 0.7;

/** Term counts of title + abstract, kept per paper object: thousands of digests a day draw from the same top papers. */
const termCountsByPaper = new WeakMap<Paper, ReadonlyMap<string, number>>();

export interface Scored<T> {
  readonly item: T;
  readonly paper: Paper;
  /** Higher is better; only the ratio to the best in the list matters. */
  readonly score: number;
}

/**
 * Chooses up to `size` items from `candidates` (given best first), balancing score against
 * similarity. Term vectors are built only for these candidates, with IDF taken from the
 * candidates themselves: words every candidate shares ("model") say little about sameness.
 */
export function diversify<T>(candidates: readonly Scored<T>[], size: number, lambda = MMR_LAMBDA): T[] {
  if (candidates.length <= size) return candidates.map(({ item }) => item);
  const vectors = tfIdfVectors(candidates.map(({ paper }) => termCounts(paper)));
  const bestScore = Math.max(...candidates.map(({ score }) => score));
  const relevance = candidates.map(({ score }) => (bestScore > 0 ? score / bestScore : 0));
  const closestPicked = new Float64Array(candidates.length);
  const picked = new Set<number>();
  const chosen: T[] = [];
  while (chosen.length < size) {
    let bestIndex = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < candidates.length; i++) {
      if (picked.has(i)) continue;
      const value = lambda * (relevance[i] as number) - (1 - lambda) * (closestPicked[i] as number);
      // Strictly greater: on a tie the earlier (better trending) candidate stays, so the result is deterministic.
      if (value > bestValue) {
        bestValue = value;
        bestIndex = i;
      }
    }
    const next = candidates[bestIndex];
    if (next === undefined) break;
    picked.add(bestIndex);
    chosen.push(next.item);
    const nextVector = vectors[bestIndex] as ReadonlyMap<string, number>;
    for (let i = 0; i < candidates.length; i++) {
      if (picked.has(i)) continue;
      const similarity = cosine(vectors[i] as ReadonlyMap<string, number>, nextVector);
      if (similarity > (closestPicked[i] as number)) closestPicked[i] = similarity;
    }
  }
  return chosen;
}

function termCounts(paper: Paper): ReadonlyMap<string, number> {
  let counts = termCountsByPaper.get(paper);
  if (counts === undefined) {
    const built = new Map<string, number>();
    for (const term of tokenize(`${paper.title}\n${paper.abstract}`))
      built.set(term, (built.get(term) ?? 0) + 1);
    counts = built;
    termCountsByPaper.set(paper, counts);
  }
  return counts;
}

/** Unit-length TF-IDF vectors (log-scaled term frequency), so cosine similarity is a dot product. */
function tfIdfVectors(documents: readonly ReadonlyMap<string, number>[]): ReadonlyMap<string, number>[] {
  const documentFrequency = new Map<string, number>();
  for (const counts of documents) {
    for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  return documents.map((counts) => {
    const vector = new Map<string, number>();
    let squaredLength = 0;
    for (const [term, count] of counts) {
      const weight =
        (1 + Math.log(count)) * Math.log1p(documents.length / (documentFrequency.get(term) ?? 1));
      vector.set(term, weight);
      squaredLength += weight * weight;
    }
    const length = Math.sqrt(squaredLength);
    if (length > 0) for (const [term, weight] of vector) vector.set(term, weight / length);
    return vector;
  });
}

function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot;
}
