import { fileURLToPath } from "node:url";
import type { Paper } from "../../src/core/paper.ts";
import { loadCorpus } from "../../src/corpus/index.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The seed page the bot ships with: 196 papers in trending order, no dates, no votes. */
export async function loadSeedPapers(): Promise<readonly Paper[]> {
  const { papers } = await loadCorpus("data/papers.txt", { cwd: PROJECT_ROOT });
  return papers;
}
