export type { Correction, IndexChanges, SearchHit, SearchOptions, SearchResult } from "./search-index.ts";
export { SearchIndex } from "./search-index.ts";
export { normalizeText, stem, termOf, tokenize } from "./tokenize.ts";
