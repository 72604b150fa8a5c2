import { NON_ASCII, normalizeText, termOf } from "./tokenize.ts";

const SNIPPET_LENGTH = 200;
/** Context kept before the first matched word, so the snippet does not start mid-thought on the match. */
const LEAD_IN = 50;
const WORD = /[\p{L}\p{N}]+/gu;
const EXTRA_WHITESPACE = /\s{2,}|[^\S ]/g;

interface WordMatch {
  readonly term: string;
  readonly word: string;
  readonly start: number;
}

/**
 * Words of `text` whose index term is one of `terms`, with their offsets in the original text.
 *
 * Every search runs this over its hits' abstracts, so it is written not to allocate for the words that
 * cannot match: a stem keeps its word's first letter (the stemmer only changes endings), so in ASCII text
 * a word whose first letter begins no term is skipped before any substring is made. Matching every word
 * with a regex and stemming it made a search allocate ~240 KB, and the garbage collector pause about
 * four times a second under load (bench/merge.ts).
 */
export function findMatches(text: string, terms: ReadonlySet<string>): WordMatch[] {
  const matches: WordMatch[] = [];
  const add = (word: string, start: number) => {
    const term = termOf(normalizeText(word));
    if (term !== undefined && terms.has(term)) matches.push({ term, word, start });
  };
  if (NON_ASCII.test(text)) {
    for (const match of text.matchAll(WORD)) add(match[0], match.index);
    return matches;
  }
  const firstLetters = new Set<number>();
  for (const term of terms) firstLetters.add(term.charCodeAt(0));
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    const isWordChar =
      (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
    if (isWordChar) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    const first = text.charCodeAt(start);
    // Lower-cased (A-Z to a-z), as normalizeText would.
    if (firstLetters.has(first >= 65 && first <= 90 ? first + 32 : first)) add(text.slice(start, i), start);
    start = -1;
  }
  return matches;
}

/**
 * About 200 characters of `text` around the densest cluster of matched words (the window with the most
 * distinct terms, then the most matches, then the earliest), cut at word boundaries, with an ellipsis
 * wherever text was cut. Falls back to the opening of the text when nothing matches.
 */
export function makeSnippet(text: string, terms: ReadonlySet<string>): string {
  // Only runs of whitespace and whitespace other than a space are replaced: an abstract with single spaces
  // (as the corpus readers leave it) is used as it is, instead of copied for every hit of every search.
  const clean = text.replace(EXTRA_WHITESPACE, " ").trim();
  if (clean.length <= SNIPPET_LENGTH) return clean;
  const matches = findMatches(clean, terms);
  let anchor = 0;
  let bestDistinct = 0;
  let bestCount = 0;
  for (let i = 0; i < matches.length; i++) {
    const first = matches[i] as WordMatch;
    const inWindow = matches.filter(
      (m) => m.start >= first.start && m.start + m.word.length <= first.start + SNIPPET_LENGTH - LEAD_IN,
    );
    const distinct = new Set(inWindow.map((m) => m.term)).size;
    if (distinct > bestDistinct || (distinct === bestDistinct && inWindow.length > bestCount)) {
      bestDistinct = distinct;
      bestCount = inWindow.length;
      anchor = first.start;
    }
  }
  let start = Math.max(0, anchor - LEAD_IN);
  let end = Math.min(clean.length, start + SNIPPET_LENGTH);
  if (end === clean.length) start = Math.max(0, end - SNIPPET_LENGTH);
  if (start > 0) {
    const space = clean.indexOf(" ", start - 1);
    start = space >= 0 && space < anchor ? space + 1 : start;
  }
  if (end < clean.length) {
    const space = clean.lastIndexOf(" ", end);
    if (space > start) end = space;
  }
  const body = clean.slice(start, end).replace(/[\s,;:]+$/, "");
  return `${start > 0 ? "…" : ""}${body}${end < clean.length ? "…" : ""}`;
}
