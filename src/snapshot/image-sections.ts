import { joinedCount, type SegmentImage } from "../search/index.ts";
import { type Section, type SectionReader, SnapshotError, sectionOf, textSection } from "./sections.ts";

/** A segment image's numbers that are not arrays. */
export interface ImageMeta {
  readonly documentCount: number;
  readonly fieldLengthSums: readonly [number, number, number];
}

export function imageSections(image: SegmentImage): { meta: ImageMeta; sections: Section[] } {
  return {
    meta: { documentCount: image.documentCount, fieldLengthSums: [...image.fieldLengthSums] },
    sections: [
      textSection("index.terms", image.terms),
      textSection("index.words", image.words),
      textSection("index.authorWords", image.authorWords),
      sectionOf("index.documentFrequency", image.documentFrequency),
      sectionOf("index.start", image.start),
      sectionOf("index.docs", image.docs),
      sectionOf("index.weights", image.weights),
      sectionOf("index.wordTermIds", image.wordTermIds),
      sectionOf("index.sortedWordIndexes", image.sortedWordIndexes),
      sectionOf("index.sortedWordTermIds", image.sortedWordTermIds),
      sectionOf("index.authorStart", image.authorStart),
      sectionOf("index.authorDocs", image.authorDocs),
      sectionOf("index.wordLexicon.masks", image.wordLexicon.masks),
      sectionOf("index.wordLexicon.byLength", image.wordLexicon.byLength),
      sectionOf("index.wordLexicon.original", image.wordLexicon.original),
      sectionOf("index.authorLexicon.masks", image.authorLexicon.masks),
      sectionOf("index.authorLexicon.byLength", image.authorLexicon.byLength),
      sectionOf("index.authorLexicon.original", image.authorLexicon.original),
    ],
  };
}

/**
 * The image back from its sections, checked for what a query relies on (every offset within its
 * array, every id within its table), so that even a file that passed its checksum but does not
 * describe an index is refused rather than searched.
 */
export function imageFromSections(meta: ImageMeta, sections: SectionReader, papers: number): SegmentImage {
  const sums = meta.fieldLengthSums;
  if (
    meta.documentCount !== papers ||
    !Array.isArray(sums) ||
    sums.length !== 3 ||
    !sums.every((sum) => Number.isFinite(sum) && sum >= 0)
  )
    throw new SnapshotError("index numbers are malformed");
  const image: SegmentImage = {
    documentCount: meta.documentCount,
    fieldLengthSums: [sums[0], sums[1], sums[2]],
    terms: sections.text("index.terms").toString("utf8"),
    words: sections.text("index.words").toString("utf8"),
    authorWords: sections.text("index.authorWords").toString("utf8"),
    documentFrequency: sections.u32("index.documentFrequency"),
    start: sections.u32("index.start"),
    docs: sections.u32("index.docs"),
    weights: sections.u8("index.weights"),
    wordTermIds: sections.i32("index.wordTermIds"),
    sortedWordIndexes: sections.u32("index.sortedWordIndexes"),
    sortedWordTermIds: sections.i32("index.sortedWordTermIds"),
    authorStart: sections.u32("index.authorStart"),
    authorDocs: sections.u32("index.authorDocs"),
    wordLexicon: {
      masks: sections.u32("index.wordLexicon.masks"),
      byLength: sections.u32("index.wordLexicon.byLength"),
      original: sections.u32("index.wordLexicon.original"),
    },
    authorLexicon: {
      masks: sections.u32("index.authorLexicon.masks"),
      byLength: sections.u32("index.authorLexicon.byLength"),
      original: sections.u32("index.authorLexicon.original"),
    },
  };
  checkImage(image);
  return image;
}

function checkImage(image: SegmentImage): void {
  const terms = joinedCount(image.terms);
  const words = joinedCount(image.words);
  const authorWords = joinedCount(image.authorWords);
  const fail = (what: string): never => {
    throw new SnapshotError(`index ${what} is malformed`);
  };
  if (image.documentFrequency.length !== terms) fail("document frequency");
  checkOffsets(image.start, terms, image.docs.length) || fail("postings offsets");
  if (image.weights.length !== image.docs.length) fail("weights");
  if (!below(image.docs, image.documentCount)) fail("postings");
  if (image.wordTermIds.length !== words || !termIds(image.wordTermIds, terms)) fail("word terms");
  if (image.sortedWordIndexes.length !== image.sortedWordTermIds.length) fail("sorted words");
  if (!below(image.sortedWordIndexes, words) || !termIds(image.sortedWordTermIds, terms))
    fail("sorted words");
  checkOffsets(image.authorStart, authorWords, image.authorDocs.length) || fail("author offsets");
  if (!below(image.authorDocs, image.documentCount)) fail("author postings");
  for (const [lexicon, size] of [
    [image.wordLexicon, words],
    [image.authorLexicon, authorWords],
  ] as const) {
    if (lexicon.masks.length !== size || lexicon.original.length !== size || !below(lexicon.original, size))
      fail("lexicon");
    const { byLength } = lexicon;
    if (byLength.length < 1 || byLength[0] !== 0 || byLength[byLength.length - 1] !== size) fail("lexicon");
    for (let k = 1; k < byLength.length; k++)
      if ((byLength[k] as number) < (byLength[k - 1] as number)) fail("lexicon");
  }
}

/** `offsets` has one entry per item and one more, rising from 0 to `end`. */
function checkOffsets(offsets: Uint32Array, items: number, end: number): boolean {
  if (offsets.length !== items + 1 || offsets[0] !== 0 || offsets[items] !== end) return false;
  for (let i = 1; i < offsets.length; i++)
    if ((offsets[i] as number) < (offsets[i - 1] as number)) return false;
  return true;
}

function below(values: Uint32Array, limit: number): boolean {
  // Indexed loops: a for-of over a typed array run once allocates an iterator result per element
  // (hundreds of megabytes of garbage over a 100k-paper index's postings).
  for (let i = 0; i < values.length; i++) if ((values[i] as number) >= limit) return false;
  return true;
}

function termIds(values: Int32Array, terms: number): boolean {
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value >= terms || value < -1) return false;
  }
  return true;
}
