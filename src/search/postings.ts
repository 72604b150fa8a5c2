import type { Paper } from "../core/paper.ts";
import { runSteps, type Steps } from "../runtime/steps.ts";
import { ScratchArray } from "./scratch-array.ts";
import { forEachWord, normalizeText, termOf } from "./tokenize.ts";
import { hashWord, WordTable } from "./word-table.ts";

/**
 * The inverted index in flat typed arrays: for term t, documents
 * `docs[start[t] .. start[t+1]]` (ascending positions in the paper list) with one byte of precomputed
 * BM25F term weight each. About 5 bytes per (term, paper) pair and no per-posting objects, which is what
 * keeps 1M papers in memory and the scoring loops tight.
 */
export interface Postings {
  readonly documentCount: number;
  /** Stem -> term id. */
  readonly termIds: ReadonlyMap<string, number>;
  readonly documentFrequency: Uint32Array;
  readonly start: Uint32Array;
  readonly docs: Uint32Array;
  /** Quantised BM25F saturation tf~/(k1 + tf~) in 1..255; the query multiplies by idf. */
  readonly weights: Uint8Array;
  /** Every distinct normalised word seen (not stemmed) and its term id (-1: stopword), for prefix and typo lookups. */
  readonly words: readonly string[];
  readonly wordTermIds: Int32Array;
  /** Total title, abstract and author lengths (in terms) of the indexed papers, for corpus-wide averages. */
  readonly fieldLengthSums: FieldLengths;
}

export type FieldLengths = readonly [title: number, abstract: number, authors: number];

/**
 * The papers indexed elsewhere (the other segments of a segmented index): a segment built beside them
 * normalises field lengths by the averages over all of them, so its weights compare with theirs.
 */
export interface LengthBaseline {
  readonly documentCount: number;
  readonly fieldLengthSums: FieldLengths;
}

/** Papers between two pauses of a build in slices (see steps.ts); a paper takes some 30 µs to index. */
const PAPERS_PER_STEP = 8;
const DOCS_PER_SCATTER_STEP = 256;

const K1 = 1.2;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** BM25F fields: a title word counts 2.5x an abstract word; author names are short, so no length penalty. */
const FIELD_WEIGHTS = [2.5, 1, 1] as const;
const FIELD_B = [0.5, 0.75, 0] as const;

/**
 * Builds the postings in two passes over (paper, term, field tfs) entries kept in typed arrays:
 * scanning (count document frequencies and field lengths), then scattering into per-term ranges once the
 * average field lengths, needed by BM25's length normalisation, are known.
 *
 * The entries (8 bytes per (paper, term) pair, ~100 MB at 100k papers) live in scratch arrays that give
 * their memory back as soon as the postings are built (see scratch-array.ts): left to the garbage
 * collector, they kept an idle bot's RSS that much higher. Re-reading the text instead of keeping
 * entries would need no scratch at all, but tokenising is two thirds of the build time.
 */
class PostingsBuilder {
  readonly table = new WordTable();
  /** The table's words as strings, by word id (kept for prefix and typo lookups). */
  readonly asciiWords: string[] = [];
  wordTerm = new Int32Array(1 << 14);
  readonly unicodeWordTerm = new Map<string, number>();
  readonly termIds = new Map<string, number>();
  termCount = 0;
  lastDoc = new Int32Array(1 << 14).fill(-1);
  tf = [new Uint8Array(1 << 14), new Uint8Array(1 << 14), new Uint8Array(1 << 14)];
  documentFrequency: Uint32Array = new Uint32Array(1 << 14);
  docTerms: Uint32Array = new Uint32Array(1 << 12);
  docTermCount = 0;
  /** Per entry, in paper order: the term id. */
  readonly entryTerms = new ScratchArray(Uint32Array, 1 << 16);
  /** Per entry: the term's title, abstract and author tfs, one byte each (low byte first). */
  readonly entryTfs = new ScratchArray(Uint32Array, 1 << 16);
  entryCount = 0;
  readonly fieldLengths: readonly [
    ScratchArray<Uint16Array<ArrayBuffer>>,
    ScratchArray<Uint16Array<ArrayBuffer>>,
    ScratchArray<Uint16Array<ArrayBuffer>>,
  ];
  /** Paper d's entries are entryTerms[docEntryStart[d] .. docEntryStart[d + 1]]. */
  readonly docEntryStart: ScratchArray<Uint32Array<ArrayBuffer>>;
  doc = 0;

  constructor(documentCount: number) {
    this.fieldLengths = [
      new ScratchArray(Uint16Array, documentCount, documentCount),
      new ScratchArray(Uint16Array, documentCount, documentCount),
      new ScratchArray(Uint16Array, documentCount, documentCount),
    ];
    this.docEntryStart = new ScratchArray(Uint32Array, documentCount + 1, documentCount + 1);
  }

  addPaper(doc: number, paper: Paper): void {
    this.doc = doc;
    this.docTermCount = 0;
    this.addField(paper.title, 0);
    this.addField(paper.abstract, 1);
    this.addField(paper.authors.join(", "), 2);
    const { docTerms, tf, documentFrequency } = this;
    const needed = this.entryCount + this.docTermCount;
    const entryTerms = this.entryTerms.reserve(needed);
    const entryTfs = this.entryTfs.reserve(needed);
    let entry = this.entryCount;
    for (let i = 0; i < this.docTermCount; i++) {
      const id = docTerms[i] ?? 0;
      entryTerms[entry] = id;
      entryTfs[entry] = (tf[0]?.[id] ?? 0) | ((tf[1]?.[id] ?? 0) << 8) | ((tf[2]?.[id] ?? 0) << 16);
      entry++;
      documentFrequency[id] = (documentFrequency[id] ?? 0) + 1;
    }
    this.entryCount = entry;
    this.docEntryStart.array[doc + 1] = entry;
  }

  /** Scans one field's raw text in a char-code loop (case folded inline); other scripts take the string path. */
  addField(text: string, field: number): void {
    let length = 0;
    let start = -1;
    let hash = WordTable.FNV_OFFSET;
    const end = text.length;
    for (let i = 0; i <= end; i++) {
      let code = i < end ? text.charCodeAt(i) : 32;
      if (code >= 128) {
        // Dashes, quotes and math symbols just separate words; letters (é, α, 中) need Unicode folding.
        if (LETTER_OR_DIGIT.test(text.charAt(i))) {
          this.#addFieldByStrings(text, field);
          return;
        }
        code = 32;
      }
      if (code >= 65 && code <= 90) code += 32;
      if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
        if (start < 0) {
          start = i;
          hash = WordTable.FNV_OFFSET;
        }
        hash = Math.imul(hash ^ code, 16777619);
      } else if (start >= 0) {
        let word = this.table.find(text, start, i, hash);
        if (word < 0) word = this.#addWord(text, start, i, hash);
        const term = this.wordTerm[word] ?? -1;
        if (term >= 0) {
          this.#count(term, field);
          length++;
        }
        start = -1;
      }
    }
    this.fieldLengths[field as 0 | 1 | 2].array[this.doc] = Math.min(length, 65535);
  }

  #addFieldByStrings(text: string, field: number): void {
    // Undo this field's counts made before the first non-ASCII character, then rescan as strings.
    // Simpler: fields are small and rare, so count from scratch with a per-word lookup.
    const counts = new Map<number, number>();
    let length = 0;
    forEachWord(normalizeText(text), (word) => {
      let term: number | undefined;
      if (/^[a-z0-9]+$/.test(word)) {
        const hash = hashWord(word);
        let id = this.table.find(word, 0, word.length, hash);
        if (id < 0) id = this.#addWord(word, 0, word.length, hash);
        term = this.wordTerm[id] ?? -1;
      } else {
        term = this.unicodeWordTerm.get(word);
        if (term === undefined) {
          term = this.#termIdOf(word);
          this.unicodeWordTerm.set(` ${word}`.slice(1), term);
        }
      }
      if (term >= 0) {
        counts.set(term, (counts.get(term) ?? 0) + 1);
        length++;
      }
    });
    // The ASCII scan may have counted part of this field before meeting the first non-ASCII character.
    const tf = this.tf[field] as Uint8Array;
    for (let i = 0; i < this.docTermCount; i++) {
      const id = this.docTerms[i] ?? 0;
      if (this.lastDoc[id] === this.doc) tf[id] = 0;
    }
    for (const [term, count] of counts) for (let k = 0; k < count; k++) this.#count(term, field);
    this.fieldLengths[field as 0 | 1 | 2].array[this.doc] = Math.min(length, 65535);
  }

  #count(term: number, field: number): void {
    const { tf } = this;
    if (this.lastDoc[term] !== this.doc) {
      this.lastDoc[term] = this.doc;
      (tf[0] as Uint8Array)[term] = 0;
      (tf[1] as Uint8Array)[term] = 0;
      (tf[2] as Uint8Array)[term] = 0;
      if (this.docTermCount === this.docTerms.length)
        this.docTerms = growUint32(this.docTerms, this.docTerms.length * 2);
      this.docTerms[this.docTermCount++] = term;
    }
    const counts = tf[field] as Uint8Array;
    const current = counts[term] ?? 0;
    if (current < 255) counts[term] = current + 1;
  }

  #addWord(text: string, start: number, end: number, hash: number): number {
    const id = this.table.add(text, start, end, hash);
    if (id >= this.wordTerm.length) {
      const grown = new Int32Array(this.wordTerm.length * 2);
      grown.set(this.wordTerm);
      this.wordTerm = grown;
    }
    const word = this.table.word(id);
    this.asciiWords.push(word);
    this.wordTerm[id] = this.#termIdOf(word);
    return id;
  }

  #termIdOf(word: string): number {
    const term = termOf(word);
    if (term === undefined) return -1;
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termCount++;
      this.termIds.set(term, id);
      if (id >= this.lastDoc.length) {
        const size = this.lastDoc.length * 2;
        const lastDoc = new Int32Array(size).fill(-1);
        lastDoc.set(this.lastDoc);
        this.lastDoc = lastDoc;
        this.tf = this.tf.map((counts) => {
          const grown = new Uint8Array(size);
          grown.set(counts);
          return grown;
        });
        this.documentFrequency = growUint32(this.documentFrequency, size);
      }
    }
    return id;
  }

  *finish(documentCount: number, baseline: LengthBaseline | undefined): Steps<Postings> {
    const termCount = this.termCount;
    const fieldLengths = this.fieldLengths.map((lengths) => lengths.array);
    const sums = fieldLengths.map((lengths) => {
      let sum = 0;
      for (let doc = 0; doc < documentCount; doc++) sum += lengths[doc] ?? 0;
      return sum;
    });
    const fieldLengthSums: FieldLengths = [sums[0] ?? 0, sums[1] ?? 0, sums[2] ?? 0];
    yield;
    const allDocuments = documentCount + (baseline?.documentCount ?? 0);
    const averages = fieldLengthSums.map((sum, field) =>
      Math.max(1, (sum + (baseline?.fieldLengthSums[field] ?? 0)) / Math.max(1, allDocuments)),
    );
    const documentFrequency = this.documentFrequency.slice(0, termCount);
    const start = new Uint32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) start[t + 1] = (start[t] ?? 0) + (documentFrequency[t] ?? 0);
    yield;
    const cursor = start.slice(0, termCount);
    const docs = new Uint32Array(this.entryCount);
    const weights = new Uint8Array(this.entryCount);
    const entryTerms = this.entryTerms.array;
    const entryTfs = this.entryTfs.array;
    const docEntryStart = this.docEntryStart.array;
    const [titleLengths, abstractLengths, authorLengths] = fieldLengths as [
      Uint16Array,
      Uint16Array,
      Uint16Array,
    ];
    const [avgTitle = 1, avgAbstract = 1, avgAuthors = 1] = averages;
    for (let doc = 0; doc < documentCount; doc++) {
      if (doc % DOCS_PER_SCATTER_STEP === DOCS_PER_SCATTER_STEP - 1) yield;
      const titleNorm =
        FIELD_WEIGHTS[0] / (1 - FIELD_B[0] + (FIELD_B[0] * (titleLengths[doc] ?? 0)) / avgTitle);
      const abstractNorm =
        FIELD_WEIGHTS[1] / (1 - FIELD_B[1] + (FIELD_B[1] * (abstractLengths[doc] ?? 0)) / avgAbstract);
      const authorsNorm =
        FIELD_WEIGHTS[2] / (1 - FIELD_B[2] + (FIELD_B[2] * (authorLengths[doc] ?? 0)) / avgAuthors);
      const end = docEntryStart[doc + 1] ?? 0;
      for (let e = docEntryStart[doc] ?? 0; e < end; e++) {
        const term = entryTerms[e] ?? 0;
        const tfs = entryTfs[e] ?? 0;
        const tf =
          (tfs & 0xff) * titleNorm + ((tfs >>> 8) & 0xff) * abstractNorm + (tfs >>> 16) * authorsNorm;
        const slot = cursor[term] ?? 0;
        cursor[term] = slot + 1;
        docs[slot] = doc;
        weights[slot] = Math.max(1, Math.round((255 * tf) / (K1 + tf)));
      }
    }
    yield;
    for (const scratch of [this.entryTerms, this.entryTfs, this.docEntryStart, ...this.fieldLengths]) {
      scratch.release();
    }
    yield;
    const words = this.asciiWords;
    const wordTermIds = new Int32Array(this.table.count + this.unicodeWordTerm.size);
    for (let id = 0; id < this.table.count; id++) wordTermIds[id] = this.wordTerm[id] ?? -1;
    for (const [word, term] of this.unicodeWordTerm) {
      wordTermIds[words.length] = term;
      words.push(word);
    }
    return {
      documentCount,
      termIds: this.termIds,
      documentFrequency,
      start,
      docs,
      weights,
      words,
      wordTermIds,
      fieldLengthSums,
    };
  }
}

export function buildPostings(papers: readonly Paper[], baseline?: LengthBaseline): Postings {
  return runSteps(postingsSteps(papers, baseline));
}

/** {@link buildPostings} as steps, pausing every few papers (see steps.ts). */
export function* postingsSteps(papers: readonly Paper[], baseline?: LengthBaseline): Steps<Postings> {
  const builder = new PostingsBuilder(papers.length);
  for (let doc = 0; doc < papers.length; doc++) {
    builder.addPaper(doc, papers[doc] as Paper);
    if (doc % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
  }
  return yield* builder.finish(papers.length, baseline);
}

function growUint32(array: Uint32Array, size: number): Uint32Array<ArrayBuffer> {
  const grown = new Uint32Array(size);
  grown.set(array);
  return grown;
}
