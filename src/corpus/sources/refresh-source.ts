import type { Paper } from "../../core/paper.ts";
import { runStepsInSlices, WORKER_SLICE_MS } from "../../runtime/steps.ts";
import { NamePool } from "../build-paper.ts";
import { type ErrorData, errorData } from "./error-data.ts";
import { type FetchSourceOptions, fetchSource, SourceFetchError, type Validators } from "./fetch-source.ts";
import { readSourceBodySteps, SourceBodyError, type SourceFormat } from "./read-source-body.ts";
import { type CachedMeta, type CachePaths, hashBody, writeCachedMeta } from "./source-cache.ts";
import { writeMergedCache } from "./write-merged-cache.ts";

/** Everything one refresh of a source needs, as plain data: it crosses to the source worker. */
export interface RefreshRequest {
  readonly url: string;
  readonly fetch: FetchSettings;
  /** Sent only while the source holds papers: a 304 must leave it something to keep. */
  readonly validators?: Validators;
  /** The last good body's hash, while the source holds papers: the same bytes again are unchanged. */
  readonly previousBodyHash?: string;
  readonly paths: CachePaths;
  /**
   * What becomes of the cache file: "merge" keeps its old lines in order, the latest version of each
   * paper the body lists again in its place, and appends the body's new papers (write-merged-cache.ts),
   * "replace" writes the latest papers alone (the source held none), "none" leaves the cache to the
   * caller.
   */
  readonly cache: "merge" | "replace" | "none";
  readonly maxPapers: number;
  /** The format written in the meta when the body is the same as before. */
  readonly format: SourceFormat;
  readonly fetchedAt: string;
}

export type FetchSettings = Omit<FetchSourceOptions, "validators" | "signal">;

export type RefreshResult =
  | { readonly status: "not-modified" }
  | { readonly status: "failed"; readonly message: string }
  | {
      readonly status: "same-body";
      readonly validators: Validators;
      readonly bodyHash: string;
      readonly cacheError?: ErrorData;
    }
  | {
      readonly status: "fetched";
      readonly validators: Validators;
      readonly bodyHash: string;
      readonly format: SourceFormat;
      /** The latest body's papers, in its order. */
      readonly papers: Paper[];
      readonly skipped: number;
      /** The first few warnings' messages. */
      readonly warnings: string[];
      readonly cacheError?: ErrorData;
    };

const WARNINGS_KEPT = 5;

/**
 * One refresh of a source up to its cache write: fetch (conditional), hash, read the body, write the
 * cache. It runs in the source worker (source-worker.ts): the main thread answers commands, and
 * reading a body, decoding, parsing and writing it held that thread 6-30 ms at a time (bench/merge.ts).
 * The body is read in slices all the same, which wait while a command is being answered, so the
 * worker leaves the cores to it (see WORKER_SLICE_MS).
 * A fetch or body error is a result (the source failed); a cache write error is reported beside the
 * papers, as it costs only a restart without network; any other error rejects. `onNewBody` is called
 * as soon as the body is known to differ from the last one, before it is read: papers may follow.
 */
export async function refreshSource(
  request: RefreshRequest,
  signal?: AbortSignal,
  onNewBody?: () => void,
): Promise<RefreshResult> {
  const { url } = request;
  try {
    const outcome = await fetchSource(url, {
      ...request.fetch,
      ...(request.validators === undefined ? {} : { validators: request.validators }),
      ...(signal === undefined ? {} : { signal }),
    });
    if (outcome.status === "not-modified") return { status: "not-modified" };
    const bodyHash = hashBody(outcome.body);
    const { validators } = outcome;
    const meta = { url, validators, bodyHash, fetchedAt: request.fetchedAt };
    if (bodyHash === request.previousBodyHash) {
      const cacheError =
        request.cache === "none"
          ? undefined
          : await failureOf(writeCachedMeta(request.paths, { ...meta, format: request.format }));
      return {
        status: "same-body",
        validators,
        bodyHash,
        ...(cacheError === undefined ? {} : { cacheError }),
      };
    }
    onNewBody?.();
    const read = await runStepsInSlices(
      readSourceBodySteps(outcome.body, url, new NamePool()),
      WORKER_SLICE_MS,
    );
    const cacheError =
      request.cache === "none"
        ? undefined
        : await failureOf(
            writeMergedCache(
              request.paths,
              { ...meta, format: read.format } satisfies CachedMeta,
              read.papers,
              request.cache === "merge",
              request.maxPapers,
            ),
          );
    return {
      status: "fetched",
      validators,
      bodyHash,
      format: read.format,
      papers: read.papers,
      skipped: read.skipped,
      warnings: read.warnings.slice(0, WARNINGS_KEPT).map((warning) => warning.message),
      ...(cacheError === undefined ? {} : { cacheError }),
    };
  } catch (error) {
    if (error instanceof SourceFetchError || error instanceof SourceBodyError)
      return { status: "failed", message: error.message };
    throw error;
  }
}

async function failureOf(work: Promise<void>): Promise<ErrorData | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return errorData(error);
  }
}
