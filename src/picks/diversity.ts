import type { Paper } from "../core/paper.ts";
import { tokenize } from "../search/tokenize.ts";

/**
 * Maximal marginal relevance: pick the next paper by
 *   MMR_LAMBDA × relevance − (1 − MMR_LAMBDA) × (highest similarity to a paper already picked)
 * so a digest is mostly the top of the trending list, but the third paper about the same
 * benchmark loses its place to something different.
 */
export const MMR_LAMBDA = 0.7;

/**
 * Every term diversity has met gets a small integer id, so that vectors are typed arrays and a
 * dot product is array reads rather than string-keyed map look-ups (most of a digest's CPU went
 * there). Ids are never given back: only pool candidates (the top of the trending or topic list)
 * get here, so the table holds the words of those papers, a few thousand, never the whole corpus's.
 */
const termIds = new Map<string, number>();

/** A paper's distinct terms (title + abstract) in order of first use, and how often each occurs. */
interface TermCounts {
  readonly ids: Int32Array;
  readonly counts: Float64Array;
}

/** Kept per paper object: thousands of digests a day draw from the same top papers. */
const termCountsByPaper = new WeakMap<Paper, TermCounts>();

/** Scratch space indexed by term id, all zero between uses. */
let documentFrequency = new Int32Array(1024);
let denseVector = new Float64Array(1024);

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
  const documents = candidates.map(({ paper }) => termCounts(paper));
  const vectors = tfIdfVectors(documents);
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
    // Cosine similarity to the paper just picked: its vector spread over the term ids, then one
    // read per term of each remaining candidate.
    const nextIds = (documents[bestIndex] as TermCounts).ids;
    const nextWeights = vectors[bestIndex] as Float64Array;
    for (let k = 0; k < nextIds.length; k++) denseVector[nextIds[k] as number] = nextWeights[k] as number;
    for (let i = 0; i < candidates.length; i++) {
      if (picked.has(i)) continue;
      const ids = (documents[i] as TermCounts).ids;
      const weights = vectors[i] as Float64Array;
      let similarity = 0;
      for (let k = 0; k < ids.length; k++)
        similarity += (weights[k] as number) * (denseVector[ids[k] as number] as number);
      if (similarity > (closestPicked[i] as number)) closestPicked[i] = similarity;
    }
    for (let k = 0; k < nextIds.length; k++) denseVector[nextIds[k] as number] = 0;
  }
  return chosen;
}

function termCounts(paper: Paper): TermCounts {
  let counts = termCountsByPaper.get(paper);
  if (counts === undefined) {
    const byId = new Map<number, number>();
    for (const term of tokenize(`${paper.title}\n${paper.abstract}`)) {
      let id = termIds.get(term);
      if (id === undefined) {
        id = termIds.size;
        termIds.set(term, id);
      }
      byId.set(id, (byId.get(id) ?? 0) + 1);
    }
    counts = { ids: Int32Array.from(byId.keys()), counts: Float64Array.from(byId.values()) };
    termCountsByPaper.set(paper, counts);
  }
  return counts;
}

/** Makes the scratch arrays long enough for every term id handed out so far. */
function fitScratch(): void {
  if (documentFrequency.length >= termIds.size) return;
  const length = Math.max(termIds.size, documentFrequency.length * 2);
  documentFrequency = new Int32Array(length);
  denseVector = new Float64Array(length);
}

/**
 * Unit-length TF-IDF weights (log-scaled term frequency), aligned with each document's ids, so
 * cosine similarity is a dot product. IDF comes from these documents alone.
 */
function tfIdfVectors(documents: readonly TermCounts[]): Float64Array[] {
  fitScratch();
  for (const { ids } of documents) for (const id of ids) (documentFrequency[id] as number)++;
  const vectors = documents.map(({ ids, counts }) => {
    const weights = new Float64Array(ids.length);
    let squaredLength = 0;
    for (let k = 0; k < ids.length; k++) {
      const frequency = documentFrequency[ids[k] as number] || 1;
      const weight = (1 + Math.log(counts[k] as number)) * Math.log1p(documents.length / frequency);
      weights[k] = weight;
      squaredLength += weight * weight;
    }
    const length = Math.sqrt(squaredLength);
    if (length > 0) for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] as number) / length;
    return weights;
  });
  for (const { ids } of documents) for (const id of ids) documentFrequency[id] = 0;
  return vectors;
}
