import { normalizeText, STOPWORD_LIST, termOf } from "./tokenize.ts";

/**
 * Finds "quoted phrases" in a paper's text without a positional index (positions would double the index's
 * memory): a regular expression built once per phrase finds places where words starting like the phrase's
 * terms follow each other, with only stopwords or one-letter pieces between them (which the index skips
 * too), and only those few words are then stemmed and compared. Several times faster than tokenising the
 * whole abstract for each candidate paper.
 */
export class PhraseMatcher {
  readonly #terms: readonly string[];
  readonly #pattern: RegExp;

  constructor(terms: readonly string[]) {
    this.#terms = terms;
    // The stem may change a word's last letter (studies -> studi), so match on all but that letter.
    const starts = terms.map((term) => escapeRegExp(term.length > 3 ? term.slice(0, -1) : term));
    const skipped = `(?:[^a-z0-9]+(?:[a-z0-9]|${SKIPPABLE})(?![a-z0-9]))*[^a-z0-9]+`;
    // Case-insensitive, so ASCII text is searched as it is, without lower-casing a copy first.
    this.#pattern = new RegExp(
      `(?<![a-z0-9])${starts.map((start) => `(${start}[a-z0-9]*)`).join(skipped)}(?![a-z0-9])`,
      "gi",
    );
  }

  /** Whether the phrase's terms occur consecutively (ignoring stopwords) in `text`. */
  matches(text: string): boolean {
    const pattern = this.#pattern;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (this.#terms.every((term, i) => termOf(normalizeText(match?.[i + 1] ?? "")) === term)) return true;
      pattern.lastIndex = match.index + 1;
    }
    // Accented or non-Latin letters are word characters the pattern does not know; check those exactly.
    return NON_ASCII.test(text) && this.#matchesByTokens(normalizeText(text));
  }

  /** The exact rule, for text with non-ASCII letters that the fast pattern does not know are letters. */
  #matchesByTokens(normalized: string): boolean {
    const terms = this.#terms;
    let matched = 0;
    for (const [word] of normalized.matchAll(/[\p{L}\p{N}]+/gu)) {
      const term = termOf(word);
      if (term === undefined) continue;
      if (term === terms[matched]) matched++;
      else matched = term === terms[0] ? 1 : 0;
      if (matched === terms.length) return true;
    }
    return false;
  }
}

const NON_ASCII = /[\u0080-\uffff]/;
const SKIPPABLE = [...STOPWORD_LIST].sort((a, b) => b.length - a.length).join("|");

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
