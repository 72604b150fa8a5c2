import { paperId } from "../../src/command-kit/options.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import type { Paper } from "../../src/core/paper.ts";
import type { Services } from "../../src/services.ts";

/** The `id` option of /papers save and /papers unsave. */
export const savedPaperId = paperId({ description: "The paper's id, as shown under each result" });

/** The paper of `id` in the corpus now, in any letter case; a clear private answer when there is none. */
export function paperOrExplain(services: Services, id: string): Paper {
  const { byId } = services.catalog.current;
  const found = byId.get(id) ?? byId.get(id.toLowerCase());
  if (!found) throw new UserError(`No paper has the id “${id}”. Ids appear under each search result.`);
  return found;
}
