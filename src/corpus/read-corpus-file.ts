import { type FileHandle, open, readFile, stat } from "node:fs/promises";
import { NamePool } from "./build-paper.ts";
import { CorpusError } from "./corpus-error.ts";
import {
  detectFormat,
  formatOfStart,
  looksBinary,
  looksLikeHtml,
  looksLikeXml,
  looksUndecodable,
  pageTitle,
} from "./detect-format.ts";
import { type CorpusFileRead, PaperCollector } from "./paper-collector.ts";
import { FeedError, type FeedResult, readArxivFeed } from "./read-arxiv-feed.ts";
import {
  JsonSyntaxError,
  readJsonArray,
  readJsonLines,
  readRecord,
  shortMessage,
} from "./read-json-records.ts";
import { forEachLine, MAX_LINE_BYTES } from "./read-lines.ts";
import { IsoDateCache } from "./read-own-record.ts";
import { readSeedText, SeedTextReader } from "./read-seed-text.ts";
import type { ReaderResult } from "./reader-result.ts";

export type { CorpusFileRead } from "./paper-collector.ts";

/**
 * Line formats (JSON Lines, seed text) are streamed, so their size only costs the papers kept; the cap
 * guards against pointing CORPUS at a disk image or a log. A million papers are ~1.7 GB of JSON Lines.
 */
export const MAX_CORPUS_FILE_BYTES = 16 * 1024 ** 3;
/** A JSON array is parsed whole, as one string: V8 cannot hold a string much past 512 MB. */
export const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;
/** Enough of the start of a file to tell binary from text and one format from another. */
const SNIFF_BYTES = 64 * 1024;

type Fail = (why: string) => CorpusError;

/**
 * Reads one corpus file, whatever its format. Throws a one-line CorpusError naming `shownPath` when the
 * file is missing, unreadable, empty, binary, or has no usable paper; anything less is a warning.
 */
export async function readCorpusFile(
  absolutePath: string,
  shownPath: string,
  names = new NamePool(),
): Promise<CorpusFileRead> {
  const fail: Fail = (why) => new CorpusError(`CORPUS: ${shownPath} ${why}`, shownPath);
  try {
    return await readFileByContent(absolutePath, shownPath, names, fail);
  } catch (error) {
    // The file's error boundary: whatever a reader throws on its content is this file's one-line error.
    if (error instanceof CorpusError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw fail(`could not be read (${message.replace(/\s+/g, " ").slice(0, 120)})`);
  }
}

async function readFileByContent(
  absolutePath: string,
  shownPath: string,
  names: NamePool,
  fail: Fail,
): Promise<CorpusFileRead> {
  const info = await io(stat(absolutePath), fail);
  if (info.isDirectory()) throw fail("is a folder, not a file");
  if (info.size > MAX_CORPUS_FILE_BYTES) throw fail(`is too large (${info.size} bytes)`);
  const wholeAllowed = info.size <= MAX_WHOLE_FILE_BYTES;

  const file = await io(open(absolutePath, "r"), fail);
  try {
    const head = await io(readHead(file), fail);
    if (looksBinary(head)) throw fail("has no papers (binary file)");
    const isWholeFile = head.length < SNIFF_BYTES;
    // Decoded the way the whole file would be (BOM dropped, invalid bytes replaced), for the checks below.
    const start = new TextDecoder("utf-8").decode(head, { stream: !isWholeFile });
    if (looksUndecodable(start)) throw fail("has no papers (not UTF-8 text)");

    if (looksLikeHtml(start)) throw fail(`is an HTML page, not a corpus (${pageTitle(start)})`);
    if (looksLikeXml(start)) {
      if (!wholeAllowed) throw fail(`is too large (${info.size} bytes)`);
      const content = isWholeFile
        ? start
        : new TextDecoder("utf-8").decode(await io(readFile(absolutePath), fail));
      return readFeed(content, new PaperCollector(shownPath, names), fail);
    }
    const format = formatOfStart(start, isWholeFile);
    if (format === "text")
      return await io(streamSeedText(file, new PaperCollector(shownPath, names), fail), fail);
    if (format === "jsonl") {
      const read = await io(
        streamJsonLines(file, new PaperCollector(shownPath, names), fail, wholeAllowed),
        fail,
      );
      if (read !== undefined) return read;
    }
    // A JSON array, a file whose start does not tell, or JSON Lines that may be one pretty-printed object.
    if (!wholeAllowed) throw fail(`is too large (${info.size} bytes)`);
    const content = isWholeFile
      ? start
      : new TextDecoder("utf-8").decode(await io(readFile(absolutePath), fail));
    return readContent(content, new PaperCollector(shownPath, names), fail);
  } finally {
    await file.close();
  }
}

/** The whole file as one string: JSON arrays, and the odd files a look at their start cannot place. */
function readContent(content: string, collector: PaperCollector, fail: Fail): CorpusFileRead {
  if (content.trim() === "") throw fail("has no papers (empty file)");
  if (looksUndecodable(content)) throw fail("has no papers (not UTF-8 text)");
  const format = detectFormat(content);
  let found: ReaderResult;
  try {
    found =
      format === "json"
        ? readJsonArray(content)
        : format === "jsonl"
          ? readJsonLines(content)
          : readSeedText(content);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw fail(`is ${error.message}`);
    throw error;
  }
  for (const warning of found.warnings) collector.skip(warning.line, warning.message, "record");
  for (const entry of found.entries) collector.add(entry);
  return collector.finish(format, fail);
}

/** A saved Atom or RSS feed, read as the same feed is read from its URL. */
function readFeed(content: string, collector: PaperCollector, fail: Fail): CorpusFileRead {
  let feed: FeedResult;
  try {
    feed = readArxivFeed(content);
  } catch (error) {
    if (error instanceof FeedError) throw fail(error.message);
    throw error;
  }
  for (const warning of feed.warnings) collector.skip(warning.line, warning.message, "record");
  for (const entry of feed.entries) collector.add(entry);
  return collector.finish(feed.format, fail);
}

async function streamSeedText(
  file: FileHandle,
  collector: PaperCollector,
  fail: Fail,
): Promise<CorpusFileRead> {
  const reader = new SeedTextReader({
    entry: (entry) => collector.add(entry),
    wordlessLine: (line, message) => collector.skip(line, message, "wordless-line"),
    unpaired: (line, message) => collector.skip(line, message, "record"),
  });
  await forEachLine(
    file,
    (text, line) => {
      reader.push(text, line);
      return true;
    },
    (line, bytes) => {
      reader.pushTooLong(line, bytes);
      return true;
    },
  );
  reader.end();
  return collector.finish("text", fail);
}

/**
 * JSON Lines, one record per line, each built into a paper as soon as it is read. Resolves undefined
 * when the file must be read whole after all: its first line is not JSON on its own, or it has a single
 * record, either of which may be one pretty-printed object (read as one record on line 1).
 */
async function streamJsonLines(
  file: FileHandle,
  collector: PaperCollector,
  fail: Fail,
  wholeAllowed: boolean,
): Promise<CorpusFileRead | undefined> {
  const dates = new IsoDateCache();
  let records = 0;
  const readAll = await forEachLine(
    file,
    (text, line) => {
      const trimmed = text.trim();
      if (trimmed === "") return true;
      records++;
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch (error) {
        if (records === 1 && wholeAllowed) return false;
        collector.skip(line, `not valid JSON (${shortMessage(error)}); skipped`, "record");
        return true;
      }
      const raw = readRecord(value, dates);
      if ("problem" in raw) collector.skip(line, `record skipped: ${raw.problem}`, "record");
      else collector.add({ raw, line });
      return true;
    },
    (line, bytes) => {
      records++;
      collector.skip(line, `line too long (${bytes} bytes, at most ${MAX_LINE_BYTES}); skipped`, "record");
      return true;
    },
  );
  if (!readAll || (records === 1 && wholeAllowed)) return undefined;
  return collector.finish("jsonl", fail);
}

/** The first SNIFF_BYTES of the file, or all of it when it is shorter. */
async function readHead(file: FileHandle): Promise<Buffer> {
  const head = Buffer.alloc(SNIFF_BYTES);
  let filled = 0;
  for (;;) {
    const { bytesRead } = await file.read(head, filled, SNIFF_BYTES - filled, filled);
    filled += bytesRead;
    if (bytesRead === 0 || filled === SNIFF_BYTES) return head.subarray(0, filled);
  }
}

/** Awaits file-system work, turning its errors into one-line messages naming the file. */
async function io<T>(work: Promise<T>, fail: Fail): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof CorpusError || typeof code !== "string") throw error;
    if (code === "ENOENT") throw fail("does not exist");
    if (code === "EACCES" || code === "EPERM") throw fail("cannot be read (permission denied)");
    throw fail(`cannot be read (${code})`);
  }
}
