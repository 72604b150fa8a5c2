import { findPaper } from "../../src/catalog/index.ts";
import { paperId } from "../../src/command-kit/options.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import type { Paper } from "../../src/core/paper.ts";
import type { Services } from "../../src/services.ts";

/** The `id` option of the commands that take one paper (paper, save, unsave, rate). */
export const paperIdOption = paperId({ description: "The paper's id, as shown under each result" });

/** The paper of `id` in the corpus now; a clear private answer when there is none. */
export function paperOrExplain(services: Services, id: string): Paper {
  const found = findPaper(services.catalog.current, id);
  if (!found) throw new UserError(`No paper has the id “${id}”. Ids appear under each search result.`);
  return found;
}

/**
 * The id a person's record keeps the paper under: the corpus's spelling, or the id as typed for a
 * paper that has left the corpus, so it can still be unsaved or its rating cleared.
 */
export function recordedPaperId(services: Services, id: string): string {
  return findPaper(services.catalog.current, id)?.id ?? id;
}
