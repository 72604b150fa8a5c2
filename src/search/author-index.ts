import type { Paper } from "../core/paper.ts";
import { runSteps, type Steps } from "../runtime/steps.ts";
import { ScratchArray } from "./scratch-array.ts";
import { forEachWord, normalizeText } from "./tokenize.ts";

/** Papers between two pauses of a build in slices (see steps.ts). */
const PAPERS_PER_STEP = 64;
const DOCS_PER_SCATTER_STEP = 2048;

/**
 * Which papers each author-name word appears in (`author:vaswani`, `author:"Tri Dao"`). Names are not
 * stemmed and keep short words ("An", "Li", "Le"), unlike the full-text index.
 *
 * All the lists share one typed array (word w's papers are docs[start[w] .. start[w + 1]]), built like the
 * postings: (paper, word) entries in scratch that is given back at once, then scattered by word. A growing
 * JS array per word left ~25 MB of garbage at 100k papers that an idle bot never collects.
 */
export class AuthorIndex {
  readonly #wordIds: ReadonlyMap<string, number>;
  readonly #start: Uint32Array;
  readonly #docs: Uint32Array;
  readonly words: readonly string[];

  private constructor(wordIds: ReadonlyMap<string, number>, start: Uint32Array, docs: Uint32Array) {
    this.#wordIds = wordIds;
    this.#start = start;
    this.#docs = docs;
    this.words = [...wordIds.keys()];
  }

  /** An index from the parts of {@link parts} (a segment built in a worker thread; see segment-image.ts). */
  static fromParts(wordIds: ReadonlyMap<string, number>, start: Uint32Array, docs: Uint32Array): AuthorIndex {
    return new AuthorIndex(wordIds, start, docs);
  }

  /** The lists as typed arrays: word w's papers are docs[start[w] .. start[w + 1]], w indexing `words`. */
  get parts(): { readonly start: Uint32Array; readonly docs: Uint32Array } {
    return { start: this.#start, docs: this.#docs };
  }

  static build(papers: readonly Paper[]): AuthorIndex {
    return runSteps(AuthorIndex.buildSteps(papers));
  }

  /** {@link build} as steps, pausing every few hundred papers (see steps.ts). */
  static *buildSteps(papers: readonly Paper[]): Steps<AuthorIndex> {
    const wordIds = new Map<string, number>();
    // Per word: how many papers have it, and the last paper (+1, so 0 means none yet) that counted.
    const counts = new ScratchArray(Uint32Array, 1 << 12);
    const lastDoc = new ScratchArray(Uint32Array, 1 << 12);
    // Per (paper, word) entry in paper order: the word id; paper d's entries end at docEnd[d].
    const entries = new ScratchArray(Uint32Array, 1 << 14);
    const docEnd = new ScratchArray(Uint32Array, papers.length, papers.length);
    let entryCount = 0;
    for (let doc = 0; doc < papers.length; doc++) {
      if (doc % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
      for (const name of (papers[doc] as Paper).authors) {
        forEachWord(normalizeText(name), (word) => {
          let id = wordIds.get(word);
          if (id === undefined) {
            id = wordIds.size;
            wordIds.set(` ${word}`.slice(1), id);
            counts.reserve(id + 1);
            lastDoc.reserve(id + 1);
          }
          if (lastDoc.array[id] === doc + 1) return;
          lastDoc.array[id] = doc + 1;
          counts.array[id] = (counts.array[id] ?? 0) + 1;
          entries.reserve(entryCount + 1)[entryCount++] = id;
        });
      }
      docEnd.array[doc] = entryCount;
    }
    const wordCount = wordIds.size;
    const start = new Uint32Array(wordCount + 1);
    for (let w = 0; w < wordCount; w++) start[w + 1] = (start[w] ?? 0) + (counts.array[w] ?? 0);
    const cursor = counts.array;
    cursor.set(start.subarray(0, wordCount));
    const docs = new Uint32Array(entryCount);
    let entry = 0;
    for (let doc = 0; doc < papers.length; doc++) {
      if (doc % DOCS_PER_SCATTER_STEP === DOCS_PER_SCATTER_STEP - 1) yield;
      const end = docEnd.array[doc] ?? 0;
      for (; entry < end; entry++) {
        const id = entries.array[entry] ?? 0;
        const slot = cursor[id] ?? 0;
        cursor[id] = slot + 1;
        docs[slot] = doc;
      }
    }
    for (const scratch of [counts, lastDoc, entries, docEnd]) scratch.release();
    return new AuthorIndex(wordIds, start, docs);
  }

  /** Papers (ascending positions) with an author whose name contains this normalised word. */
  papersWith(word: string): Uint32Array | undefined {
    const id = this.#wordIds.get(word);
    if (id === undefined) return undefined;
    return this.#docs.subarray(this.#start[id] ?? 0, this.#start[id + 1] ?? 0);
  }

  get isEmpty(): boolean {
    return this.#wordIds.size === 0;
  }
}

/** Whether one of the paper's author names contains `words` as consecutive name words ("tri dao"). */
export function hasAuthorNamed(paper: Paper, words: readonly string[]): boolean {
  return paper.authors.some((name) => {
    const nameWords: string[] = [];
    forEachWord(normalizeText(name), (word) => {
      nameWords.push(word);
    });
    for (let i = 0; i + words.length <= nameWords.length; i++) {
      if (words.every((word, k) => nameWords[i + k] === word)) return true;
    }
    return false;
  });
}
