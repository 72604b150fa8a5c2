import { cleanLine, hasWordCharacter, TITLE_MAX_CHARS } from "./clean-text.ts";
import type { ReaderEntry, ReaderResult, ReaderWarning } from "./reader-result.ts";

/**
 * The seed text format: a copy of a trending-papers web page where title and abstract lines alternate,
 * with some page chrome around them. Blank lines, CRLF and chrome lines anywhere are ignored.
 */

// Page chrome copied along with the papers. "Subscribe" is also the button text that ends up glued to
// the first title ("SubscribeTaming generative…").
const CHROME_LINES = [/^get trending papers in your email inbox(?: once a day)?!?$/i, /^subscribe$/i];
const GLUED_SUBSCRIBE = /^Subscribe(?=[\p{Lu}\p{N}])/u;

// A sentence break inside the line ("… problem. Motivated by …"): abstracts have them, titles rarely do.
const SENTENCE_BREAK = /[.!?]["')\]]?\s+[\p{Lu}\p{N}]/u;
const LONGEST_PLAUSIBLE_TITLE = 300;

// No title or abstract is this long; longer lines are cut before cleaning so a 5 MB line costs little.
const LONGEST_LINE_CLEANED = 100_000;

interface ContentLine {
  readonly text: string;
  readonly line: number;
  /** Length before any cut, for the "too long to be a title" warning. */
  readonly length: number;
}

/** Where a seed-text reader sends what it finds, in the order it finds it. */
export interface SeedTextSink {
  entry(entry: ReaderEntry): void;
  /** A line dropped because it has no words; reported as soon as the line is read. */
  wordlessLine(line: number, message: string): void;
  /** A title or abstract dropped because it has no partner. */
  unpaired(line: number, message: string): void;
}

/**
 * Pairs titles with abstracts one line at a time, so a file is never held whole. Each pairing decision
 * looks one content line ahead; `end()` settles the last one.
 */
export class SeedTextReader {
  readonly #sink: SeedTextSink;
  #title: ContentLine | undefined;
  /** The content line read but not yet decided on, waiting for the line after it. */
  #pending: ContentLine | undefined;

  constructor(sink: SeedTextSink) {
    this.#sink = sink;
  }

  /** One raw line of the file (without its line break) and its 1-based number. */
  push(rawLine: string, line: number): void {
    const cut = rawLine.length > LONGEST_LINE_CLEANED;
    const text = cleanLine(cut ? rawLine.slice(0, LONGEST_LINE_CLEANED) : rawLine);
    if (text === "" || CHROME_LINES.some((chrome) => chrome.test(text))) return;
    if (!hasWordCharacter(text)) {
      this.#sink.wordlessLine(line, "line has no words; skipped");
      return;
    }
    this.#pushLength(text, line, cut ? rawLine.length : text.length);
  }

  /** A line too long to read at all: it can only be a title that is too long. */
  pushTooLong(line: number, length: number): void {
    this.#pushLength("", line, length);
  }

  end(): void {
    if (this.#pending !== undefined) this.#decide(this.#pending, undefined);
    this.#pending = undefined;
    const title = this.#title;
    if (title !== undefined) {
      this.#sink.unpaired(
        title.line,
        `title without an abstract at the end of the file ("${preview(title.text)}"); skipped`,
      );
    }
    this.#title = undefined;
  }

  #pushLength(text: string, line: number, length: number): void {
    const current: ContentLine = { text, line, length };
    if (this.#pending !== undefined) this.#decide(this.#pending, current);
    this.#pending = current;
  }

  #decide(current: ContentLine, next: ContentLine | undefined): void {
    const title = this.#title;
    if (title === undefined) {
      if (current.length > TITLE_MAX_CHARS) {
        this.#sink.unpaired(
          current.line,
          `line too long to be a title (${current.length} characters); skipped`,
        );
      } else if (looksLikeAbstract(current.text) && next !== undefined && !looksLikeAbstract(next.text)) {
        // An abstract followed by a title: its own title is missing. Pairing it would shift every pair after it.
        this.#sink.unpaired(current.line, "abstract without a title; skipped");
      } else {
        this.#title = { ...current, text: current.text.replace(GLUED_SUBSCRIBE, "") };
      }
      return;
    }
    if (!looksLikeAbstract(current.text) && next !== undefined && looksLikeAbstract(next.text)) {
      // Two title-like lines in a row and then an abstract: the first title lost its abstract.
      this.#sink.unpaired(title.line, `title without an abstract ("${preview(title.text)}"); skipped`);
      this.#title = { ...current, text: current.text.replace(GLUED_SUBSCRIBE, "") };
      return;
    }
    this.#sink.entry({ raw: { title: title.text, abstract: current.text }, line: title.line });
    this.#title = undefined;
  }
}

/** The whole of a seed-text file already in memory. */
export function readSeedText(content: string): ReaderResult {
  const entries: ReaderEntry[] = [];
  const wordless: ReaderWarning[] = [];
  const unpaired: ReaderWarning[] = [];
  const reader = new SeedTextReader({
    entry: (entry) => entries.push(entry),
    wordlessLine: (line, message) => wordless.push({ line, message }),
    unpaired: (line, message) => unpaired.push({ line, message }),
  });
  const lines = content.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) reader.push(lines[i] as string, i + 1);
  reader.end();
  // Wordless lines first: they were found in a first pass over the lines before pairing began.
  const warnings = [...wordless, ...unpaired];
  return { entries, skipped: warnings.length, warnings };
}

function looksLikeAbstract(text: string): boolean {
  return text.length > LONGEST_PLAUSIBLE_TITLE || SENTENCE_BREAK.test(text);
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
