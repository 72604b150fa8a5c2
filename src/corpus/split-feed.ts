import type { Steps } from "../runtime/steps.ts";

/**
 * A feed cut into its entries, so each can be parsed on its own between pauses: fast-xml-parser parses a
 * whole document in one go, ~100 ms for a 1,000-entry arXiv listing, which no search should wait behind.
 */
export interface SplitFeed {
  /** The feed without its entries: each entry's text is replaced by its line breaks, so lines still count. */
  readonly skeleton: string;
  readonly entries: FeedChunk[];
}

export interface FeedChunk {
  /** The entry element's own text, from `<entry` to `</entry>`. */
  readonly text: string;
  /** The 1-based line the entry starts on in the whole feed. */
  readonly line: number;
}

/** Where entries sit, by local names (namespace prefixes dropped, as the parser drops them). */
const ENTRY_PATHS = new Set(["feed/entry", "rss/channel/item", "RDF/item"]);

/** Characters scanned between pauses: well under a millisecond. */
const STEP_CHARS = 64 * 1024;

/**
 * The feed's entries at the places readArxivFeed reads them from, or undefined when the text is not
 * plainly well nested (broken XML, a DOCTYPE that may declare entities an entry uses): then the whole
 * document is validated and parsed at once, which also words any error.
 */
export function* splitFeedSteps(content: string): Steps<SplitFeed | undefined> {
  const open: string[] = [];
  const entries: FeedChunk[] = [];
  const skeleton: string[] = [];
  let kept = 0; // where the skeleton's next piece starts
  let entryStart = -1; // where the entry being read starts, while one is
  let entryDepth = 0;
  let line = 1;
  let counted = 0; // line is the line of this offset
  let pauseAt = STEP_CHARS;
  for (let at = content.indexOf("<"); at >= 0; at = content.indexOf("<", at)) {
    if (at >= pauseAt) {
      yield;
      pauseAt = at + STEP_CHARS;
    }
    const end = markupEnd(content, at);
    if (end < 0) return undefined;
    const tag = content.slice(at, end);
    if (!/^<[/\w]/.test(tag)) {
      at = end; // a comment, CDATA section or processing instruction: no element starts or ends there
      continue;
    }
    const name = /^<\/?([\w.:-]+)/.exec(tag)?.[1];
    if (name === undefined) return undefined;
    const local = name.slice(name.indexOf(":") + 1);
    if (tag.startsWith("</")) {
      if (open.pop() !== local) return undefined;
      if (entryStart >= 0 && open.length === entryDepth) {
        line += countLines(content, counted, entryStart);
        const text = content.slice(entryStart, end);
        entries.push({ text, line });
        skeleton.push(content.slice(kept, entryStart), "\n".repeat(countLines(text, 0, text.length)));
        line += countLines(text, 0, text.length);
        counted = end;
        kept = end;
        entryStart = -1;
      }
    } else if (!tag.endsWith("/>")) {
      open.push(local);
      if (entryStart < 0 && open.length <= 3 && ENTRY_PATHS.has(open.join("/"))) {
        entryStart = at;
        entryDepth = open.length - 1;
      }
    }
    at = end;
  }
  if (open.length > 0 || entries.length === 0) return undefined;
  skeleton.push(content.slice(kept));
  return { skeleton: skeleton.join(""), entries };
}

/** The offset just past the markup starting at `at`, or -1 when it is not closed or is a DOCTYPE. */
function markupEnd(content: string, at: number): number {
  if (content.startsWith("<!--", at)) return closedBy(content, "-->", at + 4);
  if (content.startsWith("<![CDATA[", at)) return closedBy(content, "]]>", at + 9);
  if (content.startsWith("<?", at)) return closedBy(content, "?>", at + 2);
  if (content.startsWith("<!", at)) return -1;
  let quote = 0;
  for (let i = at + 1; i < content.length; i++) {
    const code = content.charCodeAt(i);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === 0x22 || code === 0x27) quote = code;
    else if (code === 0x3e) return i + 1;
    else if (code === 0x3c) return -1;
  }
  return -1;
}

function closedBy(content: string, closing: string, from: number): number {
  const found = content.indexOf(closing, from);
  return found < 0 ? -1 : found + closing.length;
}

/** Line feeds in content[from, to): the validator counts lines by them. */
function countLines(content: string, from: number, to: number): number {
  let lines = 0;
  for (let i = content.indexOf("\n", from); i >= 0 && i < to; i = content.indexOf("\n", i + 1)) lines++;
  return lines;
}
