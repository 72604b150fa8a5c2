export type { DeltaBuilder } from "./delta-builder.ts";
export type {
  Correction,
  IndexChanges,
  SearchHit,
  SearchOptions,
  SearchResult,
  TermVector,
  WithChangesOptions,
} from "./search-index.ts";
export { CATEGORY_FEATURE, SearchIndex } from "./search-index.ts";
export { joinedCount, type SegmentImage } from "./segment-image.ts";
export { normalizeText, stem, termOf, tokenize } from "./tokenize.ts";
export { WorkerDeltaBuilder } from "./worker-delta-builder.ts";
