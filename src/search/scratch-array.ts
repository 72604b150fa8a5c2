/**
 * A growable typed array for build-time scratch that gives its memory back to the OS the moment it is
 * released, instead of whenever V8 next runs a full collection.
 *
 * Why: the index builder's scratch (one entry per (paper, term) pair, ~100 MB at 100k papers) used to be
 * plain typed arrays left to the garbage collector. V8 frees an ArrayBuffer's memory only once a full
 * collection finds it dead, which an idle bot may not run for hours, so its RSS stayed ~100 MB high after
 * start-up. A resizable ArrayBuffer reserves address space up front and grows in place (no copy, no
 * doubled-up garbage while growing), and `resize(0)` decommits its pages at once.
 *
 * Past the largest resizable buffer V8 allows (4 GiB), or where one cannot be reserved, it falls back to
 * plain buffers that grow by copying and are left to the garbage collector: slower to give back, but it
 * still works.
 */

type ScratchElements = Uint8Array<ArrayBuffer> | Uint16Array<ArrayBuffer> | Uint32Array<ArrayBuffer>;

interface ElementType<T extends ScratchElements> {
  readonly BYTES_PER_ELEMENT: number;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
}

/** V8's cap on a resizable ArrayBuffer's maxByteLength (larger values throw a RangeError). */
const MAX_RESERVED_BYTES = 2 ** 32;
const MIN_GROWTH_BYTES = 1 << 16;

export class ScratchArray<T extends ScratchElements> {
  readonly #type: ElementType<T>;
  #buffer: ArrayBuffer;
  /**
   * The whole capacity (zero-filled beyond what was written), for direct indexed reads and writes.
   * Replaced by {@link reserve} and {@link release}: read it again after calling either.
   */
  array: T;

  /** `length` elements, zero-filled; `maxLength` bounds the address space reserved for growth. */
  constructor(type: ElementType<T>, length: number, maxLength = Number.POSITIVE_INFINITY) {
    this.#type = type;
    const bytes = length * type.BYTES_PER_ELEMENT;
    const reserved = Math.min(MAX_RESERVED_BYTES, Math.max(bytes, maxLength * type.BYTES_PER_ELEMENT));
    this.#buffer = bytes <= reserved ? tryResizable(bytes, reserved) : new ArrayBuffer(bytes);
    this.array = new type(this.#buffer, 0, length);
  }

  /** Grows the capacity to at least `length` elements (geometrically, in place when it can); returns `array`. */
  reserve(length: number): T {
    if (length <= this.array.length) return this.array;
    const size = this.#type.BYTES_PER_ELEMENT;
    const wanted = Math.max(length * size, this.#buffer.byteLength * 2, MIN_GROWTH_BYTES);
    const buffer = this.#buffer;
    if (buffer.resizable && length * size <= buffer.maxByteLength) {
      buffer.resize(Math.min(wanted, buffer.maxByteLength));
    } else {
      const grown = new ArrayBuffer(wanted);
      new Uint8Array(grown).set(new Uint8Array(buffer, 0, this.array.byteLength));
      this.#release(buffer);
      this.#buffer = grown;
    }
    this.array = new this.#type(this.#buffer, 0, this.#buffer.byteLength / size);
    return this.array;
  }

  /** Gives the memory back now; the scratch is empty afterwards (and can grow again). */
  release(): void {
    this.#release(this.#buffer);
    this.#buffer = new ArrayBuffer(0);
    this.array = new this.#type(this.#buffer, 0, 0);
  }

  #release(buffer: ArrayBuffer): void {
    if (buffer.resizable) buffer.resize(0);
  }
}

function tryResizable(bytes: number, maxBytes: number): ArrayBuffer {
  try {
    return new ArrayBuffer(bytes, { maxByteLength: maxBytes });
  } catch {
    // No address space to reserve (ulimit -v) or no resizable buffers: plain memory still works.
    return new ArrayBuffer(bytes);
  }
}
