import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { textMessage } from "../../src/core/message.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { savedPaperId } from "./saving.ts";

export const unsave = defineSubcommand({
  path: ["unsave"],
  description: "Remove a paper from your saved papers",
  options: z.object({ id: savedPaperId }),
  requires: [],
  examples: ["/papers unsave 2112.05682"],
  async run({ services, invoker }, { id }) {
    const { byId } = services.catalog.current;
    // A paper that has left the corpus can still be unsaved by the id it was saved under.
    const paperId = (byId.get(id) ?? byId.get(id.toLowerCase()))?.id ?? id;
    const removed = await services.store.saved.unsave(userTarget(invoker), paperId);
    if (!removed) return textMessage(`“${id}” is not among your saved papers. /papers saved lists them.`);
    return textMessage(`Removed “${id}” from your saved papers.`);
  },
});
