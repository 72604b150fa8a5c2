import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { choice } from "../../src/command-kit/options.ts";
import { textMessage } from "../../src/core/message.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { paperOrExplain, savedPaperId } from "./saving.ts";

const EMOJI = { up: "👍", down: "👎" } as const;

export const rate = defineSubcommand({
  path: ["rate"],
  description: "Rate a paper 👍 (up) or 👎 (down), or clear your rating; only you see your ratings",
  options: z.object({
    id: savedPaperId,
    rating: choice({ description: "up, down or clear" }, ["up", "down", "clear"]),
  }),
  requires: [],
  examples: ["/papers rate 2112.05682 up"],
  async run({ services, invoker }, { id, rating }) {
    const user = userTarget(invoker);
    if (rating === "clear") {
      const { byId } = services.catalog.current;
      // A paper that left the corpus can still be cleared by the id it was rated under.
      const paperId = (byId.get(id) ?? byId.get(id.toLowerCase()))?.id ?? id;
      const cleared = await services.store.ratings.clear(user, paperId);
      return textMessage(
        cleared.outcome === "cleared"
          ? `Cleared your rating of “${id}”.`
          : `You have not rated “${id}”. /papers ratings lists your ratings.`,
      );
    }
    const paper = paperOrExplain(services, id);
    const result = await services.store.ratings.rate(user, paper.id, rating);
    const was =
      result.outcome === "rated" && result.previous && result.previous !== rating
        ? ` (was ${EMOJI[result.previous]})`
        : "";
    return textMessage(
      `${EMOJI[rating]} for “${paper.title}”${was}. Only you see it; /papers ratings lists yours.`,
    );
  },
});
