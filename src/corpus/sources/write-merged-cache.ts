import { type FileHandle, mkdir, open } from "node:fs/promises";
import path from "node:path";
import type { Paper } from "../../core/paper.ts";
import { listedPapers } from "./merge-source-papers.ts";
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
 * the source, appended in its order (a paper twice in the body: its first copy). One pass over the old
 * file, streamed, with only its ids in memory; at most `max` lines, the oldest (first) going, which
 * takes a second pass only when the source is past it. With `keepPrevious` false only the latest papers
 * are written (the source held none). Papers first, then the meta, each replaced atomically, as
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
  const listed = listedPapers(latest);
  let lines = 0;
  await replaceFile(paths.papers, async (out) => {
    const copied = keepPrevious
      ? await copyOldLines(paths.papers, out, listed)
      : { ids: new Set<string>(), lines: 0 };
    const appended = [...listed.values()].filter((paper) => !copied.ids.has(paper.id));
    await writeRecords(out, appended);
    lines = copied.lines + appended.length;
  });
  if (lines > max) await dropFirstLines(paths.papers, lines - max);
  await writeCachedMeta(paths, meta);
}

/**
 * Copies the lines of `file` (none if it is gone), each id once (its first line), writing the latest
 * version of a paper in `listed` in its line's place. Returns the ids copied and how many lines were.
 */
async function copyOldLines(
  file: string,
  out: FileHandle,
  listed: ReadonlyMap<string, Paper>,
): Promise<{ ids: Set<string>; lines: number }> {
  const ids = new Set<string>();
  let lines = 0;
  const old = await openIfThere(file);
  if (old === undefined) return { ids, lines };
  try {
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
        if (id !== undefined) {
          if (ids.has(id)) continue;
          ids.add(id);
        }
        lines++;
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
  } finally {
    await old.close();
  }
  return { ids, lines };
}

/** Rewrites `file` (as writeMergedCache left it: no blank line, each id once) without its first `count` lines. */
async function dropFirstLines(file: string, count: number): Promise<void> {
  const old = await open(file, "r");
  try {
    let drop = count;
    await replaceFile(file, async (out) => {
      for await (const batch of lineBatches(old)) {
        const kept: Buffer[] = [];
        for (const line of batch) {
          if (isBlank(line)) continue;
          if (drop > 0) drop--;
          else kept.push(line, NEWLINE);
        }
        if (kept.length > 0) await writeAll(out, Buffer.concat(kept));
      }
    });
  } finally {
    await old.close();
  }
}

async function openIfThere(file: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
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
