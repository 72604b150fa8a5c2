import type { Paper } from "../core/paper.ts";
import { runSteps, type Steps } from "../runtime/steps.ts";
import { hashWord } from "./word-table.ts";

const PAPERS_PER_STEP = 256;

/**
 * Paper id -> position in the index's paper list, as an open-addressing hash table of positions in one
 * typed array: 8 bytes per paper, where a Map<string, number> costs some 60-80 bytes per entry (tens of
 * megabytes at a million papers) for the one query, "more like this", that needs it.
 */
export class PaperPositions {
  readonly #papers: readonly Paper[];
  readonly #slots: Int32Array;
  readonly #mask: number;

  private constructor(papers: readonly Paper[], slots: Int32Array) {
    this.#papers = papers;
    this.#slots = slots;
    this.#mask = slots.length - 1;
  }

  static build(papers: readonly Paper[]): PaperPositions {
    return runSteps(PaperPositions.buildSteps(papers));
  }

  /** {@link build} as steps (see steps.ts). */
  static *buildSteps(papers: readonly Paper[]): Steps<PaperPositions> {
    let size = 1;
    while (size < papers.length * 2) size *= 2;
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let doc = 0; doc < papers.length; doc++) {
      if (doc % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
      let slot = hashWord((papers[doc] as Paper).id) & mask;
      while ((slots[slot] ?? -1) >= 0) slot = (slot + 1) & mask;
      slots[slot] = doc;
    }
    return new PaperPositions(papers, slots);
  }

  /** The position of the (first) paper with this id, or undefined. */
  find(id: string): number | undefined {
    if (this.#papers.length === 0) return undefined;
    for (let slot = hashWord(id) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const doc = this.#slots[slot] ?? -1;
      if (doc < 0) return undefined;
      if (this.#papers[doc]?.id === id) return doc;
    }
  }
}
