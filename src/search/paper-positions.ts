import type { Paper } from "../paper.ts";
import { hashWord } from "./word-table.ts";

/**
 * Paper id -> position in the index's paper list, as an open-addressing hash table of positions in one
 * typed array: 8 bytes per paper, where a Map<string, number> costs some 60-80 bytes per entry (tens of
 * megabytes at a million papers) for the one query, "more like this", that needs it.
 */
export class PaperPositions {
  readonly #papers: readonly Paper[];
  readonly #slots: Int32Array;
  readonly #mask: number;

  constructor(papers: readonly Paper[]) {
    this.#papers = papers;
    let size = 1;
    while (size < papers.length * 2) size *= 2;
    this.#slots = new Int32Array(size).fill(-1);
    this.#mask = size - 1;
    papers.forEach((paper, doc) => {
      let slot = hashWord(paper.id) & this.#mask;
      while ((this.#slots[slot] ?? -1) >= 0) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = doc;
    });
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
