import MiniSearch from "minisearch";
import { type Engine, TOP_K } from "./engine.ts";
import { queryParts } from "./translate.ts";

export const minisearch: Engine = {
  name: "minisearch 7.2",
  notes:
    "BM25, AND, fuzzy 0.2 (words of 4+), prefix on the last word; phrases and author names as plain words",
  build(papers) {
    const index = new MiniSearch<{ id: number; title: string; abstract: string; authors: string }>({
      fields: ["title", "abstract", "authors"],
      storeFields: [],
      searchOptions: { boost: { title: 2.5 }, combineWith: "AND" },
    });
    index.addAll(
      papers.map((paper, id) => ({
        id,
        title: paper.title,
        abstract: paper.abstract,
        authors: paper.authors.join(", "),
      })),
    );
    return (query) => {
      const parts = queryParts(query);
      const words = [...parts.words, ...parts.phrases.flat(), ...parts.authors.flat()];
      const text = words.join(" ");
      const last = parts.lastWordIsPrefix ? parts.words.at(-1) : undefined;
      const results = index.search(text, {
        prefix: (term) => term === last,
        fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      });
      return results.slice(0, TOP_K).length;
    };
  },
};
