export type { BuiltPaper, RawPaper } from "./build-paper.ts";
export { buildPaper } from "./build-paper.ts";
export { ABSTRACT_MAX_CHARS, normaliseTitle, TITLE_MAX_CHARS } from "./clean-text.ts";
export { CorpusError } from "./corpus-error.ts";
export { type DedupeResult, dedupePapers } from "./dedupe-papers.ts";
export { type CorpusFormat, detectFormat } from "./detect-format.ts";
export {
  type CorpusFile,
  type CorpusLoadResult,
  type LoadCorpusOptions,
  loadCorpus,
} from "./load-corpus.ts";
export { arxivIdOf, arxivIdOfUrl, stableId, titleId } from "./paper-id.ts";
export {
  type CorpusFileRead,
  MAX_CORPUS_FILE_BYTES,
  MAX_WHOLE_FILE_BYTES,
  readCorpusFile,
} from "./read-corpus-file.ts";
export { CORPUS_EXTENSIONS, resolveSpec, splitSpec } from "./resolve-spec.ts";
export { type CorpusWatcher, type WatchCorpusOptions, watchCorpus } from "./watch-corpus.ts";
