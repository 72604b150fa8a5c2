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
 * Writes a source's cache after a fetch without the papers it held, in the order
 * mergeSourcePapersSteps(latest, previous, max) gives the papers held in memory (the old file is the
 * previous papers in their order, each line with its rank): the old file's lines in order, the latest
 * version's line instead of each one whose paper the body lists again, then the body's papers new to
 * the source, appended in its order (a paper twice in the body: its first copy). At most `max` lines,
 * the oldest (first) going: a first pass over the old file counts its papers, then the second one
 * copies it, streamed both times, with only the ids in memory. With `keepPrevious` false only the latest
 * papers are written (the source held none). Papers first, then the meta, each replaced atomically, as
 * writeCache does.
 */
export async function writeMergedCache(
  paths: CachePaths,
  meta: CachedMeta,
  latest: readonly Paper[],
  keepPrevious: boolean,
  max: number,
): Promise<void> {
  await mkdir(path.dirname(paths.papers), { recursive: true });
  const listed = new Map<string, Paper>();
  for (const paper of latest) if (!listed.has(paper.id)) listed.set(paper.id, paper);
  const old = keepPrevious ? await openIfThere(paths.papers) : undefined;
  try {
    const { ids, lines } = old === undefined ? { ids: new Set<string>(), lines: 0 } : await countLines(old);
    const appended = [...listed.values()].filter((paper) => !ids.has(paper.id));
    let drop = Math.max(0, lines + appended.length - max);
    await replaceFile(paths.papers, async (out) => {
      if (old !== undefined) drop = await copyOldLines(old, out, ids, listed, drop);
      await writeRecords(out, drop > 0 ? appended.slice(drop) : appended);
    });
  } finally {
    await old?.close();
  }
  await writeCachedMeta(paths, meta);
}

async function openIfThere(file: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The old file's distinct ids, and how many lines copyOldLines would copy of it (each id once). */
async function countLines(old: FileHandle): Promise<{ ids: Set<string>; lines: number }> {
  const ids = new Set<string>();
  let lines = 0;
  for await (const batch of lineBatches(old)) {
    for (const line of batch) {
      if (isBlank(line)) continue;
      const id = idOfLine(line);
      if (id !== undefined) {
        if (ids.has(id)) continue;
        ids.add(id);
      }
      lines++;
    }
  }
  return { ids, lines };
}

/**
 * Copies the old file's lines, each id once (its first line), after dropping the first `drop` of
 * them, and writes the latest version of a paper in `listed` in its line's place. `ids` are the old
 * file's (countLines): each is taken out as it comes. Returns how many lines are still to drop.
 */
async function copyOldLines(
  old: FileHandle,
  out: FileHandle,
  ids: Set<string>,
  listed: ReadonlyMap<string, Paper>,
  drop: number,
): Promise<number> {
  for await (const batch of lineBatches(old)) {
    const kept: Buffer[] = [];
    // Written before the next batch is read: the lines are views of the read buffer.
    const flush = async () => {
      if (kept.length === 0) return;
      await writeAll(out, Buffer.concat(kept));
      kept.length = 0;
    };
    for (const line of batch) {
      if (isBlank(line)) continue;
      const id = idOfLine(line);
      // A later line of an id already copied (or dropped).
      if (id !== undefined && !ids.delete(id)) continue;
      if (drop > 0) {
        drop--;
        continue;
      }
      const paper = id === undefined ? undefined : listed.get(id);
      if (paper === undefined) {
        // A line whose id cannot be read is kept as it is: the corpus file reader judges it on load.
        kept.push(line, NEWLINE);
        continue;
      }
      // The body lists it again: its latest version (counts, rank, text) takes the old line's place.
      await flush();
      await writeRecords(out, [paper]);
    }
    await flush();
  }
  return drop;
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
