export {
  type FeedEntry,
  FeedError,
  type FeedFormat,
  type FeedResult,
  readArxivFeed,
} from "../read-arxiv-feed.ts";
export {
  CorpusSources,
  type CorpusSourcesOptions,
  type RefreshReport,
  type SourceRead,
} from "./corpus-sources.ts";
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  type FetchOutcome,
  type FetchSourceOptions,
  fetchSource,
  SourceFetchError,
  type Validators,
} from "./fetch-source.ts";
export { MAX_PAPERS_PER_SOURCE } from "./merge-source-papers.ts";
export { SourceBodyError, type SourceFormat } from "./read-source-body.ts";
export { describeSourceStatus, type SourceStatus } from "./source-status.ts";
export { isSourceUrl } from "./source-url.ts";
export { userAgent } from "./user-agent.ts";
