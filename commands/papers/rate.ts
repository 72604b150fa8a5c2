import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { choice } from "../../src/command-kit/options.ts";
import { textMessage } from "../../src/core/message.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { RATING_EMOJI } from "../../src/picks/index.ts";
import { paperIdOption, paperOrExplain, recordedPaperId } from "./paper-ids.ts";

export const rate = defineSubcommand({
  path: ["rate"],
  description: "Rate a paper 👍 (up) or 👎 (down), or clear your rating; only you see your ratings",
  options: z.object({
    id: paperIdOption,
    rating: choice({ description: "up, down or clear" }, ["up", "down", "clear"]),
  }),
  requires: [],
  examples: ["/papers rate 2112.05682 up"],
  async run({ services, invoker }, { id, rating }) {
    const user = userTarget(invoker);
    if (rating === "clear") {
      const cleared = await services.store.ratings.clear(user, recordedPaperId(services, id));
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
        ? ` (was ${RATING_EMOJI[result.previous]})`
        : "";
    return textMessage(
      `${RATING_EMOJI[rating]} for “${paper.title}”${was}. Only you see it; /papers ratings lists yours.`,
    );
  },
});
