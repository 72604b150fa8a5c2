import { runSteps, type Steps } from "../runtime/steps.ts";
import type { RawPaper } from "./build-paper.ts";
import { isDailyPapersEntry, readDailyPapersEntry } from "./read-daily-papers-entry.ts";
import { IsoDateCache, readOwnRecord } from "./read-own-record.ts";
import type { ReaderEntry, ReaderResult, ReaderWarning } from "./reader-result.ts";

/**
 * JSON arrays and JSONL files whose records are either our own paper records or Hugging Face
 * daily_papers entries; the shape is decided per record, so a file may mix them.
 */

export class JsonSyntaxError extends Error {}

/** A JSON array: the whole file must parse; each element is then validated on its own. */
export function readJsonArray(content: string): ReaderResult {
  return runSteps(readJsonArraySteps(content));
}

/** JSON Lines: one record per line; a line that does not parse is skipped on its own. */
export function readJsonLines(content: string): ReaderResult {
  return runSteps(readJsonLinesSteps(content));
}

/**
 * {@link readJsonArray} as steps that pause between records, so a live source's body can be read while
 * the bot answers commands (see runStepsInSlices). Only the one JSON.parse of the whole text is not cut.
 */
export function* readJsonArraySteps(content: string): Steps<ReaderResult> {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new JsonSyntaxError(jsonErrorWithLine(content, error));
  }
  if (!Array.isArray(value)) throw new JsonSyntaxError("the file is JSON but not an array of records");
  yield;
  const lines = lineNumbersOf(content, yield* arrayElementOffsetsSteps(content));
  return yield* collectSteps(
    value.map((element, index) => ({ element, line: lines[index] ?? 1, label: `record ${index + 1}` })),
  );
}

/** {@link readJsonLines} as steps that pause between lines (see readJsonArraySteps). */
export function* readJsonLinesSteps(content: string): Steps<ReaderResult> {
  // A single pretty-printed object also starts with "{"; accept it as a one-record file. (With more than
  // one record, the parse stops where the second one starts.)
  const whole = tryParse(content);
  if (whole.ok && typeof whole.value === "object" && whole.value !== null && !Array.isArray(whole.value)) {
    return yield* collectSteps([{ element: whole.value, line: 1 }]);
  }
  const records: Array<{ element: unknown; line: number }> = [];
  const warnings: ReaderWarning[] = [];
  const lines = content.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] as string).trim();
    if (text === "") continue;
    const parsed = tryParse(text);
    if (parsed.ok) records.push({ element: parsed.value, line: i + 1 });
    else warnings.push({ line: i + 1, message: `not valid JSON (${parsed.message}); skipped` });
    yield;
  }
  const result = yield* collectSteps(records);
  return {
    entries: result.entries,
    skipped: result.skipped + warnings.length,
    warnings: [...warnings, ...result.warnings].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
  };
}

function* collectSteps(
  records: Array<{ element: unknown; line: number; label?: string }>,
): Steps<ReaderResult> {
  const entries: ReaderEntry[] = [];
  const warnings: ReaderWarning[] = [];
  const dates = new IsoDateCache();
  for (const { element, line, label } of records) {
    const raw = readRecord(element, dates);
    const name = label === undefined ? "record" : label;
    if ("problem" in raw) warnings.push({ line, message: `${name} skipped: ${raw.problem}` });
    else entries.push({ raw, line, ...(label === undefined ? {} : { label }) });
    yield;
  }
  return { entries, skipped: warnings.length, warnings };
}

/** One parsed JSON value as a raw paper, whichever record shape it has. */
export function readRecord(element: unknown, dates: IsoDateCache): RawPaper | { problem: string } {
  if (typeof element !== "object" || element === null || Array.isArray(element)) {
    return { problem: "not an object" };
  }
  return isDailyPapersEntry(element) ? readDailyPapersEntry(element) : readOwnRecord(element, dates);
}

export function tryParse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: shortMessage(error) };
  }
}

export function shortMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // V8 quotes a window of the input in some messages; a garbage line could make that window huge or odd.
  return message.replace(/\s*[\r\n]+\s*/g, " ").slice(0, 120);
}

/** "Unexpected token … at position 1234" becomes "… at line 12". */
function jsonErrorWithLine(content: string, error: unknown): string {
  const message = shortMessage(error);
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return `not valid JSON (${message})`;
  const line = lineNumbersOf(content, [Number(position)])[0] ?? 1;
  return `not valid JSON at line ${line} (${message.replace(/\s*\(line \d+ column \d+\)/, "")})`;
}

/**
 * Offsets where each top-level element of a JSON array starts. The text must already be known to
 * parse; one linear pass, tracking only string state and nesting depth.
 */
export function arrayElementOffsets(text: string): number[] {
  return runSteps(arrayElementOffsetsSteps(text));
}

/** Characters scanned between pauses of {@link arrayElementOffsetsSteps}: well under a millisecond. */
const SCAN_STEP_CHARS = 64 * 1024;

function* arrayElementOffsetsSteps(text: string): Steps<number[]> {
  const offsets: number[] = [];
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0, pauseAt = SCAN_STEP_CHARS; i < text.length; i++) {
    if (i >= pauseAt) {
      yield;
      pauseAt = i + SCAN_STEP_CHARS;
    }
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
      continue;
    }
    const startsValue = code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09 && code !== 0x2c;
    const closes = code === 0x5d || code === 0x7d;
    if (depth === 1 && expectingElement && startsValue && !closes) {
      offsets.push(i);
      expectingElement = false;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth === 1) expectingElement = true;
    } else if (closes) depth--;
    else if (code === 0x2c && depth === 1) expectingElement = true;
  }
  return offsets;
}

/** 1-based line numbers of ascending offsets, counted in one pass. */
function lineNumbersOf(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let position = 0;
  for (const offset of offsets) {
    for (; position < offset && position < text.length; position++) {
      if (text.charCodeAt(position) === 0x0a) line++;
    }
    lines.push(line);
  }
  return lines;
}
