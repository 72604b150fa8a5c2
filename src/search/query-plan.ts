import { allowedEdits } from "./fuzzy.ts";
import { PhraseMatcher } from "./phrase.ts";
import { parseQuery, type QueryClause } from "./query.ts";
import { termOf } from "./tokenize.ts";

export interface Correction {
  readonly from: string;
  readonly to: string;
}

export interface PlannedTerm {
  readonly term: string;
  /** Multiplies the term's score: 1 for the word itself or its correction, less for prefix completions. */
  readonly weight: number;
}

export interface PlannedGroup {
  /** The indexed terms one query word stands for; none when the word is unknown and uncorrectable. */
  readonly terms: readonly PlannedTerm[];
  /** Words in "phrases" stay required even when bare words are relaxed to "any of them". */
  readonly required: boolean;
  /** The word as the user typed (or we corrected) it, shown when the paper's own spelling is unknown. */
  readonly display: string;
}

/** A query resolved against the whole index's vocabulary, before any segment looks its terms up. */
export interface QueryPlan {
  readonly groups: readonly PlannedGroup[];
  readonly phrases: readonly PhraseMatcher[];
  /** Normalised author-name words (as corrected), every one required. */
  readonly authorWords: readonly string[];
  /** Multi-word author names, checked as consecutive name words. */
  readonly authorNames: readonly (readonly string[])[];
  /** cat: codes in lower case (an archive without a dot), every one required. */
  readonly categories: readonly string[];
  readonly corrections: readonly Correction[];
  /** A required part (phrase word, author) matches nothing: no paper can match. */
  readonly impossible: boolean;
}

/** What planning asks of the index: every segment together, counting live papers only. */
export interface Vocabulary {
  readonly size: number;
  frequency(term: string): number;
  /** Each term of the words starting with `prefix`: its alphabetically first such word and its frequency. */
  completions(
    prefix: string,
  ): Iterable<{ readonly term: string; readonly word: string; readonly frequency: number }>;
  /** The indexed words nearest to `word` (term undefined for a stopword), nearest distance only. */
  nearestWords(
    word: string,
    maxEdits: number,
  ): ReadonlyArray<{ readonly word: string; readonly term: string | undefined }>;
  authorFrequency(word: string): number;
  nearestAuthorWords(word: string, maxEdits: number): readonly string[];
  categoryFrequency(code: string): number;
}

/** Lucene's habit: a prefix expands to at most this many indexed words, the most frequent first. */
const MAX_PREFIX_EXPANSIONS = 30;
const PREFIX_WEIGHT = 0.9;

/**
 * The user's query as terms to look for: bare words (the last one also as a prefix), typo corrections of
 * unknown words, "phrases", author: and cat: filters. Undefined when nothing in it can be searched for.
 */
export function planQuery(query: string, vocabulary: Vocabulary): QueryPlan | undefined {
  const parsed = parseQuery(query);
  if (parsed.clauses.length === 0 || vocabulary.size === 0) return undefined;
  const groups: PlannedGroup[] = [];
  const phrases: PhraseMatcher[] = [];
  const authorWords: string[] = [];
  const authorNames: string[][] = [];
  const categories: string[] = [];
  const corrections: Correction[] = [];
  let impossible = false;
  parsed.clauses.forEach((clause: QueryClause, index) => {
    if (clause.kind === "word") {
      const isPrefix = parsed.lastWordIsPrefix && index === parsed.clauses.length - 1;
      const group = resolveWord(clause.word, isPrefix, false, vocabulary, corrections);
      if (group !== undefined) groups.push(group);
    } else if (clause.kind === "phrase") {
      const terms: string[] = [];
      for (const word of clause.words) {
        const group = resolveWord(word, false, true, vocabulary, corrections);
        if (group === undefined) continue; // stopwords are skipped in documents too
        if (group.terms.length === 0) impossible = true;
        groups.push(group);
        const first = group.terms[0];
        if (first !== undefined) terms.push(first.term);
      }
      if (terms.length > 1) phrases.push(new PhraseMatcher(terms));
    } else if (clause.kind === "category") {
      // cat: filters narrow the same list of allowed papers as author: filters do.
      if (vocabulary.categoryFrequency(clause.code) === 0) impossible = true;
      else categories.push(clause.code);
    } else {
      const words: string[] = [];
      for (const word of clause.words) {
        let resolved: string | undefined = word;
        if (vocabulary.authorFrequency(word) === 0) {
          resolved = correctAuthorWord(word, vocabulary);
          if (resolved !== undefined) corrections.push({ from: word, to: resolved });
        }
        if (resolved === undefined) {
          impossible = true;
          continue;
        }
        words.push(resolved);
        authorWords.push(resolved);
      }
      if (words.length > 1) authorNames.push(words);
    }
  });
  if (groups.length === 0 && authorWords.length === 0 && categories.length === 0 && !impossible) {
    return undefined;
  }
  return { groups, phrases, authorWords, authorNames, categories, corrections, impossible };
}

/** The indexed terms a query word stands for, or undefined for a stopword; no terms = unknown word. */
function resolveWord(
  word: string,
  isPrefix: boolean,
  required: boolean,
  vocabulary: Vocabulary,
  corrections: Correction[],
): PlannedGroup | undefined {
  const term = termOf(word);
  if (term === undefined) return undefined;
  const terms: PlannedTerm[] = [];
  if (vocabulary.frequency(term) > 0) terms.push({ term, weight: 1 });
  if (isPrefix && word.length >= 2) {
    for (const completion of completions(word, term, vocabulary)) {
      terms.push({ term: completion, weight: PREFIX_WEIGHT });
    }
  }
  let display = word;
  if (terms.length === 0) {
    const correction = correctWord(word, vocabulary);
    if (correction !== undefined) {
      terms.push({ term: correction.term, weight: 1 });
      corrections.push({ from: word, to: correction.word });
      display = correction.word;
    }
  }
  return { terms, required, display };
}

/** Terms of indexed words starting with `prefix`, most frequent first (then alphabetically), without `exclude`. */
function completions(prefix: string, exclude: string, vocabulary: Vocabulary): string[] {
  const found = [...vocabulary.completions(prefix)].filter(
    (completion) => completion.frequency > 0 && completion.term !== exclude,
  );
  found.sort((a, b) => b.frequency - a.frequency || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return found.slice(0, MAX_PREFIX_EXPANSIONS).map((completion) => completion.term);
}

/** The nearest indexed word that is no stopword, the most frequent of equally near ones. */
function correctWord(word: string, vocabulary: Vocabulary): { term: string; word: string } | undefined {
  let best: { term: string; word: string; frequency: number } | undefined;
  for (const candidate of vocabulary.nearestWords(word, allowedEdits(word.length))) {
    if (candidate.term === undefined) continue; // a stopword is never what someone meant by a content word
    const frequency = vocabulary.frequency(candidate.term);
    if (best === undefined || frequency > best.frequency)
      best = { term: candidate.term, word: candidate.word, frequency };
  }
  return best;
}

function correctAuthorWord(word: string, vocabulary: Vocabulary): string | undefined {
  let best: { word: string; frequency: number } | undefined;
  for (const candidate of vocabulary.nearestAuthorWords(word, allowedEdits(word.length))) {
    const frequency = vocabulary.authorFrequency(candidate);
    if (best === undefined || frequency > best.frequency) best = { word: candidate, frequency };
  }
  return best?.word;
}
