/**
 * A snapshot file's layout: MAGIC, the header's byte length (u32, little-endian), the header (JSON:
 * whatever the caller keeps there plus the name, type and byte length of each section), then the
 * sections' bytes one after another. Each section is read into an ArrayBuffer of its own, so a typed
 * array read back owns exactly its bytes, as the one that was built did. Nothing here trusts the
 * file: every length is checked against the file's size before anything is allocated, and anything
 * that does not fit throws a SnapshotError.
 */

export const MAGIC = Buffer.from("PPIDXv1\n", "latin1");

export type SectionType = "u8" | "u32" | "i32" | "f64" | "utf8";

export interface Section {
  readonly name: string;
  readonly type: SectionType;
  readonly bytes: Uint8Array;
}

export interface SectionEntry {
  readonly name: string;
  readonly type: SectionType;
  readonly byteLength: number;
}

export interface SnapshotHeader<M> {
  readonly meta: M;
  readonly sections: readonly SectionEntry[];
}

export class SnapshotError extends Error {
  override readonly name = "SnapshotError";
}

const ELEMENT_SIZE: Record<SectionType, number> = { u8: 1, u32: 4, i32: 4, f64: 8, utf8: 1 };

export function sectionOf(
  name: string,
  array: Uint8Array | Uint32Array | Int32Array | Float64Array,
): Section {
  const type: SectionType =
    array instanceof Uint32Array
      ? "u32"
      : array instanceof Int32Array
        ? "i32"
        : array instanceof Float64Array
          ? "f64"
          : "u8";
  return { name, type, bytes: new Uint8Array(array.buffer, array.byteOffset, array.byteLength) };
}

export function textSection(name: string, text: string): Section {
  return { name, type: "utf8", bytes: Buffer.from(text, "utf8") };
}

/** The bytes before the sections: magic, header length, header. */
export function headerBytes<M>(meta: M, sections: readonly Section[]): Buffer {
  const header: SnapshotHeader<M> = {
    meta,
    sections: sections.map(({ name, type, bytes }) => ({ name, type, byteLength: bytes.byteLength })),
  };
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.byteLength);
  return Buffer.concat([MAGIC, length, json]);
}

/** The header at the start of a file of `fileSize` bytes; its sections must add up to the file's end. */
export function parseHeader<M>(
  start: Buffer,
  fileSize: number,
): { header: SnapshotHeader<M>; bodyStart: number } {
  if (start.byteLength < MAGIC.byteLength + 4 || !start.subarray(0, MAGIC.byteLength).equals(MAGIC))
    throw new SnapshotError("not a snapshot file");
  const headerLength = start.readUInt32LE(MAGIC.byteLength);
  const bodyStart = MAGIC.byteLength + 4 + headerLength;
  if (bodyStart > start.byteLength || bodyStart > fileSize) throw new SnapshotError("header cut short");
  let header: SnapshotHeader<M>;
  try {
    header = JSON.parse(
      start.subarray(MAGIC.byteLength + 4, bodyStart).toString("utf8"),
    ) as SnapshotHeader<M>;
  } catch {
    throw new SnapshotError("header is not JSON");
  }
  if (header === null || typeof header !== "object" || !Array.isArray(header.sections))
    throw new SnapshotError("header has no sections");
  let total = bodyStart;
  const names = new Set<string>();
  for (const entry of header.sections) {
    const size = ELEMENT_SIZE[entry?.type as SectionType];
    if (
      size === undefined ||
      typeof entry.name !== "string" ||
      names.has(entry.name) ||
      !Number.isSafeInteger(entry.byteLength) ||
      entry.byteLength < 0 ||
      entry.byteLength % size !== 0
    )
      throw new SnapshotError("a section entry is malformed");
    names.add(entry.name);
    total += entry.byteLength;
  }
  if (total !== fileSize) throw new SnapshotError(`sections end at byte ${total}, file has ${fileSize}`);
  return { header, bodyStart };
}

/** The sections by name, as read back, with typed getters that check the type. */
export class SectionReader {
  readonly #sections = new Map<string, { type: SectionType; buffer: ArrayBuffer }>();

  add(entry: SectionEntry, buffer: ArrayBuffer): void {
    this.#sections.set(entry.name, { type: entry.type, buffer });
  }

  #get(name: string, type: SectionType): ArrayBuffer {
    const section = this.#sections.get(name);
    if (section === undefined || section.type !== type) throw new SnapshotError(`section ${name} missing`);
    return section.buffer;
  }

  u8(name: string): Uint8Array {
    return new Uint8Array(this.#get(name, "u8"));
  }

  u32(name: string): Uint32Array {
    return new Uint32Array(this.#get(name, "u32"));
  }

  i32(name: string): Int32Array {
    return new Int32Array(this.#get(name, "i32"));
  }

  f64(name: string): Float64Array {
    return new Float64Array(this.#get(name, "f64"));
  }

  text(name: string): Buffer {
    return Buffer.from(this.#get(name, "utf8"));
  }
}
