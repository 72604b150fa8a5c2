import type { Worker } from "node:worker_threads";
import { IdleTimeout } from "./idle-timeout.ts";
import { startTsWorker, WORKER_IDLE_MS } from "./ts-worker.ts";

/** Every message from a worker names the request it belongs to. */
export interface WorkerMessage {
  readonly id: number;
}

/** One request in the thread: its id, and what its sender and receiver can do with it. */
export interface RequestControl<T, Request> {
  readonly id: number;
  resolve(value: T): void;
  reject(error: Error): void;
  /** Posts to the worker running this request; dropped if that worker is gone. */
  post(message: Request): void;
}

export interface WorkerThreadOptions {
  /** The worker's entry module. */
  readonly module: URL;
  /** How long the thread lives without a request (WORKER_IDLE_MS by default). */
  readonly idleMs?: number;
  /** The error for requests the thread can no longer answer: "exited (code 1)", "failed: …". */
  readonly failure: (what: string) => Error;
  /** Called whenever a running thread ends (idle, closed, died): whatever it held is gone. */
  readonly onEnd?: () => void;
}

/**
 * One worker thread run on demand, as the source refresh and the delta index build use it: started by
 * the first message, kept alive by the process only while a request is in it, ended after a while
 * without requests (its memory is the bot's again between refreshes) or by close(). When it dies or a
 * message from it cannot be read, every request in it fails with `failure(...)` and the next message
 * starts a new thread.
 */
export class WorkerThread<Request, Message extends WorkerMessage> {
  readonly #options: WorkerThreadOptions;
  readonly #idle: IdleTimeout;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, (message: Message) => void>();
  readonly #failures = new Map<number, (error: Error) => void>();
  #lastId = 0;

  constructor(options: WorkerThreadOptions) {
    this.#options = options;
    this.#idle = new IdleTimeout(options.idleMs ?? WORKER_IDLE_MS, () => {
      if (this.#pending.size === 0) void this.close(options.failure("was idle"));
    });
  }

  /** Whether a thread is running now. */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** Requests in the thread now. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Starts the thread now, unless it runs, for requests that may come soon; unused, it ends when idle. */
  start(): void {
    this.#idle.busy();
    this.#started();
    if (this.#pending.size === 0) this.#idle.idle();
  }

  /** Posts a message that answers no request (it may start the thread). */
  post(message: Request): void {
    this.#idle.busy();
    this.#started().postMessage(message);
    if (this.#pending.size === 0) this.#idle.idle();
  }

  /**
   * Posts the request `make` makes and resolves with what `receive` settles it with, given each message
   * the thread sends for it.
   */
  request<T>(
    make: (control: RequestControl<T, Request>) => Request,
    receive: (message: Message, control: RequestControl<T, Request>) => void,
  ): Promise<T> {
    this.#idle.busy();
    const worker = this.#started();
    const id = ++this.#lastId;
    return new Promise<T>((resolve, reject) => {
      const settled = () => {
        this.#pending.delete(id);
        this.#failures.delete(id);
        if (this.#pending.size > 0) return;
        worker.unref();
        this.#idle.idle();
      };
      const control: RequestControl<T, Request> = {
        id,
        resolve: (value) => {
          settled();
          resolve(value);
        },
        reject: (error) => {
          settled();
          reject(error);
        },
        post: (message) => {
          if (this.#worker === worker) worker.postMessage(message);
        },
      };
      this.#pending.set(id, (message) => receive(message, control));
      this.#failures.set(id, control.reject);
      // A request under way keeps the process alive; an idle thread does not.
      worker.ref();
      worker.postMessage(make(control));
    });
  }

  /** Ends the thread, failing the requests in it with `reason`; the next message starts a new one. */
  async close(reason: Error = this.#options.failure("was closed")): Promise<void> {
    this.#idle.busy();
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#ended(worker, reason);
    await worker.terminate();
  }

  #started(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const { failure } = this.#options;
    const worker = startTsWorker(this.#options.module);
    worker.unref();
    worker.on("message", (message: Message) => this.#pending.get(message.id)?.(message));
    worker.on("error", (error) => this.#ended(worker, failure(`failed: ${error.message}`)));
    worker.on("messageerror", (error) => {
      // A message that could not be read leaves its request waiting forever: start afresh.
      this.#ended(worker, failure(`message unreadable: ${error.message}`));
      void worker.terminate();
    });
    worker.on("exit", (code) => this.#ended(worker, failure(`exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  /** Forgets the thread (if it is still the current one) and fails what was in it. */
  #ended(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    for (const fail of [...this.#failures.values()]) fail(error);
    this.#options.onEnd?.();
  }
}
