/**
 * Text -> index terms, shared by the search index, query parsing, snippets and the picks module, so that
 * a word means the same thing everywhere.
 *
 * Rules (decided once, keep them stable: changing them changes what every stored topic matches):
 * - Unicode NFKD, combining marks dropped ("Schrödinger" -> "schrodinger", "ﬁne" -> "fine"), lower case.
 * - Words are runs of letters and digits; everything else separates ("sim-to-real" -> sim, real;
 *   "o(n^2)" -> nothing, because one-character pieces are dropped as noise: enumeration "(1)", "n", "s").
 * - Words longer than 40 characters are dropped (base64, URLs, pasted junk), as are English stopwords.
 * - A light suffix stemmer conflates the forms people actually mix up in queries: plurals
 *   (models/model, caches/cache, policies/policy), -ing and -ed (caching/cache/cached, decoding/decode,
 *   embeddings/embedding/embed) and a final silent e. It deliberately does NOT strip derivational
 *   suffixes (-er, -ation, -ize): "decoder" is not "decoding" and "transformer" is not "transform".
 *   Words containing digits (gpt4, 3d, 7b) are never stemmed.
 */

const MAX_WORD_LENGTH = 40;

// A common English stopword list (function words only); content words are left to BM25's idf.
export const STOPWORD_LIST: readonly string[] = (
  "a about above after again against all am an and any are as at be because been before being below between " +
  "both but by can could did do does doing down during each few for from further had has have having he her " +
  "here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not " +
  "of off on once only or other our ours ourselves out over own same she should so some such than that the " +
  "their theirs them themselves then there these they this those through to too under until up very was we " +
  "were what when where which while who whom why will with would you your yours yourself yourselves via also " +
  "us may might must shall within without upon whether thus hence however therefore yet"
).split(" ");
const STOPWORDS = new Set(STOPWORD_LIST);

// Words that only look inflected; stripping them would merge unrelated words or split a word from its forms.
const STEM_EXCEPTIONS = new Set([
  "bias",
  "alias",
  "atlas",
  "canvas",
  "lens",
  "news",
  "embed",
  "hundred",
  "this",
]);

/** Any character beyond ASCII: text without one takes the fast, char-code paths. */
export const NON_ASCII = /[\u0080-\uffff]/;
const COMBINING_MARKS = /\p{M}+/gu;
const UNICODE_WORD = /[\p{L}\p{N}]+/gu;
const HAS_DIGIT = /[0-9]/;
const VOWEL = /[aeiouy]/;

/** Lower-cases and folds accents/compatibility forms; ASCII text (nearly every abstract) takes a fast path. */
export function normalizeText(text: string): string {
  const lower = text.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower.normalize("NFKD").replace(COMBINING_MARKS, "");
}

/**
 * Calls `visit` with each word of already-normalised text, in order, with its offsets in that text.
 * Words are not yet filtered or stemmed; see {@link termOf}.
 */
export function forEachWord(
  normalized: string,
  visit: (word: string, start: number, end: number) => void,
): void {
  if (NON_ASCII.test(normalized)) {
    for (const match of normalized.matchAll(UNICODE_WORD)) {
      visit(match[0], match.index, match.index + match[0].length);
    }
    return;
  }
  // ASCII fast path: a char-code loop is several times faster than a regex on long abstracts.
  let start = -1;
  const length = normalized.length;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? normalized.charCodeAt(i) : 32;
    const isWordChar = (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
    if (isWordChar) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      visit(normalized.slice(start, i), start, i);
      start = -1;
    }
  }
}

/** The index term for one normalised word, or undefined when the word carries no meaning on its own. */
export function termOf(word: string): string | undefined {
  if (word.length < 2 || word.length > MAX_WORD_LENGTH || STOPWORDS.has(word)) return undefined;
  return stem(word);
}

/** Whether a normalised word is an English stopword (dropped from queries and the index). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/**
 * Light English suffix stemmer (see the module comment for what it conflates and why).
 * Input must be a normalised (lower-case, accent-free) word.
 */
export function stem(word: string): string {
  if (word.length <= 3 || HAS_DIGIT.test(word) || STEM_EXCEPTIONS.has(word)) return word;
  let w = word;
  // Plurals and third person: studies -> studi, losses -> loss(e), models -> model; keep corpus, analysis, loss.
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (
    w.endsWith("s") &&
    !w.endsWith("ss") &&
    !w.endsWith("is") &&
    !(w.endsWith("us") && w.length >= 5)
  ) {
    w = w.slice(0, -1);
  }
  // Verb forms: caching -> cach, decoded -> decod, embedding -> embed; "speed"/"string"/"being" stay.
  let strippedVerbSuffix = false;
  if (w.endsWith("ing") && hasVowelStem(w, 3)) {
    w = w.slice(0, -3);
    strippedVerbSuffix = true;
  } else if (w.endsWith("ied") && w.length > 4) {
    w = `${w.slice(0, -3)}i`;
  } else if (w.endsWith("ed") && !w.endsWith("eed") && hasVowelStem(w, 2)) {
    w = w.slice(0, -2);
    strippedVerbSuffix = true;
  }
  if (strippedVerbSuffix && isUndoublable(w)) w = w.slice(0, -1);
  // Silent e and final y, so that cache/caching and study/studies meet: cache -> cach, study -> studi.
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  else if (w.length > 3 && w.endsWith("y") && !VOWEL.test(w.charAt(w.length - 2))) w = `${w.slice(0, -1)}i`;
  return w;
}

function hasVowelStem(word: string, suffixLength: number): boolean {
  const stemPart = word.slice(0, -suffixLength);
  return stemPart.length >= 2 && VOWEL.test(stemPart);
}

/**
 * Porter's rule: a doubled final consonant left by -ing/-ed is undoubled (running -> run), except s and z
 * (passing -> pass) and l in short words (falling -> fall), while modelling/labelled meet model/label.
 */
function isUndoublable(word: string): boolean {
  const last = word.charAt(word.length - 1);
  if (word.length < 3 || last !== word.charAt(word.length - 2) || !/[a-z]/.test(last)) return false;
  if (last === "l") return word.length >= 6;
  return !"aeiouysz".includes(last);
}

/** Normalised, stemmed, stopword-free terms of `text`, in order (duplicates kept). */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  forEachWord(normalizeText(text), (word) => {
    const term = termOf(word);
    if (term !== undefined) terms.push(term);
  });
  return terms;
}
