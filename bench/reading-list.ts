/**
 * What "saved by N people" costs. 10,000 saved papers across 500 people (20 each, papers drawn
 * Zipf-wise from 1,000, so a few are saved by many), and a channel reading list of those 1,000
 * papers, on SQLite (the default store). Measured through the router, as a person waits for them:
 * `/papers saved`, `/papers save` + `unsave` (which keep each paper's savers), and a page of
 * `/digest list`. Beside them, the other way to count: reading every person's saved papers for
 * each page. Bar: `/papers saved` p95 ≤ 20 ms.
 *
 *   LOG_LEVEL=silent node --import tsx bench/reading-list.ts
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { loadCorpus } from "../src/corpus/index.ts";
import { consoleChannels, consoleInvoker } from "../src/platforms/console/console-channel.ts";
import type { Invoker } from "../src/platforms/contract.ts";
import { generatePapers, trainChain } from "./generate-corpus.ts";
import { createRandom, createZipf } from "./random.ts";

const PAPERS = 1000;
const PEOPLE = 500;
const SAVED_EACH = 20;
const RUNS = 200;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timeRuns(work: (run: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await work(-1 - i);
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await work(i);
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b);
}

const { papers: seed } = await loadCorpus("data/papers.txt");
const papers = [...generatePapers(PAPERS, trainChain(seed), 11)].map((paper, i) => ({
  id: `2412.${String(10000 + i)}`,
  title: paper.title,
  abstract: paper.abstract,
  authors: paper.authors,
}));
const dir = await mkdtemp(join(tmpdir(), "paper-picks-reading-list-"));
await writeFile(join(dir, "papers.jsonl"), papers.map((paper) => JSON.stringify(paper)).join("\n"));
const app = await createApp(
  loadConfig({
    STORE_URL: `sqlite://${join(dir, "bench.sqlite")}`,
    CORPUS: join(dir, "papers.jsonl"),
    CORPUS_WATCH: "false",
  }),
);
const person = (i: number): Invoker => ({
  ...consoleInvoker,
  userId: `p${i}`,
  userName: `p${i}`,
  isAdmin: false,
});
const run = (line: string, invoker: Invoker) =>
  app.router.runLine(line, { invoker, channels: consoleChannels, services: app.services });

const random = createRandom(5);
const zipf = createZipf(PAPERS, 1, random);
const { store } = app.services;
for (let i = 0; i < PEOPLE; i++) {
  const chosen = new Set<string>();
  while (chosen.size < SAVED_EACH) chosen.add(papers[zipf()]?.id ?? "");
  await Promise.all([...chosen].map((id) => store.saved.save(`console:user:p${i}`, id)));
}
for (const paper of papers)
  await store.readingLists.add("console", paper.id, { userId: "p0", userName: "p0" });

const rows: { what: string; ms: number[] }[] = [];
rows.push({
  what: "`/papers saved` (20 saved)",
  ms: await timeRuns((i) => run("/papers saved", person(Math.abs(i) % PEOPLE))),
});
rows.push({
  what: "`/papers save` then `unsave` of a paper 100+ people keep",
  ms: await timeRuns(async (i) => {
    const who = person(Math.abs(i) % PEOPLE);
    const id = papers[0]?.id ?? "";
    await run(`/papers unsave ${id}`, who);
    await run(`/papers save ${id}`, who);
  }),
});
rows.push({
  what: "`/digest list page:N` of 1,000, counts kept per paper",
  ms: await timeRuns((i) => run(`/digest list page:${(Math.abs(i) % 100) + 1}`, person(1))),
});
rows.push({
  what: "peer: counting one page by reading every person's saved papers",
  ms: await timeRuns(async (i) => {
    const page = papers
      .slice((Math.abs(i) % 100) * 10, (Math.abs(i) % 100) * 10 + 10)
      .map((paper) => paper.id);
    const everyone = await store.saved.list();
    return page.map(
      (id) => everyone.filter((saved) => saved.papers.some((entry) => entry.paperId === id)).length,
    );
  }),
});
const counts = await store.savers.counts(papers.slice(0, 3).map((paper) => paper.id));
await app.stop();
await rm(dir, { recursive: true, force: true });

console.log(
  `\n"Saved by N people": ${PEOPLE * SAVED_EACH} saved papers across ${PEOPLE} people, a list of ${PAPERS} (${RUNS} runs each; the top 3 papers are kept by ${counts.join(", ")})\n`,
);
console.log("| what | p50 | p95 | max |");
console.log("| --- | ---: | ---: | ---: |");
for (const { what, ms } of rows) {
  const f = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`| ${what} | ${f(percentile(ms, 50))} | ${f(percentile(ms, 95))} | ${f(ms.at(-1) ?? 0)} |`);
}
