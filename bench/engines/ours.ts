import { buildCatalog } from "../../src/catalog/index.ts";
import { loadCorpus } from "../../src/corpus/index.ts";
import { type Engine, TOP_K } from "./engine.ts";

/** The bot's own path: loadCorpus (validation, cleaning, ids, dedupe) and buildCatalog, as at start-up. */
export const ours: Engine = {
  name: "paper-picks SearchIndex",
  notes: "BM25F, AND with any-word fallback, typo correction, last-word prefix, phrases, author:",
  async load(file) {
    return (await loadCorpus(file)).papers;
  },
  build(papers) {
    const { index } = buildCatalog(papers);
    return (query) => index.search(query, { limit: TOP_K }).hits.length;
  },
};
