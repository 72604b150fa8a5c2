import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { pauseBetweenSlices } from "../runtime/steps.ts";
import { Crc32 } from "./crc32.ts";
import {
  headerBytes,
  MAGIC,
  parseHeader,
  type Section,
  SectionReader,
  SnapshotError,
  type SnapshotHeader,
} from "./sections.ts";

/** What identifies a written snapshot file: the fingerprint file names it, so a mismatched pair is seen. */
export interface FileSeal {
  readonly bytes: number;
  /** CRC-32 of the whole file, hex. */
  readonly crc32: string;
}

/** Bytes hashed or written between two pauses: writing runs beside the commands of a started bot. */
const CHUNK = 4 << 20;
/** One read() takes at most this many bytes (the system's limit is just under 2 GiB). */
const MAX_READ = 1 << 30;

/** Where `file` is written before it is renamed over the old one; one per process, so two never share. */
export function temporaryOf(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/**
 * Writes `content` to `file` through a temporary file in the same folder, flushed to disk before it is
 * renamed over `file`: a kill at any point leaves the old file whole or the new one whole.
 */
export async function replaceFileAtomically(
  file: string,
  write: (handle: FileHandle) => Promise<void>,
): Promise<void> {
  const temporary = temporaryOf(file);
  const handle = await open(temporary, "w");
  try {
    await write(handle);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
}

/** Writes the header and sections atomically, hashing them on the way, in chunks with pauses between. */
export async function writeSnapshotFile<M>(
  file: string,
  meta: M,
  sections: readonly Section[],
): Promise<FileSeal> {
  const hash = new Crc32();
  let bytes = 0;
  await replaceFileAtomically(file, async (handle) => {
    const header = headerBytes(meta, sections);
    hash.update(header);
    await writeAll(handle, header);
    bytes += header.byteLength;
    for (const { bytes: body } of sections) {
      for (let offset = 0; offset < body.byteLength; offset += CHUNK) {
        const chunk = body.subarray(offset, Math.min(body.byteLength, offset + CHUNK));
        hash.update(chunk);
        await writeAll(handle, chunk);
        await pauseBetweenSlices();
      }
      bytes += body.byteLength;
    }
  });
  return { bytes, crc32: hash.digest() };
}

/**
 * Reads a snapshot file back, checking it against its seal: a size or checksum that differs (a file
 * cut short, a flipped bit, the file of another write) throws a SnapshotError, as does a header that
 * does not describe the file. A missing file throws the system's ENOENT.
 */
export async function readSnapshotFile<M>(
  file: string,
  seal: FileSeal,
): Promise<{ meta: M; sections: SectionReader }> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    if (size !== seal.bytes) throw new SnapshotError(`has ${size} bytes, expected ${seal.bytes}`);
    const hash = new Crc32();
    const prefix = await readExactly(handle, 0, Math.min(size, MAGIC.byteLength + 4), hash);
    if (prefix.byteLength < MAGIC.byteLength + 4) throw new SnapshotError("cut short");
    const headerLength = prefix.readUInt32LE(MAGIC.byteLength);
    if (MAGIC.byteLength + 4 + headerLength > size) throw new SnapshotError("header cut short");
    const rest = await readExactly(handle, prefix.byteLength, headerLength, hash);
    const { header, bodyStart } = parseHeader<M>(Buffer.concat([prefix, rest]), size);
    const sections = new SectionReader();
    // Every section's read is under way at once (on libuv's threads) while the ones already read are
    // hashed here, in file order.
    let position = bodyStart;
    const reads = (header as SnapshotHeader<M>).sections.map((entry) => {
      const buffer = new ArrayBuffer(entry.byteLength);
      const read = readInto(handle, position, new Uint8Array(buffer));
      read.catch(() => undefined);
      position += entry.byteLength;
      return { entry, buffer, read };
    });
    for (const { entry, buffer, read } of reads) {
      await read;
      hash.update(new Uint8Array(buffer));
      sections.add(entry, buffer);
    }
    if (hash.digest() !== seal.crc32) throw new SnapshotError("checksum does not match");
    return { meta: header.meta, sections };
  } finally {
    await handle.close();
  }
}

async function readExactly(
  handle: FileHandle,
  position: number,
  length: number,
  hash: Crc32,
): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  await readInto(handle, position, buffer);
  hash.update(buffer);
  return buffer;
}

async function readInto(handle: FileHandle, position: number, target: Uint8Array): Promise<void> {
  for (let offset = 0; offset < target.byteLength; ) {
    const length = Math.min(MAX_READ, target.byteLength - offset);
    const { bytesRead } = await handle.read(target, offset, length, position + offset);
    if (bytesRead === 0) throw new SnapshotError("cut short");
    offset += bytesRead;
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  // A write may take fewer bytes than it was given; the rest follows.
  for (let offset = 0; offset < bytes.byteLength; ) {
    const { bytesWritten } = await handle.write(bytes, offset);
    offset += bytesWritten;
  }
}
