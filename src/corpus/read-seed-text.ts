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

export function readSeedText(content: string): ReaderResult {
  const warnings: ReaderWarning[] = [];
  const entries: ReaderEntry[] = [];
  let skipped = 0;
  const skip = (line: number, message: string) => {
    skipped++;
    warnings.push({ line, message });
  };

  const lines = contentLines(content, skip);
  let title: ContentLine | undefined;
  for (let i = 0; i < lines.length; i++) {
    const current = lines[i] as ContentLine;
    const next = lines[i + 1];
    if (title === undefined) {
      if (current.length > TITLE_MAX_CHARS) {
        skip(current.line, `line too long to be a title (${current.length} characters); skipped`);
      } else if (looksLikeAbstract(current.text) && next !== undefined && !looksLikeAbstract(next.text)) {
        // An abstract followed by a title: its own title is missing. Pairing it would shift every pair after it.
        skip(current.line, "abstract without a title; skipped");
      } else {
        title = { ...current, text: current.text.replace(GLUED_SUBSCRIBE, "") };
      }
      continue;
    }
    if (!looksLikeAbstract(current.text) && next !== undefined && looksLikeAbstract(next.text)) {
      // Two title-like lines in a row and then an abstract: the first title lost its abstract.
      skip(title.line, `title without an abstract ("${preview(title.text)}"); skipped`);
      title = { ...current, text: current.text.replace(GLUED_SUBSCRIBE, "") };
      continue;
    }
    entries.push({ raw: { title: title.text, abstract: current.text }, line: title.line });
    title = undefined;
  }
  if (title !== undefined) {
    skip(title.line, `title without an abstract at the end of the file ("${preview(title.text)}"); skipped`);
  }
  return { entries, skipped, warnings };
}

/** Non-blank, non-chrome lines, cleaned, with their 1-based line numbers. */
function contentLines(content: string, skip: (line: number, message: string) => void): ContentLine[] {
  const result: ContentLine[] = [];
  const raw = content.split(/\r\n|\r|\n/);
  for (let i = 0; i < raw.length; i++) {
    const rawLine = raw[i] as string;
    const text = cleanLine(
      rawLine.length > LONGEST_LINE_CLEANED ? rawLine.slice(0, LONGEST_LINE_CLEANED) : rawLine,
    );
    if (text === "" || CHROME_LINES.some((chrome) => chrome.test(text))) continue;
    if (!hasWordCharacter(text)) {
      skip(i + 1, "line has no words; skipped");
      continue;
    }
    result.push({
      text,
      line: i + 1,
      length: rawLine.length > LONGEST_LINE_CLEANED ? rawLine.length : text.length,
    });
  }
  return result;
}

function looksLikeAbstract(text: string): boolean {
  return text.length > LONGEST_PLAUSIBLE_TITLE || SENTENCE_BREAK.test(text);
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
