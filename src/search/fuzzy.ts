/**
 * Typo correction over a word list: the nearest words within a small Damerau (optimal string alignment)
 * distance, where a swapped pair of letters counts as one edit ("specualtive" -> "speculative").
 *
 * A length-bucketed scan with a letter-set bound, not SymSpell: SymSpell's delete dictionary for a
 * million-word vocabulary at distance 2 costs hundreds of MB, while this scan skips ~99% of words with two
 * integer tests and takes about a millisecond (see `npm run bench`). Only unknown words reach it.
 */

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

/** Words grouped by length with their letter masks, so a lookup only visits words of plausible length. */
export class FuzzyLexicon {
  readonly #words: readonly string[];
  readonly #masks: Uint32Array;
  /** #byLength[k]..#byLength[k+1] is the range of words of length k in #words. */
  readonly #byLength: Uint32Array;

  constructor(words: readonly string[]) {
    const maxLength = words.reduce((max, word) => Math.max(max, word.length), 0);
    const counts = new Uint32Array(maxLength + 2);
    for (const word of words) counts[word.length + 1] = (counts[word.length + 1] ?? 0) + 1;
    for (let k = 1; k < counts.length; k++) counts[k] = (counts[k] ?? 0) + (counts[k - 1] ?? 0);
    this.#byLength = counts.slice();
    const next = counts.slice();
    const sorted = new Array<string>(words.length);
    const indexOf = new Uint32Array(words.length);
    words.forEach((word, i) => {
      const slot = next[word.length] ?? 0;
      next[word.length] = slot + 1;
      sorted[slot] = word;
      indexOf[slot] = i;
    });
    this.#words = sorted;
    this.#originalIndex = indexOf;
    this.#masks = new Uint32Array(sorted.length);
    sorted.forEach((word, slot) => {
      this.#masks[slot] = letterMask(word);
    });
  }

  readonly #originalIndex: Uint32Array;

  /**
   * Indexes (into the constructor's list) of all words at the smallest distance from `word` within
   * `maxEdits`, nearest first; empty when none is close enough.
   */
  nearest(word: string, maxEdits: number): number[] {
    if (maxEdits <= 0) return [];
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
        if (distance < best) {
          best = distance;
          found = [];
        }
        if (distance === best && distance <= maxEdits) found.push(this.#originalIndex[slot] ?? 0);
      }
    }
    return found;
  }
}
