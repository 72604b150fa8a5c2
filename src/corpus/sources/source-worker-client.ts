import type { Paper } from "../../core/paper.ts";
import { WorkerThread } from "../../runtime/worker-thread.ts";
import { errorFrom } from "./error-data.ts";
import type { RefreshRequest, RefreshResult } from "./refresh-source.ts";
import type { FromWorker, ToWorker } from "./source-worker-messages.ts";

/** The source worker went away (closed, or it died) while a refresh was in it: that refresh failed. */
export class SourceWorkerError extends Error {
  override readonly name = "SourceWorkerError";
}

/**
 * The main thread's side of the source worker: fetching, reading and caching a source's body held the
 * thread that answers commands 6-30 ms at a time (bench/merge.ts), so they run in a worker thread and
 * only the parsed papers come back. The thread starts at a refresh and ends after WORKER_IDLE_MS
 * without one, holding the process open only while a refresh is in it; one that dies fails its
 * refreshes and the next starts another. One thread per process serves every CorpusSources: each
 * costs tens of MB and ~0.6 s to start.
 */
export class SourceWorker {
  readonly #thread: WorkerThread<ToWorker, FromWorker>;

  /**
   * `module`: the worker's entry, source-worker.ts unless a test says otherwise; `idleMs`: how long an
   * idle thread lives (WORKER_IDLE_MS).
   */
  constructor(options: { readonly module?: URL; readonly idleMs?: number } = {}) {
    this.#thread = new WorkerThread({
      module: options.module ?? new URL("./source-worker.ts", import.meta.url),
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
      failure: (what) => new SourceWorkerError(`source worker ${what}`),
    });
  }

  /** Whether the thread is running now (it starts at a refresh and ends when idle or closed). */
  get running(): boolean {
    return this.#thread.running;
  }

  /**
   * Runs one refresh in the worker; `signal` aborts its fetch; `onNewBody` is called once the fetched
   * body is known to differ from the last (see refreshSource). Rejects with SourceWorkerError if the
   * worker goes.
   */
  async refresh(
    request: RefreshRequest,
    signal?: AbortSignal,
    onNewBody?: () => void,
  ): Promise<RefreshResult> {
    const papers: Paper[] = [];
    let cancel = () => {};
    try {
      return await this.#thread.request<RefreshResult>(
        (control) => {
          cancel = () => control.post({ type: "cancel", id: control.id });
          if (signal?.aborted) queueMicrotask(cancel);
          else signal?.addEventListener("abort", cancel, { once: true });
          return { type: "refresh", id: control.id, request };
        },
        (message, control) => {
          if (message.type === "new-body") {
            onNewBody?.();
          } else if (message.type === "papers") {
            for (const paper of message.papers) papers.push(paper);
            control.post({ type: "next", id: control.id });
          } else if (message.type === "done") {
            const { result } = message;
            control.resolve(result.status === "fetched" ? { ...result, papers } : result);
          } else {
            control.reject(errorFrom(message.error));
          }
        },
      );
    } finally {
      signal?.removeEventListener("abort", cancel);
    }
  }

  /** Ends the thread, failing the refreshes in it; the next refresh starts a new one. */
  close(): Promise<void> {
    return this.#thread.close(new SourceWorkerError("cancelled"));
  }

  /** close(), unless a refresh is in the worker (another CorpusSources of the process is using it). */
  async closeIfIdle(): Promise<void> {
    if (this.#thread.pending === 0) await this.close();
  }
}

/** The process's source worker, shared by every CorpusSources. */
export const sourceWorker = new SourceWorker();
