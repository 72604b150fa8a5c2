/**
 * Distinct words of the corpus, looked up straight from the text being indexed (offsets + a hash computed
 * while scanning), so indexing never allocates a string per word: a Map<string, id> lookup on freshly
 * sliced strings cost ~200 ns per word, a third of the whole indexing time at 100k papers.
 * Words are lower-case ASCII here; text with other characters takes the slower string path.
 */
export class WordTable {
  #slots = new Int32Array(1 << 16).fill(-1);
  #slotHashes = new Int32Array(1 << 16);
  #mask = (1 << 16) - 1;
  #pool: Uint8Array = new Uint8Array(1 << 20);
  #poolLength = 0;
  #starts: Uint32Array = new Uint32Array(1 << 14);
  #hashes = new Int32Array(1 << 14);
  count = 0;

  /** FNV-1a step; callers fold it over a word's lower-cased char codes, starting from FNV_OFFSET. */
  static readonly FNV_OFFSET = 0x811c9dc5 | 0;

  /** Id of the lower-cased text[start, end) (ASCII, may contain capitals), or -1. */
  find(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const id = this.#slots[slot] ?? -1;
      if (id < 0) return -1;
      if (this.#slotHashes[slot] !== hash) continue;
      const from = this.#starts[id] ?? 0;
      if ((this.#starts[id + 1] ?? 0) - from !== length) continue;
      let same = true;
      for (let i = 0; i < length; i++) {
        let code = text.charCodeAt(start + i);
        if (code >= 65 && code <= 90) code += 32;
        if (this.#pool[from + i] !== code) {
          same = false;
          break;
        }
      }
      if (same) return id;
    }
  }

  /** Adds a word not yet present; returns its id. */
  add(text: string, start: number, end: number, hash: number): number {
    const id = this.count++;
    const length = end - start;
    if (this.#poolLength + length > this.#pool.length)
      this.#pool = growBytes(this.#pool, this.#poolLength + length);
    for (let i = 0; i < length; i++) {
      let code = text.charCodeAt(start + i);
      if (code >= 65 && code <= 90) code += 32;
      this.#pool[this.#poolLength++] = code;
    }
    if (id + 2 > this.#starts.length) {
      this.#starts = growUint32(this.#starts, (id + 2) * 2);
      const hashes = new Int32Array(this.#starts.length);
      hashes.set(this.#hashes);
      this.#hashes = hashes;
    }
    this.#starts[id + 1] = this.#poolLength;
    this.#hashes[id] = hash;
    if (this.count * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
    else this.#place(id, hash);
    return id;
  }

  word(id: number): string {
    const from = this.#starts[id] ?? 0;
    const to = this.#starts[id + 1] ?? 0;
    // One flat string: appending a character at a time made a garbage string per character.
    return String.fromCharCode(...this.#pool.subarray(from, to));
  }

  #place(id: number, hash: number): void {
    let slot = hash & this.#mask;
    while ((this.#slots[slot] ?? -1) >= 0) slot = (slot + 1) & this.#mask;
    this.#slots[slot] = id;
    this.#slotHashes[slot] = hash;
  }

  #rehash(size: number): void {
    this.#slots = new Int32Array(size).fill(-1);
    this.#slotHashes = new Int32Array(size);
    this.#mask = size - 1;
    for (let id = 0; id < this.count; id++) this.#place(id, this.#hashes[id] ?? 0);
  }
}

/** FNV-1a hash of a whole lower-case string, equal to the one folded while scanning. */
export function hashWord(word: string): number {
  let hash = WordTable.FNV_OFFSET;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619);
  return hash;
}

function growBytes(array: Uint8Array, needed: number): Uint8Array {
  const grown = new Uint8Array(Math.max(needed, array.length * 2));
  grown.set(array);
  return grown;
}

function growUint32(array: Uint32Array, size: number): Uint32Array {
  const grown = new Uint32Array(size);
  grown.set(array);
  return grown;
}
