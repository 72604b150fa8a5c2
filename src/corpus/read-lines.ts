import type { FileHandle } from "node:fs/promises";

/**
 * Streams a file's lines without ever holding the whole file: a million papers are ~1.7 GB, more than
 * one V8 string can hold, and a whole-file string plus its lines array made the heap grow to ~1 GB at
 * 100k papers. Lines end at "\r\n", "\r" or "\n", as `split(/\r\n|\r|\n/)` would cut them.
 *
 * Each line is decoded on its own from the bytes, so it is a fresh string: nothing kept from it (a
 * title, an abstract) can pin a megabyte chunk in memory the way a slice of a big string would.
 */

/** Called with each line (without its line break) and its 1-based number; returns false to stop reading. */
export type LineHandler = (text: string, line: number) => boolean;
/** Called instead of LineHandler for a line longer than MAX_LINE_BYTES, with its length in bytes. */
export type LongLineHandler = (line: number, bytes: number) => boolean;

const CHUNK_BYTES = 1 << 20;
const FIRST_BUFFER_BYTES = 64 * 1024;
/** The longest line decoded (the old whole-file limit, plus a piece); a longer one is only measured. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/** Resolves true when every line was read, false when a handler stopped early. */
export async function forEachLine(
  file: FileHandle,
  onLine: LineHandler,
  onLongLine: LongLineHandler,
): Promise<boolean> {
  // Small to begin with: most corpus files are small, and a large one grows it to chunks at once.
  let buffer = Buffer.allocUnsafe(FIRST_BUFFER_BYTES);
  let filled = 0; // bytes read into buffer
  let start = 0; // where the current, unfinished line starts in buffer
  let filePosition = 0;
  let line = 1;
  let skipLf = false; // the last line ended with "\r" at the end of the bytes read: a "\n" next belongs to it
  let longLineBytes = -1; // >= 0 while skipping the rest of an overlong line: its bytes so far
  let firstRead = true;

  for (;;) {
    // The unfinished line moves to the front, and the next piece of the file is appended to it.
    if (start > 0) {
      buffer.copy(buffer, 0, start, filled);
      filled -= start;
      start = 0;
    }
    if (filled > MAX_LINE_BYTES) {
      longLineBytes = Math.max(longLineBytes, 0) + filled;
      filled = 0;
    }
    // Grown only when less than half a chunk is free, so a file that fits in the first buffer
    // (most files) is read with that one buffer and never copied.
    if (buffer.length - filled < CHUNK_BYTES / 2) {
      const bigger = Buffer.allocUnsafe(Math.max(buffer.length * 2, filled + CHUNK_BYTES));
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
    }
    const { bytesRead } = await file.read(
      buffer,
      filled,
      Math.min(CHUNK_BYTES, buffer.length - filled),
      filePosition,
    );
    filePosition += bytesRead;
    filled += bytesRead;
    const atEnd = bytesRead === 0;

    if (firstRead) {
      firstRead = false;
      // The UTF-8 byte-order mark is not text (TextDecoder drops it too). The first read of a regular
      // file returns at least its first 3 bytes.
      if (filled >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
    }
    if (skipLf && start < filled) {
      if (buffer[start] === LF) start++;
      skipLf = false;
    }
    // Searches stop at the bytes read: past them the buffer holds nothing of this file, and a
    // search through it would cost a scan of the whole buffer per read.
    const read = buffer.subarray(0, filled);
    // Where the next "\r" is: searched once per read, since most files have none at all.
    let nextCr = crAtOrAfter(read, start);
    while (start < filled) {
      if (nextCr < start) nextCr = crAtOrAfter(read, start);
      const lf = read.indexOf(LF, start);
      const end = nextCr < filled && (lf === -1 || nextCr < lf) ? nextCr : lf;
      if (end === -1) break; // the line goes on past the bytes read
      let next = end + 1;
      if (end === nextCr) {
        if (next < filled) {
          if (buffer[next] === LF) next++;
        } else {
          skipLf = true;
        }
      }
      const keepGoing =
        longLineBytes >= 0
          ? onLongLine(line, longLineBytes + (end - start))
          : onLine(buffer.toString("utf8", start, end), line);
      longLineBytes = -1;
      line++;
      start = next;
      if (!keepGoing) return false;
    }
    if (atEnd) {
      // What follows the last line break is the last line, empty when the file ends with one (as split gives).
      return longLineBytes >= 0
        ? onLongLine(line, longLineBytes + (filled - start))
        : onLine(buffer.toString("utf8", start, filled), line);
    }
  }
}

/** Position of the first "\r" in bytes[from…], or `bytes.length` when there is none. */
function crAtOrAfter(bytes: Buffer, from: number): number {
  const found = bytes.indexOf(CR, from);
  return found === -1 ? bytes.length : found;
}
