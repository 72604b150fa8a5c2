/**
 * Typo correction over a word list: the nearest words within a small Damerau (optimal string alignment)
 * distance, where a swapped pair of letters counts as one edit ("specualtive" -> "speculative").
 *
 * A length-bucketed scan with a letter-set bound, not SymSpell: SymSpell's delete dictionary for a
 * million-word vocabulary at distance 2 costs hundreds of MB, while this scan skips ~99% of words with two
 * integer tests and takes about a millisecond (see `npm run bench`). Only unknown words reach it.
 */

import { runSteps, type Steps } from "../runtime/steps.ts";

/** Edits allowed for a word of this length: none under 4 letters, 1 up to 7, 2 from 8 ("len 4-7 / >= 8"). */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/** Bit set of the letters in a word (a-z, digits share one bit, everything else five more); one edit changes at most two bits. */
export function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code >= 97 && code <= 122) mask |= 1 << (code - 97);
    else if (code >= 48 && code <= 57) mask |= 1 << 26;
    else mask |= 1 << (27 + (code % 5));
  }
  return mask >>> 0;
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Optimal-string-alignment distance, or `limit + 1` as soon as it must exceed `limit`. */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  let twoBack = new Array<number>(m + 1).fill(0);
  let previous = Array.from({ length: m + 1 }, (_, j) => j);
  let current = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        best = Math.min(best, (twoBack[j - 2] ?? 0) + 1);
      }
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > limit) return limit + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[m] ?? limit + 1;
}

export interface NearestWords {
  /** Edits from the query word; Infinity when no word is close enough. */
  readonly distance: number;
  readonly indexes: readonly number[];
}

const WORDS_PER_STEP = 1024;

/** A lexicon's typed arrays, without its words (see {@link FuzzyLexicon.fromParts}). */
export interface FuzzyLexiconParts {
  readonly masks: Uint32Array;
  readonly byLength: Uint32Array;
  readonly original: Uint32Array;
}

const NO_WORDS: NearestWords = { distance: Number.POSITIVE_INFINITY, indexes: [] };

/** Words grouped by length with their letter masks, so a lookup only visits words of plausible length. */
export class FuzzyLexicon {
  readonly #words: readonly string[];
  readonly #masks: Uint32Array;
  /** #byLength[k]..#byLength[k+1] is the range of words of length k in #words. */
  readonly #byLength: Uint32Array;
  /** Each word's index in the list the lexicon was built from. */
  readonly #originalIndex: Uint32Array;

  private constructor(
    words: readonly string[],
    masks: Uint32Array,
    byLength: Uint32Array,
    original: Uint32Array,
  ) {
    this.#words = words;
    this.#masks = masks;
    this.#byLength = byLength;
    this.#originalIndex = original;
  }

  /**
   * A lexicon over `words` from the arrays of {@link parts}, as built over the same list elsewhere (a
   * segment built in a worker thread; see segment-image.ts).
   */
  static *fromPartsSteps(words: readonly string[], parts: FuzzyLexiconParts): Steps<FuzzyLexicon> {
    const sorted = new Array<string>(parts.original.length);
    for (let i = 0; i < sorted.length; i++) {
      if (i % WORDS_PER_STEP === WORDS_PER_STEP - 1) yield;
      sorted[i] = words[parts.original[i] ?? 0] ?? "";
    }
    return new FuzzyLexicon(sorted, parts.masks, parts.byLength, parts.original);
  }

  get parts(): FuzzyLexiconParts {
    return { masks: this.#masks, byLength: this.#byLength, original: this.#originalIndex };
  }

  static build(words: readonly string[]): FuzzyLexicon {
    return runSteps(FuzzyLexicon.buildSteps(words));
  }

  /** {@link build} as steps, pausing every few thousand words (see steps.ts). */
  static *buildSteps(words: readonly string[]): Steps<FuzzyLexicon> {
    const maxLength = words.reduce((max, word) => Math.max(max, word.length), 0);
    const counts = new Uint32Array(maxLength + 2);
    for (const word of words) counts[word.length + 1] = (counts[word.length + 1] ?? 0) + 1;
    for (let k = 1; k < counts.length; k++) counts[k] = (counts[k] ?? 0) + (counts[k - 1] ?? 0);
    const byLength = counts.slice();
    const next = counts.slice();
    const sorted = new Array<string>(words.length);
    const original = new Uint32Array(words.length);
    const masks = new Uint32Array(words.length);
    for (let i = 0; i < words.length; i++) {
      if (i % WORDS_PER_STEP === WORDS_PER_STEP - 1) yield;
      const word = words[i] ?? "";
      const slot = next[word.length] ?? 0;
      next[word.length] = slot + 1;
      sorted[slot] = word;
      original[slot] = i;
      masks[slot] = letterMask(word);
    }
    return new FuzzyLexicon(sorted, masks, byLength, original);
  }

  /**
   * Indexes (into the constructor's list) of all words at the smallest distance from `word` within
   * `maxEdits`, and that distance; no indexes when none is close enough. Words `accept` turns down are
   * not there at all (a word only deleted papers had).
   */
  nearest(word: string, maxEdits: number, accept?: (index: number) => boolean): NearestWords {
    if (maxEdits <= 0) return NO_WORDS;
    const mask = letterMask(word);
    let best = maxEdits + 1;
    let found: number[] = [];
    const lowest = Math.max(0, word.length - maxEdits);
    const highest = Math.min(this.#byLength.length - 2, word.length + maxEdits);
    for (let length = lowest; length <= highest; length++) {
      const end = this.#byLength[length + 1] ?? 0;
      for (let slot = this.#byLength[length] ?? 0; slot < end; slot++) {
        if (popcount(mask ^ (this.#masks[slot] ?? 0)) > 2 * Math.min(best, maxEdits)) continue;
        const candidate = this.#words[slot] ?? "";
        const distance = boundedEditDistance(word, candidate, Math.min(best, maxEdits));
        if (distance > best || distance > maxEdits) continue;
        const index = this.#originalIndex[slot] ?? 0;
        if (accept !== undefined && !accept(index)) continue;
        if (distance < best) {
          best = distance;
          found = [];
        }
        found.push(index);
      }
    }
    return found.length === 0 ? NO_WORDS : { distance: best, indexes: found };
  }
}
