import { setTimeout as pause } from "node:timers/promises";
import type { Worker } from "node:worker_threads";
import { IdleTimeout } from "../idle-timeout.ts";
import { log } from "../log.ts";
import { type Paper, sameIndexedText } from "../paper.ts";
import { runStepsInSlices, SLICE_MS } from "../steps.ts";
import { startTsWorker, WORKER_IDLE_MS } from "../ts-worker.ts";
import { type DeltaBuilder, inThreadDeltaBuilder } from "./delta-builder.ts";
import {
  type DeltaWorkerReply,
  type DeltaWorkerRequest,
  ID_SEPARATOR,
  type IndexedText,
} from "./delta-worker-protocol.ts";
import type { LengthBaseline } from "./postings.ts";
import { Segment } from "./segment.ts";
import type { SegmentImage } from "./segment-image.ts";

/** Papers' texts per message: each postMessage copies its batch on this thread, so batches stay small. */
const TEXTS_PER_MESSAGE = 100;

const builderLog = log.child({ module: "search" });

/**
 * Builds delta segments in a worker thread (delta-worker.ts). Building one on the main thread, even in
 * slices, made searches during a merge wait: the build's allocations made the main thread's garbage
 * collector pause for 3-10 ms at a time (bench/merge.ts). Here the main thread only sends the texts of the
 * papers new to the delta and turns the returned image into a segment (segment-image.ts), in slices.
 *
 * The worker starts at a build and ends after WORKER_IDLE_MS without one, or at `close()`. Should it
 * fail (it cannot start, it dies, a build throws), that build is made on this thread instead and the next
 * one starts a new worker: a merge never fails for want of the worker.
 */
export class WorkerDeltaBuilder implements DeltaBuilder {
  #worker: Worker | undefined;
  /** The Paper whose text the worker holds, by id: a paper is sent again only when its text changed. */
  readonly #sent = new Map<string, Paper>();
  readonly #pending = new Map<
    number,
    { resolve: (image: SegmentImage) => void; reject: (error: Error) => void }
  >();
  #nextRequest = 1;
  #fallbacks = 0;
  readonly #module: URL;
  /** Builds run one at a time: each relies on the texts the previous one left in the worker. */
  #queue: Promise<unknown> = Promise.resolve();

  /** Ends the worker once it has been idle a while: between refreshes its memory is the bot's again. */
  readonly #idle: IdleTimeout;

  /**
   * `module`: the worker's entry, delta-worker.ts unless a test says otherwise; `idleMs`: how long an
   * idle worker lives (WORKER_IDLE_MS).
   */
  constructor(options: { readonly module?: URL; readonly idleMs?: number } = {}) {
    this.#module = options.module ?? new URL("./delta-worker.ts", import.meta.url);
    this.#idle = new IdleTimeout(options.idleMs ?? WORKER_IDLE_MS, () => {
      void this.#stop(new Error("the delta worker was idle"));
    });
  }

  /** Whether a worker thread is running now (it starts at a build and ends when idle or closed). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** Builds made on this thread because the worker failed (each is logged too). */
  get fallbacks(): number {
    return this.#fallbacks;
  }

  build(papers: readonly Paper[], baseline: LengthBaseline): Promise<Segment> {
    const run = this.#queue.then(() => this.#build(papers, baseline));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#queue;
    this.#idle.busy();
    await this.#stop(new Error("the delta builder was closed"));
  }

  async #build(papers: readonly Paper[], baseline: LengthBaseline): Promise<Segment> {
    let image: SegmentImage;
    this.#idle.busy();
    try {
      image = await this.#buildImage(papers, baseline);
      this.#idle.idle();
    } catch (error) {
      builderLog.warn(
        { err: error, papers: papers.length },
        "delta segment not built in a worker; building it here",
      );
      this.#fallbacks++;
      await this.#stop(error instanceof Error ? error : new Error(String(error)));
      return inThreadDeltaBuilder.build(papers, baseline);
    }
    return runStepsInSlices(Segment.fromImageSteps(image, papers));
  }

  async #buildImage(papers: readonly Paper[], baseline: LengthBaseline): Promise<SegmentImage> {
    const worker = this.#started();
    let batch: IndexedText[] = [];
    let sliceEnd = performance.now() + SLICE_MS;
    const ids: string[] = [];
    for (const paper of papers) {
      ids.push(paper.id);
      const sent = this.#sent.get(paper.id);
      this.#sent.set(paper.id, paper);
      if (sent === paper || (sent !== undefined && sameIndexedText(sent, paper))) continue;
      batch.push({ id: paper.id, title: paper.title, abstract: paper.abstract, authors: paper.authors });
      if (batch.length === TEXTS_PER_MESSAGE) {
        this.#post(worker, { kind: "texts", texts: batch });
        batch = [];
      }
      if (performance.now() >= sliceEnd) {
        await pause(0);
        sliceEnd = performance.now() + SLICE_MS;
      }
    }
    if (batch.length > 0) this.#post(worker, { kind: "texts", texts: batch });
    // The worker keeps only this delta's texts (delta-worker.ts); so does this mirror of them.
    const kept = new Set(ids);
    for (const id of this.#sent.keys()) if (!kept.has(id)) this.#sent.delete(id);
    const id = this.#nextRequest++;
    const image = new Promise<SegmentImage>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    worker.ref(); // a build under way keeps the process alive; an idle worker does not
    this.#post(worker, { kind: "build", id, order: ids.join(ID_SEPARATOR), baseline });
    try {
      return await image;
    } finally {
      if (this.#pending.size === 0) this.#worker?.unref();
    }
  }

  #post(worker: Worker, request: DeltaWorkerRequest): void {
    worker.postMessage(request);
  }

  #started(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = startTsWorker(this.#module);
    worker.unref();
    worker.on("message", (reply: DeltaWorkerReply) => {
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      this.#pending.delete(reply.id);
      if ("error" in reply) pending.reject(new Error(reply.error));
      else pending.resolve(reply.image);
    });
    const failed = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#forget(error);
    };
    worker.on("error", failed);
    worker.on("exit", (code) => failed(new Error(`the delta worker exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  /** Ends the worker, if any; whatever it held is forgotten, so the next build sends every text again. */
  async #stop(reason: Error): Promise<void> {
    const worker = this.#worker;
    this.#forget(reason);
    await worker?.terminate();
  }

  #forget(reason: Error): void {
    this.#worker = undefined;
    this.#sent.clear();
    for (const pending of this.#pending.values()) pending.reject(reason);
    this.#pending.clear();
  }
}
