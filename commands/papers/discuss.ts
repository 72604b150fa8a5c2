import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { textMessage } from "../../src/core/message.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { channelTarget } from "../../src/digest/targets.ts";
import { discussPaper } from "../../src/threads/paper-thread.ts";
import { paperIdOption, paperOrExplain } from "./paper-ids.ts";

export const discuss = defineSubcommand({
  path: ["discuss"],
  description: "Open this paper's discussion thread in this channel, or join it (the Discuss button)",
  options: z.object({ id: paperIdOption }),
  requires: [],
  examples: ["/papers discuss 2112.05682"],
  async run({ services, invoker, threads, post }, { id }) {
    const paper = paperOrExplain(services, id);
    if (!threads) {
      throw new UserError("Discussion threads open on Discord and Slack; the console has none.");
    }
    if (invoker.isDirectMessage) {
      throw new UserError(
        "Discussion threads open in a server or workspace channel, not in direct messages.",
      );
    }
    if (!post && threads.needsPost) {
      throw new UserError(
        `“${paper.title}” has no channel post here to thread under. Press Discuss on its card in a digest, ` +
          "or ask an admin to turn on /digest threads on so every digest opens them.",
      );
    }
    const outcome = await discussPaper(
      services.store.threads,
      threads,
      { channelKey: channelTarget(invoker.platform, invoker.channelId), channelId: invoker.channelId },
      paperCard(paper),
      { userId: invoker.userId, ...(post && { post }) },
    );
    if (!outcome.ok) throw new UserError(outcome.problem);
    const verb = outcome.created ? "Opened the discussion of" : "Joined the discussion of";
    return textMessage(`${verb} “${paper.title}”: ${outcome.link}`);
  },
});
