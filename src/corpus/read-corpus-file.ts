import { readFile, stat } from "node:fs/promises";
import type { Paper } from "../paper.ts";
import { buildPaper } from "./build-paper.ts";
import { CorpusError } from "./corpus-error.ts";
import { type CorpusFormat, detectFormat, looksBinary, looksUndecodable } from "./detect-format.ts";
import { JsonSyntaxError, readJsonArray, readJsonLines } from "./read-json-records.ts";
import { readSeedText } from "./read-seed-text.ts";
import type { ReaderResult, ReaderWarning } from "./reader-result.ts";

/** Far beyond any real paper list; guards memory against pointing CORPUS at a disk image or a log. */
export const MAX_CORPUS_FILE_BYTES = 256 * 1024 * 1024;

export interface CorpusFileRead {
  readonly format: CorpusFormat;
  /** In the file's own order; rank is the 1-based position among the papers kept. */
  readonly papers: Paper[];
  readonly skipped: number;
  readonly warnings: ReaderWarning[];
}

/**
 * Reads one corpus file, whatever its format. Throws a one-line CorpusError naming `shownPath` when the
 * file is missing, unreadable, empty, binary, or has no usable paper; anything less is a warning.
 */
export async function readCorpusFile(absolutePath: string, shownPath: string): Promise<CorpusFileRead> {
  const fail = (why: string) => new CorpusError(`CORPUS: ${shownPath} ${why}`, shownPath);
  const bytes = await readBytes(absolutePath, fail);
  if (looksBinary(bytes)) throw fail("has no papers (binary file)");
  const content = new TextDecoder("utf-8").decode(bytes); // drops a UTF-8 BOM, replaces invalid bytes
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

  const papers: Paper[] = [];
  const warnings = [...found.warnings];
  let skipped = found.skipped;
  for (const entry of found.entries) {
    const built = buildPaper(entry.raw, papers.length + 1, shownPath);
    const name = entry.label ?? "record";
    if ("problem" in built) {
      skipped++;
      warnings.push({ line: entry.line, message: `${name} skipped: ${built.problem}` });
      continue;
    }
    papers.push(built.paper);
    for (const note of built.notes) warnings.push({ line: entry.line, message: `${name}: ${note}` });
  }
  if (papers.length === 0) {
    const detail = skipped === 0 ? "no records" : `all ${skipped} records or lines were unusable`;
    throw fail(`has no papers (${format}: ${detail}${firstProblem(warnings)})`);
  }
  warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { format, papers, skipped, warnings };
}

async function readBytes(path: string, fail: (why: string) => CorpusError): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw fail("is a folder, not a file");
    if (info.size > MAX_CORPUS_FILE_BYTES) throw fail(`is too large (${info.size} bytes)`);
    return await readFile(path);
  } catch (error) {
    if (error instanceof CorpusError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw fail("does not exist");
    if (code === "EACCES" || code === "EPERM") throw fail("cannot be read (permission denied)");
    throw fail(`cannot be read (${code ?? String(error)})`);
  }
}

function firstProblem(warnings: readonly ReaderWarning[]): string {
  const first = warnings[0];
  if (first === undefined) return "";
  return `; first at line ${first.line ?? "?"}: ${first.message.slice(0, 100)}`;
}
