import { hashWord } from "../search/word-table.ts";

/**
 * Keys (paper ids, normalised titles) -> positions in a list of papers, for a deduplication checkpoint
 * that is kept for hours: an open-addressing table of 32-bit hashes and positions in typed arrays, so no
 * key string is kept. A Map of 100k normalised titles holds some 15 MB of strings, and building one while
 * the bot answers commands makes the garbage collector copy every one of them, in pauses of tens of
 * milliseconds. A hash match is confirmed with `keyAt` (the key of the paper at that position); the few
 * keys that are not their paper's own (a duplicate's id or title, leading to the paper it merged into)
 * are kept in a plain map.
 */
export class KeyIndex {
  #hashes = new Int32Array(1 << 10);
  #positions = new Int32Array(1 << 10).fill(-1);
  #count = 0;
  readonly #aliases = new Map<string, number>();
  readonly #keyAt: (position: number) => string;

  constructor(keyAt: (position: number) => string) {
    this.#keyAt = keyAt;
  }

  get(key: string): number | undefined {
    const alias = this.#aliases.get(key);
    if (alias !== undefined) return alias;
    const hash = hashWord(key);
    const mask = this.#positions.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const position = this.#positions[slot] ?? -1;
      if (position < 0) return undefined;
      if (this.#hashes[slot] === hash && this.#keyAt(position) === key) return position;
    }
  }

  /** `key` leads to `position` from now on; `own` says it is the key of the paper there itself. */
  set(key: string, position: number, own: boolean): void {
    if (!own) {
      if (this.get(key) !== position) this.#aliases.set(key, position);
      return;
    }
    if (2 * (this.#count + 1) > this.#positions.length) this.#grow();
    this.#insert(hashWord(key), position);
    this.#count++;
  }

  #insert(hash: number, position: number): void {
    const mask = this.#positions.length - 1;
    let slot = hash & mask;
    while ((this.#positions[slot] ?? -1) >= 0) slot = (slot + 1) & mask;
    this.#hashes[slot] = hash;
    this.#positions[slot] = position;
  }

  #grow(): void {
    const hashes = this.#hashes;
    const positions = this.#positions;
    this.#hashes = new Int32Array(hashes.length * 2);
    this.#positions = new Int32Array(positions.length * 2).fill(-1);
    for (let slot = 0; slot < positions.length; slot++) {
      const position = positions[slot] ?? -1;
      if (position >= 0) this.#insert(hashes[slot] ?? 0, position);
    }
  }
}
