import type { Paper } from "../../core/paper.ts";
import type { Steps } from "../../runtime/steps.ts";
import { buildPaper, type NamePool } from "../build-paper.ts";
import {
  detectFormat,
  looksBinary,
  looksLikeHtml,
  looksLikeXml,
  looksUndecodable,
  pageTitle,
} from "../detect-format.ts";
import { FeedError, type FeedFormat, readArxivFeedSteps } from "../read-arxiv-feed.ts";
import { JsonSyntaxError, readJsonArraySteps, readJsonLinesSteps } from "../read-json-records.ts";
import type { ReaderEntry, ReaderResult, ReaderWarning } from "../reader-result.ts";

export type SourceFormat = "json" | "jsonl" | FeedFormat;

export interface SourceBodyRead {
  readonly format: SourceFormat;
  /** In the body's own order; rank is the 1-based position among the papers kept. */
  readonly papers: Paper[];
  readonly skipped: number;
  readonly warnings: ReaderWarning[];
}

/** A body with no usable paper; the message is one line, without the source's name. */
export class SourceBodyError extends Error {
  override readonly name = "SourceBodyError";
}

/**
 * Reads a fetched body by its content, as files are read: a JSON array (Hugging Face daily_papers or
 * our records), JSON Lines, or an arXiv Atom/RSS feed. HTML (an error or login page) and plain text are
 * refused: from a URL, a page that is not a feed is an outage, never a corpus in the seed format.
 * As steps (see steps.ts): refreshes run it in the source worker (refresh-source.ts), in slices that
 * stop while a command is being answered (WORKER_SLICE_MS).
 */
export function* readSourceBodySteps(
  body: Uint8Array,
  source: string,
  names: NamePool,
): Steps<SourceBodyRead> {
  try {
    return yield* readBodySteps(body, source, names);
  } catch (error) {
    // A body is untrusted text: whatever a reader throws on it means the body is unreadable.
    if (error instanceof SourceBodyError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new SourceBodyError(`could not be read (${message.replace(/\s+/g, " ").slice(0, 120)})`);
  }
}

function* readBodySteps(body: Uint8Array, source: string, names: NamePool): Steps<SourceBodyRead> {
  if (looksBinary(body)) throw new SourceBodyError("has no papers (binary content)");
  const content = yield* decodeSteps(body);
  if (content.trim() === "") throw new SourceBodyError("has no papers (empty response)");
  if (looksUndecodable(content)) throw new SourceBodyError("has no papers (not UTF-8 text)");
  if (looksLikeHtml(content))
    throw new SourceBodyError(`is an HTML page, not a feed (${pageTitle(content)})`);

  if (looksLikeXml(content)) {
    try {
      const feed = yield* readArxivFeedSteps(content);
      return yield* buildSteps(feed.format, feed, source, names);
    } catch (error) {
      if (error instanceof FeedError) throw new SourceBodyError(error.message);
      throw error;
    }
  }
  const format = detectFormat(content);
  if (format === "text") throw new SourceBodyError("has no papers (neither JSON nor an Atom/RSS feed)");
  try {
    const found = yield* format === "json" ? readJsonArraySteps(content) : readJsonLinesSteps(content);
    return yield* buildSteps(format, found, source, names);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new SourceBodyError(`is ${error.message}`);
    throw error;
  }
}

/** Bytes decoded between pauses: a few hundred microseconds of work. */
const DECODE_STEP_BYTES = 256 * 1024;

/** UTF-8 text of the body, decoded a piece at a time (a character cut between pieces is carried over). */
function* decodeSteps(body: Uint8Array): Steps<string> {
  if (body.length <= DECODE_STEP_BYTES) return new TextDecoder("utf-8").decode(body);
  const decoder = new TextDecoder("utf-8");
  const pieces: string[] = [];
  for (let start = 0; start < body.length; start += DECODE_STEP_BYTES) {
    const piece = body.subarray(start, start + DECODE_STEP_BYTES);
    pieces.push(decoder.decode(piece, { stream: start + DECODE_STEP_BYTES < body.length }));
    yield;
  }
  return pieces.join("");
}

function* buildSteps(
  format: SourceFormat,
  found: ReaderResult,
  source: string,
  names: NamePool,
): Steps<SourceBodyRead> {
  const papers: Paper[] = [];
  const warnings: ReaderWarning[] = [...found.warnings];
  let skipped = found.skipped;
  for (const entry of found.entries) {
    yield;
    const built = buildPaper(entry.raw, papers.length + 1, source, names);
    if ("problem" in built) {
      skipped++;
      warnings.push(at(entry, `${entry.label ?? "record"} skipped: ${built.problem}`));
      continue;
    }
    papers.push(built.paper);
    for (const note of built.notes) warnings.push(at(entry, `${entry.label ?? "record"}: ${note}`));
  }
  if (papers.length === 0) {
    const first = warnings[0]?.message;
    const detail =
      skipped === 0
        ? "no records"
        : skipped === 1
          ? "its one record was unusable"
          : `all ${skipped} records were unusable`;
    throw new SourceBodyError(
      `has no papers (${format}: ${detail}${first === undefined ? "" : `; first: ${first.slice(0, 100)}`})`,
    );
  }
  return { format, papers, skipped, warnings };
}

function at(entry: ReaderEntry, message: string): ReaderWarning {
  return { line: entry.line, message };
}
