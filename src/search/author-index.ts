import type { Paper } from "../paper.ts";
import { forEachWord, normalizeText } from "./tokenize.ts";

/**
 * Which papers each author-name word appears in (`author:vaswani`, `author:"Tri Dao"`). Names are not
 * stemmed and keep short words ("An", "Li", "Le"), unlike the full-text index.
 */
export class AuthorIndex {
  readonly #docsByWord: ReadonlyMap<string, Uint32Array>;
  readonly words: readonly string[];

  private constructor(docsByWord: ReadonlyMap<string, Uint32Array>) {
    this.#docsByWord = docsByWord;
    this.words = [...docsByWord.keys()];
  }

  static build(papers: readonly Paper[]): AuthorIndex {
    const lists = new Map<string, number[]>();
    papers.forEach((paper, doc) => {
      for (const name of paper.authors) {
        forEachWord(normalizeText(name), (word) => {
          const list = lists.get(word);
          if (list === undefined) lists.set(` ${word}`.slice(1), [doc]);
          else if (list.at(-1) !== doc) list.push(doc);
        });
      }
    });
    const docsByWord = new Map<string, Uint32Array>();
    for (const [word, docs] of lists) docsByWord.set(word, Uint32Array.from(docs));
    return new AuthorIndex(docsByWord);
  }

  /** Papers (ascending positions) with an author whose name contains this normalised word. */
  papersWith(word: string): Uint32Array | undefined {
    return this.#docsByWord.get(word);
  }

  get isEmpty(): boolean {
    return this.#docsByWord.size === 0;
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
