import type { Steps } from "../runtime/steps.ts";

/** Overlay entries copied or counted between two pauses of {@link OverlayMap.overSteps}. */
const ENTRIES_PER_STEP = 512;

/**
 * A read-only map made of a large base map and a small overlay of changes (set or deleted keys), so that
 * a catalog that changed a few papers shares the base with its predecessor instead of copying 100k
 * entries. Immutable: {@link OverlayMap.overSteps} makes a new one.
 */
export class OverlayMap<K, V> implements ReadonlyMap<K, V> {
  readonly #base: ReadonlyMap<K, V>;
  /** undefined: deleted from the base. */
  readonly #overlay: ReadonlyMap<K, V | undefined>;
  readonly size: number;

  private constructor(base: ReadonlyMap<K, V>, overlay: ReadonlyMap<K, V | undefined>, size: number) {
    this.#base = base;
    this.#overlay = overlay;
    this.size = size;
  }

  /**
   * `map` with `changes` applied (a value of undefined deletes the key); an overlay map keeps its base.
   * As steps (see steps.ts): the overlay is copied at every change, and a catalog merging a day's papers
   * while the bot answers commands copies thousands of entries.
   */
  static *overSteps<K, V>(
    map: ReadonlyMap<K, V>,
    changes: ReadonlyMap<K, V | undefined>,
  ): Steps<OverlayMap<K, V>> {
    const base = map instanceof OverlayMap ? (map as OverlayMap<K, V>).#base : map;
    const overlay = new Map<K, V | undefined>();
    let count = 0;
    const previous: ReadonlyMap<K, V | undefined> = map instanceof OverlayMap ? map.#overlay : new Map();
    for (const source of [previous, changes]) {
      for (const [key, value] of source) {
        overlay.set(key, value);
        if (++count % ENTRIES_PER_STEP === 0) yield;
      }
    }
    let size = base.size;
    for (const [key, value] of overlay) {
      if (base.has(key)) size -= value === undefined ? 1 : 0;
      else size += value === undefined ? 0 : 1;
      if (++count % ENTRIES_PER_STEP === 0) yield;
    }
    return new OverlayMap(base, overlay, size);
  }

  /** How many keys the overlay holds: when it grows large, a plain map is cheaper to read. */
  get overlaySize(): number {
    return this.#overlay.size;
  }

  get(key: K): V | undefined {
    return this.#overlay.has(key) ? this.#overlay.get(key) : this.#base.get(key);
  }

  has(key: K): boolean {
    return this.#overlay.has(key) ? this.#overlay.get(key) !== undefined : this.#base.has(key);
  }

  *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.#base) {
      if (!this.#overlay.has(key)) yield [key, value];
    }
    for (const [key, value] of this.#overlay) {
      if (value !== undefined) yield [key, value];
    }
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}
