import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { textMessage } from "../../src/core/message.ts";
import { plural } from "../../src/core/text.ts";
import { localDateIn } from "../../src/schedule/index.ts";
import { channelLabel, describeDigest } from "./describe.ts";

export const now = defineSubcommand({
  path: ["now"],
  description: "Post today's digest now instead of at its time (once a day, as always)",
  options: z.object({}),
  requires: ["admin", "digest"],
  async run({ services, digest: settings }) {
    const instant = services.now();
    const today = localDateIn(instant, settings.timezone);
    const outcome = await services.digests.deliver(settings.target, today);
    const where = channelLabel(settings);
    switch (outcome.status) {
      case "delivered":
        return textMessage(`Posted today's picks in ${where}: ${plural(outcome.papers, "paper")}.`);
      case "reconciled":
        return textMessage(
          `Today's picks were already posted in ${where} (by a send that was interrupted); they are recorded now.`,
        );
      case "unconfirmed":
        return textMessage(
          `Today's digest for ${where} was being posted when the bot stopped, and the channel could not be checked yet. ` +
            "The bot checks again in a minute rather than risk a second copy; /digest status shows why.",
        );
      case "nothing-new":
        return textMessage(
          `Nothing new to post in ${where} today: every matching paper has been posted there.`,
        );
      case "already-delivered":
        return textMessage(
          `Today's digest is already in ${where}; there is one a day. Next: ${describeDigest(settings, instant)}.`,
        );
      case "paused":
        return textMessage(`The digest for ${where} is paused or stopped; /digest resume starts it again.`);
      case "not-configured":
        return textMessage("No daily digest is set up here yet. Run /digest setup first.");
    }
  },
});
