import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { log } from "../../src/log.ts";

// The loader logs every warning; the tests read them from the result instead.
log.level = "silent";

export const SEED_PATH = fileURLToPath(new URL("../../data/papers.txt", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));

const created: string[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temp folder holding `files` (relative paths, folders created as needed); removed after the test. */
export async function tempCorpus(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "corpus-test-"));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** Alternating title/abstract lines in the seed format. */
export function seedText(papers: ReadonlyArray<readonly [title: string, abstract: string]>): string {
  return papers.map(([title, abstract]) => `${title}\n${abstract}\n`).join("");
}
