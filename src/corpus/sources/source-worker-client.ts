import type { Worker } from "node:worker_threads";
import { IdleTimeout } from "../../idle-timeout.ts";
import type { Paper } from "../../paper.ts";
import { startTsWorker, WORKER_IDLE_MS } from "../../ts-worker.ts";
import { errorFrom } from "./error-data.ts";
import type { RefreshRequest, RefreshResult } from "./refresh-source.ts";
import type { FromWorker, ToWorker } from "./source-worker-messages.ts";

/** The source worker went away (closed, or it died) while a refresh was in it: that refresh failed. */
export class SourceWorkerError extends Error {
  override readonly name = "SourceWorkerError";
}

interface Pending {
  readonly papers: Paper[];
  readonly resolve: (result: RefreshResult) => void;
  readonly reject: (error: Error) => void;
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
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  #lastId = 0;
  readonly #module: URL;

  /** Ends the thread once it has been idle a while: between hourly refreshes its memory is the bot's. */
  readonly #idle: IdleTimeout;

  /**
   * `module`: the worker's entry, source-worker.ts unless a test says otherwise; `idleMs`: how long an
   * idle thread lives (WORKER_IDLE_MS).
   */
  constructor(options: { readonly module?: URL; readonly idleMs?: number } = {}) {
    this.#module = options.module ?? new URL("./source-worker.ts", import.meta.url);
    this.#idle = new IdleTimeout(options.idleMs ?? WORKER_IDLE_MS, () => void this.closeIfIdle());
  }

  /** Whether the thread is running now (it starts at a refresh and ends when idle or closed). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** Runs one refresh in the worker; `signal` aborts its fetch. Rejects with SourceWorkerError if the worker goes. */
  refresh(request: RefreshRequest, signal?: AbortSignal): Promise<RefreshResult> {
    const worker = this.#started();
    this.#idle.busy();
    const id = ++this.#lastId;
    const cancel = () => this.#send(worker, { type: "cancel", id });
    return new Promise<RefreshResult>((resolve, reject) => {
      const settled = () => {
        signal?.removeEventListener("abort", cancel);
        this.#pending.delete(id);
        if (this.#pending.size > 0) return;
        worker.unref();
        this.#idle.idle();
      };
      this.#pending.set(id, {
        papers: [],
        resolve: (result) => {
          settled();
          resolve(result);
        },
        reject: (error) => {
          settled();
          reject(error);
        },
      });
      worker.ref();
      this.#send(worker, { type: "refresh", id, request });
      if (signal?.aborted) cancel();
      else signal?.addEventListener("abort", cancel, { once: true });
    });
  }

  /** Ends the thread, failing the refreshes in it; the next refresh starts a new one. */
  async close(): Promise<void> {
    this.#idle.busy();
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#stopped(worker, new SourceWorkerError("cancelled"));
    await worker.terminate();
  }

  /** close(), unless a refresh is in the worker (another CorpusSources of the process is using it). */
  async closeIfIdle(): Promise<void> {
    if (this.#pending.size === 0) await this.close();
  }

  #started(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = startTsWorker(this.#module);
    worker.unref();
    worker.on("message", (message: FromWorker) => this.#received(worker, message));
    worker.on("error", (error) =>
      this.#stopped(worker, new SourceWorkerError(`source worker failed: ${error.message}`)),
    );
    worker.on("messageerror", (error) => {
      // A message that could not be read leaves its request waiting forever: start afresh.
      this.#stopped(worker, new SourceWorkerError(`source worker message unreadable: ${error.message}`));
      void worker.terminate();
    });
    worker.on("exit", (code) =>
      this.#stopped(worker, new SourceWorkerError(`source worker exited (code ${code})`)),
    );
    this.#worker = worker;
    return worker;
  }

  #received(worker: Worker, message: FromWorker): void {
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    if (message.type === "papers") {
      for (const paper of message.papers) pending.papers.push(paper);
      this.#send(worker, { type: "next", id: message.id });
    } else if (message.type === "done") {
      const { result } = message;
      pending.resolve(result.status === "fetched" ? { ...result, papers: pending.papers } : result);
    } else {
      pending.reject(errorFrom(message.error));
    }
  }

  /** Forgets the worker (if it is still the current one) and fails what was in it. */
  #stopped(worker: Worker, error: SourceWorkerError): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    for (const pending of [...this.#pending.values()]) pending.reject(error);
  }

  #send(worker: Worker, message: ToWorker): void {
    // A cancel may come after its worker is gone; nothing is left to cancel then.
    if (this.#worker === worker) worker.postMessage(message);
  }
}

/** The process's source worker, shared by every CorpusSources. */
export const sourceWorker = new SourceWorker();
