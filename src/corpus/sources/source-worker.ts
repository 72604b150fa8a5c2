import { parentPort } from "node:worker_threads";
import { errorData } from "./error-data.ts";
import { refreshSource } from "./refresh-source.ts";
import { type FromWorker, PAPERS_PER_MESSAGE, type ToWorker } from "./source-worker-messages.ts";

/**
 * The source worker's entry (started by source-worker-client.ts): runs refreshSource for the main
 * thread, several requests at a time, off the thread that answers commands. It logs nothing itself:
 * what is worth a log line comes back in the result and the main thread logs it.
 */
const port = parentPort;
if (port === null) throw new Error("source-worker.ts runs in a worker thread");

const running = new Map<number, AbortController>();
/** Requests waiting for the main thread to ask for their next chunk of papers. */
const waiting = new Map<number, () => void>();

port.on("message", (message: ToWorker) => {
  if (message.type === "refresh") void serve(message.id, message);
  else if (message.type === "cancel") running.get(message.id)?.abort();
  else waiting.get(message.id)?.();
});

function send(message: FromWorker): void {
  port?.postMessage(message);
}

async function serve(id: number, { request }: Extract<ToWorker, { type: "refresh" }>): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const result = await refreshSource(request, controller.signal, () => send({ type: "new-body", id }));
    if (result.status !== "fetched") return send({ type: "done", id, result });
    const { papers } = result;
    for (let start = 0; start < papers.length; start += PAPERS_PER_MESSAGE) {
      const asked = new Promise<void>((resolve) => waiting.set(id, resolve));
      send({ type: "papers", id, papers: papers.slice(start, start + PAPERS_PER_MESSAGE) });
      await asked;
    }
    send({ type: "done", id, result: { ...result, papers: [] } });
  } catch (error) {
    send({ type: "error", id, error: errorData(error) });
  } finally {
    running.delete(id);
    waiting.delete(id);
  }
}
