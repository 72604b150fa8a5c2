import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { choice } from "../../src/command-kit/options.ts";
import { textMessage } from "../../src/core/message.ts";
import { learnsFromRatings } from "../../src/digest/plan.ts";
import { channelTarget, userTarget } from "../../src/digest/targets.ts";
import { RATING_EMOJI } from "../../src/picks/index.ts";
import type { Invoker } from "../../src/platforms/contract.ts";
import type { Services } from "../../src/services.ts";
import type { ChannelSettings } from "../../src/store/index.ts";
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
  async run({ services, invoker, post }, { id, rating }) {
    const user = userTarget(invoker);
    const { ratings, channelVotes } = services.store;
    if (rating === "clear") {
      const paperId = recordedPaperId(services, id);
      const cleared = await ratings.clear(user, paperId);
      if (cleared.channel !== undefined) await channelVotes.withdraw(cleared.channel, user, paperId);
      return textMessage(
        cleared.outcome === "cleared"
          ? `Cleared your rating of “${id}”.`
          : `You have not rated “${id}”. /papers ratings lists your ratings.`,
      );
    }
    const paper = paperOrExplain(services, id);
    const digest = post ? await digestHere(services, invoker) : undefined;
    const channel = digest?.target;
    const result = await ratings.rate(user, paper.id, rating, channel);
    if (channel !== undefined) await channelVotes.vote(channel, user, paper.id, rating);
    const was =
      result.outcome === "rated" && result.previous && result.previous !== rating
        ? ` (was ${RATING_EMOJI[result.previous]})`
        : "";
    const where =
      digest !== undefined && learnsFromRatings(digest)
        ? " It also counts toward this channel's digest."
        : "";
    return textMessage(
      `${RATING_EMOJI[rating]} for “${paper.title}”${was}. Only you see it; /papers ratings lists yours.${where}`,
    );
  },
});

/** The digest of the channel a button was pressed in: a press on its post counts for it too. */
async function digestHere(services: Services, invoker: Invoker): Promise<ChannelSettings | undefined> {
  if (invoker.isDirectMessage) return undefined;
  return services.store.channels.get(channelTarget(invoker.platform, invoker.channelId));
}
