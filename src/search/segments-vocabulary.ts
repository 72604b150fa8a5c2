import type { Vocabulary } from "./query-plan.ts";
import type { Segment } from "./segment.ts";

/**
 * The vocabulary of several segments as one index would have it: frequencies summed over live papers,
 * completions merged by term, and typo candidates only from the segments with the nearest words.
 */
export class SegmentsVocabulary implements Vocabulary {
  readonly #segments: readonly Segment[];
  readonly size: number;

  constructor(segments: readonly Segment[]) {
    this.#segments = segments;
    this.size = segments.reduce((sum, segment) => sum + segment.liveSize, 0);
  }

  frequency(term: string): number {
    let frequency = 0;
    for (const segment of this.#segments) frequency += segment.frequency(term);
    return frequency;
  }

  completions(prefix: string): Iterable<{ term: string; word: string; frequency: number }> {
    const byTerm = new Map<string, { term: string; word: string; frequency: number }>();
    for (const segment of this.#segments) {
      segment.forEachCompletion(prefix, (term, word, frequency) => {
        const known = byTerm.get(term);
        if (known === undefined) {
          byTerm.set(term, { term, word, frequency });
        } else {
          known.frequency += frequency;
          if (word < known.word) known.word = word;
        }
      });
    }
    return byTerm.values();
  }

  nearestWords(word: string, maxEdits: number): Array<{ word: string; term: string | undefined }> {
    return nearestOf(this.#segments, (segment) => segment.nearestWords(word, maxEdits));
  }

  authorFrequency(word: string): number {
    let frequency = 0;
    for (const segment of this.#segments) frequency += segment.authorFrequency(word);
    return frequency;
  }

  categoryFrequency(code: string): number {
    let frequency = 0;
    for (const segment of this.#segments) frequency += segment.categoryFrequency(code);
    return frequency;
  }

  nearestAuthorWords(word: string, maxEdits: number): string[] {
    return nearestOf(this.#segments, (segment) => segment.nearestAuthorWords(word, maxEdits));
  }
}

/** The words at the smallest distance any segment has, segments in order. */
function nearestOf<T>(
  segments: readonly Segment[],
  nearest: (segment: Segment) => { readonly distance: number; readonly words: readonly T[] },
): T[] {
  let best = Number.POSITIVE_INFINITY;
  let words: T[] = [];
  for (const segment of segments) {
    const found = nearest(segment);
    if (found.words.length === 0 || found.distance > best) continue;
    if (found.distance < best) {
      best = found.distance;
      words = [];
    }
    words.push(...found.words);
  }
  return words;
}
