import { SearchIndex } from "../../src/search/index.ts";
import { type Engine, TOP_K } from "./engine.ts";

export const ours: Engine = {
  name: "paper-picks SearchIndex",
  notes: "BM25F, AND with any-word fallback, typo correction, last-word prefix, phrases, author:",
  build(papers) {
    const index = SearchIndex.build(papers);
    return (query) => index.search(query, { limit: TOP_K }).hits.length;
  },
};
