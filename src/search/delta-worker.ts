/**
 * Worker thread entry (see worker-delta-builder.ts): builds delta segments off the main thread, which
 * answers commands meanwhile. Holds the texts of the last build's papers between builds, so a rebuild of
 * the deltas into one (see SearchIndex.withDeltasRebuilt) does not send those again.
 */
import { parentPort } from "node:worker_threads";
import type { Paper } from "../core/paper.ts";
import { runStepsInSlices, WORKER_SLICE_MS } from "../runtime/steps.ts";
import {
  type DeltaWorkerReply,
  type DeltaWorkerRequest,
  ID_SEPARATOR,
  type IndexedText,
} from "./delta-worker-protocol.ts";
import { Segment } from "./segment.ts";
import { transferListOf } from "./segment-image.ts";

const port = parentPort;
if (port === null) throw new Error("delta-worker.ts runs as a worker thread");

const texts = new Map<string, IndexedText>();

/** Requests are handled one at a time, in order: a build pauses between slices (see WORKER_SLICE_MS). */
let handled: Promise<void> = Promise.resolve();

port.on("message", (request: DeltaWorkerRequest) => {
  handled = handled.then(() => handle(request));
});

async function handle(request: DeltaWorkerRequest): Promise<void> {
  if (request.kind === "texts") {
    for (const text of request.texts) texts.set(text.id, text);
    return;
  }
  let reply: DeltaWorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const ids = request.order === "" ? [] : request.order.split(ID_SEPARATOR);
    const papers = ids.map((id, position): Paper => {
      const text = texts.get(id);
      if (text === undefined) throw new Error(`no text for paper ${id}`);
      return { ...text, rank: position + 1, source: "" };
    });
    const segment = await runStepsInSlices(Segment.buildSteps(papers, request.baseline), WORKER_SLICE_MS);
    const image = segment.image();
    // The next delta starts from this one's papers: the others' texts are not needed again.
    const kept = new Set(ids);
    for (const id of texts.keys()) if (!kept.has(id)) texts.delete(id);
    reply = { id: request.id, image };
    transfer = transferListOf(image);
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port?.postMessage(reply, transfer);
}
