/**
 * What `/papers export` costs for a person with 1,000 saved papers: reading their list from the
 * store (SQLite, as by default), turning the papers into citation records and writing the file, in
 * each format. For comparison, citation-js's own BibTeX output of the same records (which the bot
 * does not use: docs/decisions/014-citation-export.md). Bar: 200 ms.
 *
 *   LOG_LEVEL=silent node --import tsx bench/citation-export.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cite } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import {
  citationKeys,
  citationRecord,
  cslItem,
  EXPORT_FORMATS,
  type ExportFormat,
  exportCitations,
} from "../src/citations/index.ts";
import type { Paper } from "../src/core/paper.ts";
import { loadCorpus } from "../src/corpus/index.ts";
import { openStore } from "../src/store/index.ts";
import { generatePapers, trainChain } from "./generate-corpus.ts";

const SAVED = 1000;
const RUNS = 30;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timeRuns(work: () => Promise<unknown> | unknown): Promise<number[]> {
  await work(); // warm: the first run loads citation-js's plugins and JIT-compiles
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await work();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b);
}

const { papers: seed } = await loadCorpus("data/papers.txt");
const papers = [...generatePapers(SAVED, trainChain(seed), 7)].map(
  (paper, i): Paper => ({ ...paper, id: `2411.${String(10000 + i)}`, categories: ["cs.CL", "cs.LG"] }),
);
const byId = new Map(papers.map((paper) => [paper.id, paper]));
const dir = await mkdtemp(join(tmpdir(), "paper-picks-export-"));
const store = await openStore(`sqlite://${join(dir, "bench.sqlite")}`);
const user = "slack:user:U1";
for (const paper of papers) await store.saved.save(user, paper.id);

const rows: { what: string; ms: number[]; bytes: number }[] = [];
for (const format of EXPORT_FORMATS as readonly ExportFormat[]) {
  let bytes = 0;
  const ms = await timeRuns(async () => {
    const saved = await store.saved.newestFirst(user);
    const records = saved.flatMap((entry) => {
      const paper = byId.get(entry.paperId);
      return paper ? [citationRecord(paper)] : [];
    });
    bytes = Buffer.byteLength(exportCitations(format, records, "saved-papers").text);
  });
  rows.push({ what: `${format}, store read included`, ms, bytes });
}
const records = papers.map((paper) => citationRecord(paper));
const keys = citationKeys(records);
let peerBytes = 0;
const peer = await timeRuns(() => {
  peerBytes = Buffer.byteLength(
    new Cite(records.map((record, i) => cslItem(record, keys[i] ?? ""))).format("bibtex"),
  );
});
rows.push({ what: "peer: citation-js bibtex, records only", ms: peer, bytes: peerBytes });
await store.close();
await rm(dir, { recursive: true, force: true });

console.log(`\nExporting ${SAVED} saved papers (${RUNS} runs each, bar 200 ms)\n`);
console.log("| format | p50 | p95 | max | file size |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const { what, ms, bytes } of rows) {
  const f = (n: number) => `${n.toFixed(1)} ms`;
  console.log(
    `| ${what} | ${f(percentile(ms, 50))} | ${f(percentile(ms, 95))} | ${f(ms.at(-1) ?? 0)} | ${(bytes / 1024).toFixed(0)} KiB |`,
  );
}
