import type { Paper } from "../../core/paper.ts";
import type { ErrorData } from "./error-data.ts";
import type { RefreshRequest, RefreshResult } from "./refresh-source.ts";

/**
 * What the main thread and the source worker say to each other. A fetched body's papers come back
 * in chunks, each only after the main thread asked for it ("next"): a message is deserialised on the
 * main thread, and Node hands it every message already queued in one go, so chunks sent all at once
 * would be one long pause for the searches instead of several short ones.
 */
export type ToWorker =
  | { readonly type: "refresh"; readonly id: number; readonly request: RefreshRequest }
  /** Aborts the request's fetch (app shutdown); a request past its fetch runs to its end. */
  | { readonly type: "cancel"; readonly id: number }
  | { readonly type: "next"; readonly id: number };

export type FromWorker =
  /** The body differs from the last one (see refreshSource's onNewBody); it is being read. */
  | { readonly type: "new-body"; readonly id: number }
  | { readonly type: "papers"; readonly id: number; readonly papers: Paper[] }
  /** The result; a "fetched" one without its papers, which came in chunks before it. */
  | { readonly type: "done"; readonly id: number; readonly result: RefreshResult }
  | { readonly type: "error"; readonly id: number; readonly error: ErrorData };

/** Papers per chunk: about 150 KB of a daily list, well under a millisecond to deserialise. */
export const PAPERS_PER_MESSAGE = 100;
