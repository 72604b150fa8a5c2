import FlexSearch from "flexsearch";
import { type Engine, TOP_K } from "./engine.ts";
import { queryParts } from "./translate.ts";

interface FlexDocument {
  add(document: { id: number; title: string; abstract: string; authors: string }): void;
  search(query: string, options: { limit: number; merge?: boolean; suggest?: boolean }): unknown[];
}

export const flexsearch: Engine = {
  name: "flexsearch 0.8",
  notes:
    "Document index, tokenize forward (prefixes), contextual scoring, no BM25, no typo tolerance, phrases and author names as plain words",
  build(papers) {
    const Document = (FlexSearch as unknown as { Document: new (options: object) => FlexDocument }).Document;
    const index = new Document({
      document: { id: "id", index: ["title", "abstract", "authors"] },
      tokenize: "forward",
    });
    papers.forEach((paper, id) => {
      index.add({ id, title: paper.title, abstract: paper.abstract, authors: paper.authors.join(", ") });
    });
    return (query) => {
      const parts = queryParts(query);
      const text = [...parts.words, ...parts.phrases.flat(), ...parts.authors.flat()].join(" ");
      return index.search(text, { limit: TOP_K, merge: true }).length;
    };
  },
};
