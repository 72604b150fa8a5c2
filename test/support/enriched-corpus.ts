import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { arxivAtom } from "../fakes/paper-feeds/feed-fixtures.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));

/** The arXiv paper of {@link enrichedCorpus}: published, with a comment, a journal reference and a DOI. */
export const PUBLISHED = {
  id: "2501.00001",
  title: "A published paper about optical flow",
  abstract: "We estimate optical flow and publish it.",
  authors: ["Ada Lovelace", "Alan Turing"],
  published: "2025-01-02T10:00:00Z",
  updated: "2025-01-02T10:00:00Z",
  comment: "Accepted at NeurIPS 2025",
  journalRef: "Phys. Rev. D 76, 013009 (2007)",
  doi: "10.1103/PhysRevD.76.013009",
};

/**
 * A corpus with enrichment from both kinds of source: the Hugging Face fixture (daily-papers-enriched.json:
 * a paper with TL;DR, code, stars and project page, one with hostile fields, one with none) and an
 * arXiv Atom response with {@link PUBLISHED}. `spec` is a CORPUS value.
 */
export async function enrichedCorpus(): Promise<{ spec: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "enriched-corpus-"));
  const daily = path.join(dir, "daily-papers-enriched.json");
  const atom = path.join(dir, "published.xml");
  await copyFile(path.join(FIXTURES, "daily-papers-enriched.json"), daily);
  await writeFile(atom, arxivAtom([PUBLISHED]));
  return { spec: `${daily},${atom}`, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
