import type { Paper } from "../core/paper.ts";

/**
 * Which papers are filed under each arXiv category (`cat:cs.CL`) and under each archive (`cat:cs`: every
 * cs.* category, and a code without a subject class such as `hep-th`). Keys are in lower case, as the
 * query parser gives them; each key's papers are ascending positions in the indexed list.
 *
 * Built on a corpus's first cat: query rather than with the rest of the index: most corpora (the seed
 * page, Hugging Face daily papers) have no categories, and most bots never get such a query.
 */
export class CategoryIndex {
  readonly #docs: ReadonlyMap<string, Uint32Array>;

  private constructor(docs: ReadonlyMap<string, Uint32Array>) {
    this.#docs = docs;
  }

  /** The index of this list of papers, built once per list and dropped with it. */
  static of(papers: readonly Paper[]): CategoryIndex {
    let index = built.get(papers);
    if (index === undefined) {
      index = CategoryIndex.build(papers);
      built.set(papers, index);
    }
    return index;
  }

  static build(papers: readonly Paper[]): CategoryIndex {
    const lists = new Map<string, DocList>();
    // Papers of one listing share one frozen list of codes (see NamePool.internList): their keys are
    // worked out once per list, not once per paper.
    const keysOfList = new Map<readonly string[], readonly DocList[]>();
    papers.forEach((paper, doc) => {
      const codes = paper.categories;
      if (codes === undefined || codes.length === 0) return;
      let keys = keysOfList.get(codes);
      if (keys === undefined) {
        keys = categoryKeys(codes).map((key) => {
          let list = lists.get(key);
          if (list === undefined) {
            list = new DocList();
            lists.set(key, list);
          }
          return list;
        });
        if (keysOfList.size < MAX_REMEMBERED_LISTS) keysOfList.set(codes, keys);
      }
      for (const list of keys) list.push(doc);
    });
    const docs = new Map<string, Uint32Array>();
    for (const [key, list] of lists) docs.set(key, list.toArray());
    return new CategoryIndex(docs);
  }

  /** Papers (ascending positions) under this lower-case category code or archive; undefined for none. */
  papersIn(code: string): Uint32Array | undefined {
    return this.#docs.get(code);
  }
}

const built = new WeakMap<readonly Paper[], CategoryIndex>();
const MAX_REMEMBERED_LISTS = 1 << 14;

/** "cs.CL", "cs.LG", "stat.ML" -> "cs.cl", "cs", "cs.lg", "stat.ml", "stat": each key once. */
function categoryKeys(codes: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const code of codes) {
    const key = code.toLowerCase();
    keys.add(key);
    const dot = key.indexOf(".");
    if (dot > 0) keys.add(key.slice(0, dot));
  }
  return [...keys];
}

/** An ascending list of positions that grows by doubling; a handful of these exist per corpus. */
class DocList {
  #docs = new Uint32Array(16);
  #length = 0;

  push(doc: number): void {
    if (this.#length === this.#docs.length) {
      const grown = new Uint32Array(this.#docs.length * 2);
      grown.set(this.#docs);
      this.#docs = grown;
    }
    this.#docs[this.#length++] = doc;
  }

  toArray(): Uint32Array {
    return this.#docs.slice(0, this.#length);
  }
}
