import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { choice } from "../../src/command-kit/options.ts";
import { textMessage } from "../../src/core/message.ts";
import { plural } from "../../src/core/text.ts";
import { learnsFromRatings } from "../../src/digest/plan.ts";
import type { Services } from "../../src/services.ts";
import type { ChannelSettings } from "../../src/store/index.ts";
import { updateDigest } from "./update-digest.ts";

export const learn = defineSubcommand({
  path: ["learn"],
  description: "Whether the picks learn from the 👍/👎 pressed on this digest's posts (on by default)",
  options: z.object({ mode: choice({ description: "on or off" }, ["on", "off"]) }),
  requires: ["admin", "digest"],
  examples: ["/digest learn off"],
  async run(context, { mode }) {
    const { after } = await updateDigest(context, (settings) => ({ ...settings, learn: mode === "on" }));
    return textMessage(await describeLearning(context.services, after));
  },
});

/** One line for /digest learn and /digest status: whether the picks learn, and from how many ratings. */
export async function describeLearning(services: Services, settings: ChannelSettings): Promise<string> {
  if (!learnsFromRatings(settings)) {
    return "Learning is off: the picks follow trending alone (/digest learn on to learn from 👍/👎 again).";
  }
  const ratings = await services.store.channelVotes.ratings(settings.target);
  const liked = ratings.filter((rating) => rating.value === "up").length;
  if (liked === 0) {
    return "Learning is on: once someone presses 👍 on a paper in a digest here, the picks blend trending with what this channel likes.";
  }
  return `Learning is on: the picks blend trending with what this channel likes, from ${plural(liked, "paper")} rated 👍 and ${plural(ratings.length - liked, "paper")} rated 👎 here.`;
}
