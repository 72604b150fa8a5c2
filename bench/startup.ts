/**
 * `tsx bench/startup.ts <corpus spec>` (add `node --expose-gc --import tsx` for the RSS after a full
 * collection too): the bot's start-up on one corpus, measured the way the bot runs it
 * (loadCorpus, then buildCatalog), with nothing else in the process. Prints one JSON line. The RSS is
 * taken after a 3 s pause (STARTUP_SETTLE_MS); V8 need not collect the start-up garbage in that time,
 * so rssAfterGcMb is the lower bound an idle bot reaches once a full collection has run.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { buildCatalog } from "../src/catalog/index.ts";
import { loadCorpus } from "../src/corpus/index.ts";
import { log } from "../src/log.ts";

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

async function main(): Promise<void> {
  const spec = process.argv[2];
  if (spec === undefined) throw new Error("usage: tsx bench/startup.ts <corpus spec>");
  log.level = "silent";
  const startLoad = performance.now();
  const corpus = await loadCorpus(spec);
  const loadMs = performance.now() - startLoad;
  const startIndex = performance.now();
  const catalog = buildCatalog(corpus.papers);
  const indexMs = performance.now() - startIndex;
  await sleep(Number(process.env.STARTUP_SETTLE_MS ?? 3000));
  const memory = process.memoryUsage();
  // With --expose-gc: what is left once the index builder's garbage is collected, which an idle bot
  // may not do for a long while (a full collection, then time for array buffers to be freed).
  const gc = (globalThis as { gc?: () => void }).gc;
  let rssAfterGcMb: number | undefined;
  if (gc !== undefined) {
    gc();
    await sleep(500);
    gc();
    rssAfterGcMb = mb(process.memoryUsage().rss);
  }
  const result = {
    papers: catalog.papers.length,
    warnings: corpus.warnings.length,
    loadMs: Math.round(loadMs),
    indexMs: Math.round(indexMs),
    rssMb: mb(memory.rss),
    heapUsedMb: mb(memory.heapUsed),
    // Outside the V8 heap: the index's typed arrays (arrayBuffers is part of external).
    externalMb: mb(memory.external),
    arrayBuffersMb: mb(memory.arrayBuffers),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(rssAfterGcMb === undefined ? {} : { rssAfterGcMb }),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
