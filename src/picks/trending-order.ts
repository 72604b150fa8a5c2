import type { Paper } from "../core/paper.ts";
import { stableHash } from "./stable-hash.ts";
import { ageInDays, freshness, paperDay, popularity } from "./trending-score.ts";

/**
 * The whole corpus in trending order for one local date, computed once and shared by every
 * target whose digest falls on that date. The order is produced lazily from a binary heap: a
 * digest usually needs only the first few dozen papers (plus those the target already got),
 * so sorting a million papers up front would be wasted work.
 */
export class TrendingOrder {
  readonly localDay: number;
  /** Trending score of each paper, by its index in the corpus array. */
  readonly scores: Float64Array;
  readonly #corpus: CorpusSignals;
  readonly #heap: Uint32Array;
  #heapSize: number;
  readonly #popped: number[] = [];

  constructor(corpus: CorpusSignals, localDay: number) {
    this.localDay = localDay;
    this.#corpus = corpus;
    const count = corpus.count;
    this.scores = new Float64Array(count);
    this.#heap = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      const day = corpus.days[i] as number;
      const age = ageInDays(Number.isNaN(day) ? undefined : day, localDay);
      this.scores[i] = (corpus.popularity[i] as number) * freshness(age);
      this.#heap[i] = i;
    }
    this.#heapSize = count;
    for (let i = (count >> 1) - 1; i >= 0; i--) this.#siftDown(i);
  }

  /** Index (into the corpus array) of the paper at this position of the order, or undefined past the end. */
  at(position: number): number | undefined {
    while (this.#popped.length <= position && this.#heapSize > 0) this.#popped.push(this.#pop());
    return this.#popped[position];
  }

  /** True when paper `a` trends above paper `b`: higher score, then stable hash, then id, then corpus position. */
  precedes(a: number, b: number): boolean {
    const scoreA = this.scores[a] as number;
    const scoreB = this.scores[b] as number;
    if (scoreA !== scoreB) return scoreA > scoreB;
    const hashA = this.#corpus.hashes[a] as number;
    const hashB = this.#corpus.hashes[b] as number;
    if (hashA !== hashB) return hashA < hashB;
    const idA = this.#corpus.papers[a]?.id ?? "";
    const idB = this.#corpus.papers[b]?.id ?? "";
    if (idA !== idB) return idA < idB;
    return a < b;
  }

  #pop(): number {
    const top = this.#heap[0] as number;
    this.#heapSize--;
    if (this.#heapSize > 0) {
      this.#heap[0] = this.#heap[this.#heapSize] as number;
      this.#siftDown(0);
    }
    return top;
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    const size = this.#heapSize;
    let parent = start;
    const item = heap[parent] as number;
    for (;;) {
      let child = 2 * parent + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && this.precedes(heap[right] as number, heap[child] as number)) child = right;
      if (!this.precedes(heap[child] as number, item)) break;
      heap[parent] = heap[child] as number;
      parent = child;
    }
    heap[parent] = item;
  }
}

/**
 * What the trending order needs from each paper, read once per corpus array (it does not
 * depend on the date), plus the per-date orders built from it.
 */
export class CorpusSignals {
  readonly papers: readonly Paper[];
  /** The array's length when the signals were read, to notice an array grown in place. */
  readonly count: number;
  readonly popularity: Float64Array;
  /** Calendar day of each paper (days since 1970-01-01), NaN when undated. */
  readonly days: Float64Array;
  readonly hashes: Uint32Array;
  readonly #orders = new Map<number, TrendingOrder>();
  #idTable: Int32Array | undefined;

  constructor(papers: readonly Paper[]) {
    this.papers = papers;
    const count = papers.length;
    this.count = count;
    this.popularity = new Float64Array(count);
    this.days = new Float64Array(count);
    this.hashes = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      const paper = papers[i] as Paper;
      this.popularity[i] = popularity(paper);
      this.days[i] = paperDay(paper) ?? Number.NaN;
      this.hashes[i] = stableHash(paper.id);
    }
  }

  orderFor(localDay: number): TrendingOrder {
    let order = this.#orders.get(localDay);
    if (order === undefined) {
      order = new TrendingOrder(this, localDay);
      // Targets in different time zones are on at most two or three local dates at once.
      if (this.#orders.size >= MAX_CACHED_DATES) {
        const oldest = this.#orders.keys().next().value;
        if (oldest !== undefined) this.#orders.delete(oldest);
      }
      this.#orders.set(localDay, order);
    }
    return order;
  }

  /**
   * Corpus index of the first paper with this id. Only topic digests need it, so the table is
   * built on first use: open addressing over the stable hashes already computed, which takes a
   * few milliseconds for a million papers where a Map<string, number> takes half a second.
   */
  indexOf(id: string): number | undefined {
    const table = this.#idTable ?? this.#buildIdTable();
    const mask = table.length - 1;
    for (let slot = stableHash(id) & mask; ; slot = (slot + 1) & mask) {
      const index = table[slot] as number;
      if (index < 0) return undefined;
      if (this.papers[index]?.id === id) return index;
    }
  }

  #buildIdTable(): Int32Array {
    let size = 2;
    while (size < this.count * 2) size *= 2;
    const table = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = (this.hashes[i] as number) & mask;
      // A repeated id keeps its first slot; lookups stop at the first paper with that id.
      while (table[slot] !== -1) slot = (slot + 1) & mask;
      table[slot] = i;
    }
    this.#idTable = table;
    return table;
  }
}

const MAX_CACHED_DATES = 4;
const signalsByCorpus = new WeakMap<readonly Paper[], CorpusSignals>();

/**
 * The shared signals for this corpus array. Keyed by the array's identity: a reloaded corpus is
 * a new array and gets fresh signals; the length check catches an array grown in place.
 */
export function corpusSignals(papers: readonly Paper[]): CorpusSignals {
  let signals = signalsByCorpus.get(papers);
  if (signals === undefined || signals.count !== papers.length) {
    signals = new CorpusSignals(papers);
    signalsByCorpus.set(papers, signals);
  }
  return signals;
}
