import type { Paper } from "../core/paper.ts";
import type { Steps } from "../runtime/steps.ts";
import type { FieldLengths } from "./postings.ts";
import { tokenize } from "./tokenize.ts";

/** Deleted papers read between two pauses (see steps.ts); one takes some 30 µs. */
const PAPERS_PER_STEP = 32;

/**
 * The papers of a segment that are gone (removed, or replaced by a newer text indexed in another
 * segment), as a bit set over the segment's positions, with what they added to the segment's statistics
 * so that document frequencies and average field lengths count live papers only, as an index rebuilt
 * without them would. Immutable: deleting more papers makes a new set.
 */
export class Tombstones {
  readonly #bits: Uint32Array;
  /** How many deleted papers have each term (by the segment's term id). */
  readonly #deadFrequency: Uint32Array;
  readonly count: number;
  readonly deadFieldLengths: FieldLengths;

  private constructor(bits: Uint32Array, deadFrequency: Uint32Array, count: number, lengths: FieldLengths) {
    this.#bits = bits;
    this.#deadFrequency = deadFrequency;
    this.count = count;
    this.deadFieldLengths = lengths;
  }

  /**
   * These tombstones (or none) plus the papers at `docs`, whose text is read again for the terms and
   * field lengths they counted in, as steps. Positions already deleted are skipped.
   */
  static *addingSteps(
    previous: Tombstones | undefined,
    segment: { readonly size: number; readonly termIds: ReadonlyMap<string, number> },
    deleted: ReadonlyArray<{ readonly doc: number; readonly paper: Paper }>,
  ): Steps<Tombstones> {
    const bits = previous === undefined ? new Uint32Array((segment.size + 31) >>> 5) : previous.#bits.slice();
    const deadFrequency =
      previous === undefined ? new Uint32Array(segment.termIds.size) : previous.#deadFrequency.slice();
    let count = previous?.count ?? 0;
    const lengths = [...(previous?.deadFieldLengths ?? [0, 0, 0])];
    for (const [i, { doc, paper }] of deleted.entries()) {
      if (i % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
      const word = doc >>> 5;
      const bit = 1 << (doc & 31);
      if (((bits[word] ?? 0) & bit) !== 0) continue;
      bits[word] = (bits[word] ?? 0) | bit;
      count++;
      const terms = new Set<string>();
      [paper.title, paper.abstract, paper.authors.join(", ")].forEach((text, field) => {
        const fieldTerms = tokenize(text);
        lengths[field] = (lengths[field] ?? 0) + Math.min(fieldTerms.length, 65535);
        for (const term of fieldTerms) terms.add(term);
      });
      for (const term of terms) {
        const termId = segment.termIds.get(term);
        if (termId !== undefined) deadFrequency[termId] = (deadFrequency[termId] ?? 0) + 1;
      }
    }
    return new Tombstones(bits, deadFrequency, count, [lengths[0] ?? 0, lengths[1] ?? 0, lengths[2] ?? 0]);
  }

  has(doc: number): boolean {
    return ((this.#bits[doc >>> 5] ?? 0) & (1 << (doc & 31))) !== 0;
  }

  /** Deleted papers with this term. */
  frequency(termId: number): number {
    return this.#deadFrequency[termId] ?? 0;
  }
}
