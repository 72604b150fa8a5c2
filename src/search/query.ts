import { forEachWord, normalizeText } from "./tokenize.ts";

/** One part of a user's query, with its words normalised (lower case, accents folded) but not yet stemmed. */
export type QueryClause =
  | { readonly kind: "word"; readonly word: string }
  | { readonly kind: "phrase"; readonly words: readonly string[] }
  | { readonly kind: "author"; readonly words: readonly string[] }
  /** `cat:cs.CL`: an arXiv category code in lower case; a code without a dot (`cat:cs`) means the whole archive. */
  | { readonly kind: "category"; readonly code: string };

export interface ParsedQuery {
  readonly clauses: readonly QueryClause[];
  /** True when the query ends with a bare word the user may still be typing ("speculative dec"). */
  readonly lastWordIsPrefix: boolean;
}

/** Longer inputs are pasted text or abuse, not queries; answering them would only cost time. */
export const MAX_QUERY_LENGTH = 500;
const MAX_CLAUSES = 12;

const EMPTY: ParsedQuery = { clauses: [], lastWordIsPrefix: false };

// author:"full name" | author:word | cat:code | "phrase" (closing quote optional) | a run of non-space
// characters. A bare "author:" or "cat:" with nothing after it matches nothing rather than the word.
const CLAUSE =
  /author:\s*"([^"]*)"?|author:\s*([^\s"]+)|author:|cat:\s*"?([^\s"]+)"?|cat:"?|"([^"]*)"?|(\S+)/giu;

function wordsOf(text: string): string[] {
  const words: string[] = [];
  forEachWord(normalizeText(text), (word) => {
    words.push(word);
  });
  return words;
}

/** "cs.CL" -> "cs.cl"; "cs.*", "cs*" and "cs." all mean the archive "cs". */
function categoryCode(text: string): string {
  return text.toLowerCase().replace(/\.?\*$|\.$/, "");
}

/**
 * Splits a query into bare words, "quoted phrases", author: and cat: filters. Never throws: anything it cannot
 * read is dropped, and an over-long query parses as empty.
 */
export function parseQuery(query: unknown): ParsedQuery {
  if (typeof query !== "string" || query.length > MAX_QUERY_LENGTH) return EMPTY;
  // Curly quotes from phones and chat clients mean the same as straight ones.
  const text = query.replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"');
  const clauses: QueryClause[] = [];
  let lastWordIsPrefix = false;
  for (const match of text.matchAll(CLAUSE)) {
    const [, quotedAuthor, bareAuthor, category, phrase, bare] = match;
    const authorText = quotedAuthor ?? bareAuthor;
    lastWordIsPrefix = false;
    if (authorText !== undefined) {
      const words = wordsOf(authorText);
      if (words.length > 0) clauses.push({ kind: "author", words });
    } else if (category !== undefined) {
      clauses.push({ kind: "category", code: categoryCode(category) });
    } else if (phrase !== undefined) {
      const words = wordsOf(phrase);
      if (words.length === 1 && words[0] !== undefined) clauses.push({ kind: "word", word: words[0] });
      else if (words.length > 1) clauses.push({ kind: "phrase", words });
    } else if (bare !== undefined) {
      for (const word of wordsOf(bare)) clauses.push({ kind: "word", word });
      lastWordIsPrefix = clauses.at(-1)?.kind === "word";
    }
  }
  return {
    clauses: clauses.slice(0, MAX_CLAUSES),
    lastWordIsPrefix: lastWordIsPrefix && clauses.length <= MAX_CLAUSES,
  };
}
