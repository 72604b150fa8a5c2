/**
 * The daily-papers source of bench/merge.ts, in a process of its own: a real source encodes and sends
 * its body on another machine, and a feed server in the bot's process would charge the bot for writing
 * 1.6 MB to a socket (7-12 ms of its thread per day). Run with the IPC channel of child_process.fork or
 * spawn: it generates every day's batch first, then says { ready: url }; { serve: day } makes the source
 * answer with that day's batch (day 0 is yesterday's, the one the bot starts with) and is acknowledged
 * with { served: day }.
 */
import { loadCorpus } from "../src/corpus/index.ts";
import { startFeedServer } from "../test/fakes/paper-feeds/feed-server.ts";
import { dailyBatch } from "./daily-batch.ts";

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error("bench/merge-feed.ts runs as a child with an IPC channel");
  const days = Number(process.argv[2] ?? 5);
  const { papers: seed } = await loadCorpus("data/papers.txt");
  const batches = Array.from({ length: days + 1 }, (_, day) => Buffer.from(dailyBatch(seed, day)));
  const server = await startFeedServer();
  const serve = (day: number) =>
    server.serve("/daily.jsonl", { body: batches[day] ?? Buffer.alloc(0), etag: `"day${day}"` });
  serve(0);
  process.on("message", (message: { serve?: number }) => {
    if (message.serve === undefined) return;
    serve(message.serve);
    send({ served: message.serve });
  });
  // The bench ending (or dying) ends this process too.
  process.on("disconnect", () => {
    void server.close().finally(() => process.exit(0));
  });
  send({ ready: server.url("/daily.jsonl") });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
