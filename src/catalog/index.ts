export { DEFAULT_FOLD_POLICY, type FoldPolicy, LiveCatalog } from "./catalog.ts";
export { buildCatalog, type Catalog, findPaper } from "./catalog-snapshot.ts";
export { TopicMatchCache } from "./topic-match-cache.ts";
