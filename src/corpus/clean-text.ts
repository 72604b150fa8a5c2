/** Text hygiene shared by every reader: what reaches a chat message must be clean, single-line and bounded. */

/** Longer than this is not a title; longer titles in structured records are cut. */
export const TITLE_MAX_CHARS = 500;
/** Real abstracts stay under ~3,000 characters; the cap only guards against runaway or garbage input. */
export const ABSTRACT_MAX_CHARS = 20_000;

// C0 controls except tab, newline and carriage return (line breaks are handled by the callers), DEL, C1
// controls, and the byte-order mark / zero-width no-break space that editors leave behind.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFEFF]/g;
// A lone half of a surrogate pair breaks JSON encoders and chat APIs downstream.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const WHITESPACE_RUN = /\s+/g;

export function stripControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, "").replace(LONE_SURROGATE, "\uFFFD");
}

// Anything cleanLine would change inside a line: the control characters and lone-surrogate candidates
// above, and every whitespace character other than the plain space (\s is exactly this set).
const NEEDS_CLEANING =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001F\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF\uD800-\uDFFF]/;

/** Control characters out, every whitespace run (newlines too) collapsed to one space, ends trimmed. */
export function cleanLine(text: string): string {
  // Almost every field is already clean; returning it as is skips three regex passes that rebuild the
  // string (and the garbage they leave), which is most of what loading a large corpus costs.
  if (isCleanLine(text)) return text;
  return stripControlChars(text).replace(WHITESPACE_RUN, " ").trim();
}

/** True when cleanLine would return `text` unchanged: no control or odd whitespace, no double or edge spaces. */
function isCleanLine(text: string): boolean {
  if (text.length === 0) return true;
  if (text.charCodeAt(0) === 0x20 || text.charCodeAt(text.length - 1) === 0x20) return false;
  return !text.includes("  ") && !NEEDS_CLEANING.test(text);
}

/** Cuts `text` to at most `max` characters, at a word boundary when one is near, marking the cut with "…". */
export function capLength(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Never leave half a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const lastSpace = cut.lastIndexOf(" ");
  if (lastSpace > max * 0.8) cut = cut.slice(0, lastSpace);
  return `${cut.trimEnd()}…`;
}

/** arXiv cross-lists a paper in a handful of categories; a longer list is a source gone wrong. */
export const MAX_CATEGORIES = 10;
/** The longest arXiv code is 18 characters ("cond-mat.stat-mech"); a longer "code" is something else. */
export const CATEGORY_MAX_CHARS = 32;

// An arXiv category code: the archive ("cs", "hep-th", "astro-ph"), then optionally a dot and the subject
// class ("CL", "GA", "mes-hall"). The ACM classes ("I.2.7") and MSC codes ("68T50") that arXiv's Atom API
// lists as categories too do not fit, and neither does a phrase.
const CATEGORY_CODE = /^[a-z]+(?:-[a-z]+)*(?:\.[a-z]+(?:-[a-z]+)*)?$/i;

/**
 * Category codes as a paper keeps them: cleaned, shaped like an arXiv code, each once (the first spelling,
 * whatever the case), in source order so the primary category stays first, at most MAX_CATEGORIES.
 */
export function cleanCategories(raw: readonly string[]): string[] {
  const codes: string[] = [];
  const seen = new Set<string>();
  for (const value of raw) {
    const code = cleanLine(value);
    if (code.length > CATEGORY_MAX_CHARS || !CATEGORY_CODE.test(code)) continue;
    const key = code.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    codes.push(code);
    if (codes.length === MAX_CATEGORIES) break;
  }
  return codes;
}

const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/**
 * The title as a dedupe and hash key: accents folded, lower case, every run of punctuation and
 * whitespace collapsed to one space, so "Self-Attention  does not…" and "self attention does not" agree.
 */
export function normaliseTitle(title: string): string {
  // Plain ASCII (most titles) has nothing to fold: ASCII letters and digits are all \p{L} and \p{N} has.
  if (PRINTABLE_ASCII.test(title))
    return title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  return cleanLine(title)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** True when the text has at least one letter or digit: a line of dashes or symbols is not a paper field. */
export function hasWordCharacter(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
