import type { AuthorIndex } from "./author-index.ts";
import type { FuzzyLexicon } from "./fuzzy.ts";
import type { Postings } from "./postings.ts";

/**
 * What a segment is built from, whether built in this thread or read back from a worker's image
 * (segment-image.ts): everything a segment's views share but its scratch space and lazy lookups.
 */
export interface BuiltSegmentParts {
  readonly postings: Postings;
  readonly termStrings: readonly string[];
  readonly authors: AuthorIndex;
  /** Normalised words sorted for prefix ranges, with their term ids. */
  readonly sortedWords: readonly string[];
  /** Each sorted word's index in postings.words (what sortedWords is made from elsewhere: segment-image.ts). */
  readonly sortedWordIndexes: Uint32Array;
  readonly sortedWordTermIds: Int32Array;
  readonly wordLexicon: FuzzyLexicon;
  readonly authorLexicon: FuzzyLexicon;
}
