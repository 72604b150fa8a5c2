import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderText } from "../../src/platforms/console/render-text.ts";
import { readBibtex, readRis } from "../citations/parse-back.ts";
import { memberInvoker, startTestApp, type TestApp } from "../support/test-app.ts";

let bot: TestApp;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "paper-picks-export-"));
  const records = [
    {
      id: "2407.12345v2",
      title: "Fast & Cheap: 100% of {KV} caches",
      abstract: "An abstract long enough to be a paper's.",
      authors: ["Jan van der Berg", "Émile Le Roux"],
      publishedAt: "2024-07-16T00:00:00Z",
      categories: ["cs.CL", "cs.LG"],
      url: "https://arxiv.org/abs/2407.12345",
    },
    {
      id: "2501.00002",
      title: "Fast decoding without drafts",
      abstract: "Another abstract long enough to be a paper's.",
      authors: ["Jan van der Berg"],
      publishedAt: "2024-01-02T00:00:00Z",
      categories: ["cs.LG"],
    },
  ];
  await writeFile(join(dir, "papers.jsonl"), records.map((record) => JSON.stringify(record)).join("\n"));
  bot = await startTestApp({ env: { CORPUS: `data/papers.txt,${join(dir, "papers.jsonl")}` } });
});
afterAll(async () => {
  await bot.close();
  await rm(dir, { recursive: true, force: true });
});

describe("/papers export", () => {
  it("says how to start when nothing is saved, privately, and names a wrong format", async () => {
    const empty = await bot.run("/papers export bibtex");
    expect(empty.ephemeral).toBe(true);
    expect(empty.text).toContain("Nothing saved yet; /papers save <id> first");
    expect(empty.attachment).toBeUndefined();
    const wrong = await bot.run("/papers export endnote");
    expect(wrong.ephemeral).toBe(true);
    expect(wrong.text).toMatch(/format.*must be one of bibtex, ris, csl-json/);
  });

  it("exports what you saved, newest first, as a .bib file a BibTeX reader reads", async () => {
    await bot.run("/papers save 2407.12345", memberInvoker);
    await bot.run("/papers save 2501.00002", memberInvoker);
    const answer = await bot.run("/papers export bibtex", memberInvoker);
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toBe("Your 2 saved papers as BibTeX, newest first: saved-papers.bib.");
    expect(answer.attachment).toMatchObject({
      filename: "saved-papers.bib",
      mimeType: "application/x-bibtex",
    });
    const entries = readBibtex(answer.attachment?.text ?? "");
    expect(entries.map((entry) => entry.key)).toEqual(["vanderberg2024fast", "vanderberg2024fasta"]);
    expect(entries[1]?.fields).toMatchObject({
      title: "Fast & Cheap: 100% of {KV} caches",
      eprint: "2407.12345",
      archiveprefix: "arXiv",
      primaryclass: "cs.CL",
      year: "2024",
      month: "7",
    });
    expect(entries[1]?.authors.map((name) => name.family)).toEqual(["van der Berg", "Le Roux"]);
  });

  it("exports RIS and CSL-JSON with the same keys, and the console prints the file after the answer", async () => {
    const ris = await bot.run("/papers export ris", memberInvoker);
    expect(ris.attachment?.filename).toBe("saved-papers.ris");
    expect(readRis(ris.attachment?.text ?? "").map((item) => item.title)).toEqual([
      "Fast decoding without drafts",
      "Fast & Cheap: 100% of {KV} caches",
    ]);
    const csl = await bot.run("/papers export csl-json from:saved", memberInvoker);
    expect(JSON.parse(csl.attachment?.text ?? "").map((item: { id: string }) => item.id)).toEqual([
      "vanderberg2024fast",
      "vanderberg2024fasta",
    ]);
    const printed = renderText(csl);
    expect(printed.startsWith(`${csl.text}\n\n[\n`)).toBe(true);
    expect(printed.endsWith("]")).toBe(true);
  });

  it("only exports your own list", async () => {
    expect((await bot.run("/papers export ris")).text).toContain("Nothing saved yet");
  });
});
