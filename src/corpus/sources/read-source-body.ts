import type { Paper } from "../../paper.ts";
import { buildPaper, NamePool } from "../build-paper.ts";
import { detectFormat, looksBinary, looksUndecodable } from "../detect-format.ts";
import { JsonSyntaxError, readJsonArray, readJsonLines } from "../read-json-records.ts";
import type { ReaderEntry, ReaderResult, ReaderWarning } from "../reader-result.ts";
import { FeedError, type FeedFormat, looksLikeXml, readArxivFeed } from "./read-arxiv-feed.ts";

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
 */
export function readSourceBody(body: Uint8Array, source: string, names = new NamePool()): SourceBodyRead {
  if (looksBinary(body)) throw new SourceBodyError("has no papers (binary content)");
  const content = new TextDecoder("utf-8").decode(body);
  if (content.trim() === "") throw new SourceBodyError("has no papers (empty response)");
  if (looksUndecodable(content)) throw new SourceBodyError("has no papers (not UTF-8 text)");
  if (looksLikeHtml(content))
    throw new SourceBodyError(`is an HTML page, not a feed (${pageTitle(content)})`);

  if (looksLikeXml(content)) {
    try {
      const feed = readArxivFeed(content);
      return build(feed.format, feed, source, names);
    } catch (error) {
      if (error instanceof FeedError) throw new SourceBodyError(error.message);
      throw error;
    }
  }
  const format = detectFormat(content);
  if (format === "text") throw new SourceBodyError("has no papers (neither JSON nor an Atom/RSS feed)");
  try {
    return build(format, format === "json" ? readJsonArray(content) : readJsonLines(content), source, names);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new SourceBodyError(`is ${error.message}`);
    throw error;
  }
}

function build(format: SourceFormat, found: ReaderResult, source: string, names: NamePool): SourceBodyRead {
  const papers: Paper[] = [];
  const warnings: ReaderWarning[] = [...found.warnings];
  let skipped = found.skipped;
  for (const entry of found.entries) {
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
    const detail = skipped === 0 ? "no records" : `all ${skipped} records were unusable`;
    throw new SourceBodyError(
      `has no papers (${format}: ${detail}${first === undefined ? "" : `; first: ${first.slice(0, 100)}`})`,
    );
  }
  return { format, papers, skipped, warnings };
}

function at(entry: ReaderEntry, message: string): ReaderWarning {
  return { line: entry.line, message };
}

function looksLikeHtml(content: string): boolean {
  return /^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(content.replace(/^\uFEFF/, ""));
}

function pageTitle(content: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(content.slice(0, 64 * 1024))?.[1];
  const cleaned = (title ?? "").replace(/\s+/g, " ").trim().slice(0, 80);
  return cleaned === "" ? "no title" : `"${cleaned}"`;
}
