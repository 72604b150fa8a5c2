import type { Steps } from "../runtime/steps.ts";
import { AuthorIndex } from "./author-index.ts";
import { FuzzyLexicon, type FuzzyLexiconParts } from "./fuzzy.ts";
import type { FieldLengths } from "./postings.ts";
import type { BuiltSegmentParts } from "./segment-parts.ts";

/**
 * A built segment as plain data for postMessage, so the delta segment can be built in a worker thread
 * (see delta-worker.ts) and used in the main one. Its typed arrays go in the transfer list, moved rather
 * than copied; each list of words travels as one string, because a structured clone of tens of thousands
 * of small strings costs the receiving thread milliseconds at once, while one string arrives in one copy
 * and is cut into words here in slices.
 */
export interface SegmentImage {
  readonly documentCount: number;
  readonly fieldLengthSums: FieldLengths;
  /** The stems in term id order, joined by SEPARATOR. */
  readonly terms: string;
  /** postings.words joined by SEPARATOR. */
  readonly words: string;
  readonly authorWords: string;
  readonly documentFrequency: Uint32Array;
  readonly start: Uint32Array;
  readonly docs: Uint32Array;
  readonly weights: Uint8Array;
  readonly wordTermIds: Int32Array;
  readonly sortedWordIndexes: Uint32Array;
  readonly sortedWordTermIds: Int32Array;
  readonly authorStart: Uint32Array;
  readonly authorDocs: Uint32Array;
  readonly wordLexicon: FuzzyLexiconParts;
  readonly authorLexicon: FuzzyLexiconParts;
}

/** Never inside a word: the tokenizer splits text at anything but letters and digits. */
const SEPARATOR = "\u0000";
/** Words cut or mapped between two pauses (see steps.ts). */
const WORDS_PER_STEP = 256;

export function imageOf(parts: BuiltSegmentParts): SegmentImage {
  const { postings, authors } = parts;
  return {
    documentCount: postings.documentCount,
    fieldLengthSums: postings.fieldLengthSums,
    terms: parts.termStrings.join(SEPARATOR),
    words: postings.words.join(SEPARATOR),
    authorWords: authors.words.join(SEPARATOR),
    documentFrequency: postings.documentFrequency,
    start: postings.start,
    docs: postings.docs,
    weights: postings.weights,
    wordTermIds: postings.wordTermIds,
    sortedWordIndexes: parts.sortedWordIndexes,
    sortedWordTermIds: parts.sortedWordTermIds,
    authorStart: authors.parts.start,
    authorDocs: authors.parts.docs,
    wordLexicon: parts.wordLexicon.parts,
    authorLexicon: parts.authorLexicon.parts,
  };
}

/** The buffers to transfer with the image: the sender's segment must not be used afterwards. */
export function transferListOf(image: SegmentImage): ArrayBuffer[] {
  const arrays = [
    image.documentFrequency,
    image.start,
    image.docs,
    image.weights,
    image.wordTermIds,
    image.sortedWordIndexes,
    image.sortedWordTermIds,
    image.authorStart,
    image.authorDocs,
    ...lexiconArrays(image.wordLexicon),
    ...lexiconArrays(image.authorLexicon),
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  return [...buffers];
}

function lexiconArrays(parts: FuzzyLexiconParts): Uint32Array[] {
  return [parts.masks, parts.byLength, parts.original];
}

/** The segment's parts from an image, as steps: the word lists are cut and their maps built a slice at a time. */
export function* partsFromImageSteps(image: SegmentImage): Steps<BuiltSegmentParts> {
  const termStrings = yield* splitSteps(image.terms);
  const termIds = yield* idMapSteps(termStrings);
  const words = yield* splitSteps(image.words);
  const authorWords = yield* splitSteps(image.authorWords);
  const authorIds = yield* idMapSteps(authorWords);
  const sortedWords = new Array<string>(image.sortedWordIndexes.length);
  for (let k = 0; k < sortedWords.length; k++) {
    if (k % WORDS_PER_STEP === WORDS_PER_STEP - 1) yield;
    sortedWords[k] = words[image.sortedWordIndexes[k] ?? 0] ?? "";
  }
  const authors = AuthorIndex.fromParts(authorIds, image.authorStart, image.authorDocs);
  return {
    postings: {
      documentCount: image.documentCount,
      termIds,
      documentFrequency: image.documentFrequency,
      start: image.start,
      docs: image.docs,
      weights: image.weights,
      words,
      wordTermIds: image.wordTermIds,
      fieldLengthSums: image.fieldLengthSums,
    },
    termStrings,
    authors,
    sortedWords,
    sortedWordIndexes: image.sortedWordIndexes,
    sortedWordTermIds: image.sortedWordTermIds,
    wordLexicon: yield* FuzzyLexicon.fromPartsSteps(words, image.wordLexicon),
    authorLexicon: yield* FuzzyLexicon.fromPartsSteps(authors.words, image.authorLexicon),
  };
}

/** How many words a list joined by imageOf holds, without splitting it. */
export function joinedCount(joined: string): number {
  if (joined === "") return 0;
  let count = 1;
  for (let at = joined.indexOf(SEPARATOR); at >= 0; at = joined.indexOf(SEPARATOR, at + 1)) count++;
  return count;
}

function* splitSteps(joined: string): Steps<string[]> {
  const parts: string[] = [];
  if (joined === "") return parts;
  let from = 0;
  for (;;) {
    const end = joined.indexOf(SEPARATOR, from);
    parts.push(joined.slice(from, end < 0 ? undefined : end));
    if (end < 0) return parts;
    from = end + 1;
    if (parts.length % WORDS_PER_STEP === 0) yield;
  }
}

function* idMapSteps(strings: readonly string[]): Steps<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < strings.length; i++) {
    if (i % WORDS_PER_STEP === WORDS_PER_STEP - 1) yield;
    ids.set(strings[i] ?? "", i);
  }
  return ids;
}
