import { type FileHandle, mkdir, open } from "node:fs/promises";
import path from "node:path";
import type { Paper } from "../../paper.ts";
import {
  type CachedMeta,
  type CachePaths,
  replaceFile,
  writeAll,
  writeCachedMeta,
  writeRecords,
} from "./source-cache.ts";

/** Bytes of the old file read at a time. */
const READ_BYTES = 1 << 20;
const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** How our writer starts every line (writeRecords puts `id` first). */
const ID_PREFIX = Buffer.from('{"id":"');

/**
 * Writes a source's cache after a fetch without the papers it held: the latest body's papers first,
 * then the lines of the old cache file whose paper the body no longer lists, streamed, at most `max`
 * lines in all. That is the order mergeSourcePapersSteps(latest, previous, max) gives the papers held in
 * memory, since the old file is the previous papers in their order, each line with its rank. With
 * `keepPrevious` false only the latest papers are written (the source held none). Papers first, then
 * the meta, each replaced atomically, as writeCache does.
 */
export async function writeMergedCache(
  paths: CachePaths,
  meta: CachedMeta,
  latest: readonly Paper[],
  keepPrevious: boolean,
  max: number,
): Promise<void> {
  await mkdir(path.dirname(paths.papers), { recursive: true });
  const written = latest.slice(0, max);
  await replaceFile(paths.papers, async (out) => {
    await writeRecords(out, written);
    if (keepPrevious && written.length < max) {
      const seen = new Set(written.map((paper) => paper.id));
      await copyOlderLines(paths.papers, out, seen, max - written.length);
    }
  });
  await writeCachedMeta(paths, meta);
}

/** Appends up to `room` lines of `file` whose id is not in `seen` (nor an earlier line's); none if it is gone. */
async function copyOlderLines(file: string, out: FileHandle, seen: Set<string>, room: number): Promise<void> {
  let old: FileHandle;
  try {
    old = await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    for await (const lines of lineBatches(old)) {
      const kept: Buffer[] = [];
      for (const line of lines) {
        if (room === 0) break;
        if (isBlank(line)) continue;
        const id = idOfLine(line);
        if (id !== undefined) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        // A line whose id cannot be read is kept as it is: the corpus file reader judges it on load.
        kept.push(line, NEWLINE);
        room--;
      }
      // Written before the next batch is read: the lines are views of the read buffer.
      if (kept.length > 0) await writeAll(out, Buffer.concat(kept));
      if (room === 0) return;
    }
  } finally {
    await old.close();
  }
}

const NEWLINE = Buffer.from("\n");

/**
 * The file's lines (without "\n"), a read buffer's worth at a time, as views of that buffer: each
 * batch is valid until the next one is asked for. Never more of the file in memory than a buffer.
 */
async function* lineBatches(file: FileHandle): AsyncGenerator<Buffer[]> {
  let buffer = Buffer.allocUnsafe(READ_BYTES * 2);
  let filled = 0;
  let position = 0;
  for (;;) {
    if (buffer.length - filled < READ_BYTES) {
      // Only a line longer than the buffer gets here: the buffer grows to hold it.
      const bigger = Buffer.allocUnsafe(filled + READ_BYTES * 2);
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
    }
    const { bytesRead } = await file.read(buffer, filled, READ_BYTES, position);
    position += bytesRead;
    filled += bytesRead;
    const atEnd = bytesRead === 0;
    const bytes = buffer.subarray(0, filled);
    const lines: Buffer[] = [];
    let start = 0;
    for (let end = bytes.indexOf(LF, start); end !== -1; end = bytes.indexOf(LF, start)) {
      lines.push(bytes.subarray(start, end));
      start = end + 1;
    }
    if (atEnd && start < filled) {
      lines.push(bytes.subarray(start, filled));
      start = filled;
    }
    if (lines.length > 0) yield lines;
    if (atEnd) return;
    // The unfinished line moves to the front; the next read appends to it.
    buffer.copy(buffer, 0, start, filled);
    filled -= start;
  }
}

/** The paper id of one of our lines: read off its start, else parsed; undefined when unreadable. */
function idOfLine(line: Buffer): string | undefined {
  if (line.subarray(0, ID_PREFIX.length).equals(ID_PREFIX)) {
    const end = line.indexOf(QUOTE, ID_PREFIX.length);
    const raw = end === -1 ? undefined : line.subarray(ID_PREFIX.length, end);
    if (raw !== undefined && !raw.includes(BACKSLASH)) return raw.toString("utf8");
  }
  try {
    const id = (JSON.parse(line.toString("utf8")) as { id?: unknown } | null)?.id;
    if (typeof id === "string") return id;
    return typeof id === "number" ? String(id) : undefined;
  } catch {
    return undefined;
  }
}

function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
