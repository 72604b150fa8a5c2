import { type Paper, sameIndexedText } from "../core/paper.ts";
import { log } from "../log.ts";
import { pauseBetweenSlices, runStepsInSlices, SLICE_MS } from "../runtime/steps.ts";
import { WorkerThread } from "../runtime/worker-thread.ts";
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
 * papers the worker does not hold and turns the returned image into a segment (segment-image.ts), in
 * slices.
 *
 * The worker starts at a build and ends after WORKER_IDLE_MS without one, or at `close()`. Should it
 * fail (it cannot start, it dies, a build throws), that build is made on this thread instead and the next
 * one starts a new worker: a merge never fails for want of the worker.
 */
export class WorkerDeltaBuilder implements DeltaBuilder {
  readonly #thread: WorkerThread<DeltaWorkerRequest, DeltaWorkerReply>;
  /** The Paper whose text the worker holds, by id: a paper is sent again only when its text changed. */
  readonly #sent = new Map<string, Paper>();
  #fallbacks = 0;
  /** Builds run one at a time: each relies on the texts the previous one left in the worker. */
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * `module`: the worker's entry, delta-worker.ts unless a test says otherwise; `idleMs`: how long an
   * idle worker lives (WORKER_IDLE_MS).
   */
  constructor(options: { readonly module?: URL; readonly idleMs?: number } = {}) {
    this.#thread = new WorkerThread({
      module: options.module ?? new URL("./delta-worker.ts", import.meta.url),
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
      failure: (what) => new Error(`the delta worker ${what}`),
      // Whatever the worker held is gone with it: the next build sends every text again.
      onEnd: () => this.#sent.clear(),
    });
  }

  /** Whether a worker thread is running now (it starts at a build and ends when idle or closed). */
  get running(): boolean {
    return this.#thread.running;
  }

  /** Builds made on this thread because the worker failed (each is logged too). */
  get fallbacks(): number {
    return this.#fallbacks;
  }

  /**
   * Starts the worker thread now, if it is not running, for a build that may come soon: a start takes
   * ~0.3-0.6 s (loading its modules), which then overlaps the work before the build instead of
   * delaying it. Unused, the thread ends after WORKER_IDLE_MS like any idle one.
   */
  prestart(): void {
    this.#thread.start();
  }

  build(papers: readonly Paper[], baseline: LengthBaseline): Promise<Segment> {
    const run = this.#queue.then(() => this.#build(papers, baseline));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#queue;
    await this.#thread.close();
  }

  async #build(papers: readonly Paper[], baseline: LengthBaseline): Promise<Segment> {
    let image: SegmentImage;
    try {
      image = await this.#buildImage(papers, baseline);
    } catch (error) {
      builderLog.warn(
        { err: error, papers: papers.length },
        "delta segment not built in a worker; building it here",
      );
      this.#fallbacks++;
      await this.#thread.close(error instanceof Error ? error : new Error(String(error)));
      return inThreadDeltaBuilder.build(papers, baseline);
    }
    return runStepsInSlices(Segment.fromImageSteps(image, papers));
  }

  async #buildImage(papers: readonly Paper[], baseline: LengthBaseline): Promise<SegmentImage> {
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
        this.#thread.post({ kind: "texts", texts: batch });
        batch = [];
      }
      if (performance.now() >= sliceEnd) {
        await pauseBetweenSlices();
        sliceEnd = performance.now() + SLICE_MS;
      }
    }
    if (batch.length > 0) this.#thread.post({ kind: "texts", texts: batch });
    // The worker keeps only this delta's texts (delta-worker.ts); so does this mirror of them.
    const kept = new Set(ids);
    for (const id of this.#sent.keys()) if (!kept.has(id)) this.#sent.delete(id);
    return this.#thread.request<SegmentImage>(
      (control) => ({ kind: "build", id: control.id, order: ids.join(ID_SEPARATOR), baseline }),
      (reply, control) => {
        if ("error" in reply) control.reject(new Error(reply.error));
        else control.resolve(reply.image);
      },
    );
  }
}
