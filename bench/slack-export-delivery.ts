/**
 * What decided how `/papers export` reaches a person on Slack (docs/decisions/019-slack-files-by-dm.md):
 * how large a BibTeX export is (arXiv-like papers with authors and categories, made from the seed
 * corpus as bench/citation-export.ts makes them) against what one Slack answer can
 * show (3,000 characters a section, 40,000 a message), how long files.uploadV2 to a DM takes
 * through the fake Slack on loopback, and how long a person waits for the answer to an upload
 * whose URL keeps refusing, with the delivery client's retries and with the answer client's.
 *
 *   LOG_LEVEL=silent node --import tsx bench/slack-export-delivery.ts
 */
import { webApi } from "@slack/bolt";
import { citationRecord, exportCitations } from "../src/citations/index.ts";
import type { Paper } from "../src/core/paper.ts";
import { loadCorpus } from "../src/corpus/index.ts";
import { escapeText } from "../src/platforms/slack/escape.ts";
import { ANSWER_RETRIES, DELIVERY_RETRIES } from "../src/platforms/slack/slack-retries.ts";
import { FakeSlack } from "../test/fakes/slack/fake-slack.ts";
import { generatePapers, trainChain } from "./generate-corpus.ts";

const UPLOADS = 50;
const FAILING_RUNS = 3;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const { papers: seed } = await loadCorpus("data/papers.txt");
const papers = [...generatePapers(200, trainChain(seed), 7)].map(
  (paper, i): Paper => ({ ...paper, id: `2411.${String(10000 + i)}`, categories: ["cs.CL", "cs.LG"] }),
);
console.log(
  "| saved papers | BibTeX bytes | escaped characters | fits a section (3,000) | fits a message (40,000) |",
);
console.log("| --- | --- | --- | --- | --- |");
for (const count of [1, 5, 10, 25, 50, 200]) {
  const file = exportCitations(
    "bibtex",
    papers.slice(0, count).map((paper) => citationRecord(paper)),
    "saved-papers",
  );
  const shown = escapeText(file.text).length;
  console.log(
    `| ${count} | ${Buffer.byteLength(file.text)} | ${shown} | ${shown <= 3000 ? "yes" : "no"} | ${shown <= 40_000 ? "yes" : "no"} |`,
  );
}

const fake = await FakeSlack.start();
fake.workspace.addUser({ id: "U0BENCH01", name: "bench" });
fake.workspace.dms.set("U0BENCH01", "D0BENCH01");
const tenPapers = exportCitations(
  "bibtex",
  papers.slice(0, 10).map((paper) => citationRecord(paper)),
  "saved-papers",
);
const upload = (client: webApi.WebClient) =>
  client.files.uploadV2({
    channel_id: "D0BENCH01",
    filename: tenPapers.filename,
    content: tenPapers.text,
    initial_comment: "Your 10 saved papers as BibTeX",
  });

try {
  const client = new webApi.WebClient("xoxb-bench", {
    slackApiUrl: fake.apiUrl,
    retryConfig: ANSWER_RETRIES,
  });
  await upload(client);
  const times: number[] = [];
  for (let i = 0; i < UPLOADS; i++) {
    const started = performance.now();
    await upload(client);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `\nfiles.uploadV2 of 10 papers' BibTeX to a DM (3 calls and the upload), ${UPLOADS} runs: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`,
  );

  console.log("\n| retries | answer to an upload whose URL refuses, each run |");
  console.log("| --- | --- |");
  for (const [name, retryConfig] of [
    ["delivery client (5 retries, 0.5–30 s)", DELIVERY_RETRIES],
    ["answer client (2 retries, 0.25–1 s)", ANSWER_RETRIES],
  ] as const) {
    const failing = new webApi.WebClient("xoxb-bench", { slackApiUrl: fake.apiUrl, retryConfig });
    const runs: string[] = [];
    for (let i = 0; i < FAILING_RUNS; i++) {
      // Every try refused: the first and each retry.
      fake.refuseUploads(retryConfig.retries + 1);
      const started = performance.now();
      await upload(failing).then(
        () => {
          throw new Error("the refused upload succeeded");
        },
        () => undefined,
      );
      runs.push(`${((performance.now() - started) / 1000).toFixed(2)} s`);
    }
    console.log(`| ${name} | ${runs.join(", ")} |`);
  }
} finally {
  await fake.close();
}
