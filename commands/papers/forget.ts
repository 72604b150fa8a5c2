import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { choice } from "../../src/command-kit/options.ts";
import { textMessage } from "../../src/core/message.ts";
import { userTarget } from "../../src/digest/targets.ts";

export const forget = defineSubcommand({
  path: ["forget"],
  description: "Delete all your ratings, also from channels' digests (add confirm:yes)",
  options: z.object({
    confirm: choice({ description: "yes, to delete every rating you gave" }, ["yes"]).optional(),
  }),
  requires: [],
  examples: ["/papers forget confirm:yes"],
  async run({ services, invoker }, { confirm }) {
    if (confirm !== "yes") {
      return textMessage(
        "This deletes every rating you gave, for good. To go ahead: /papers forget confirm:yes",
      );
    }
    const user = userTarget(invoker);
    const { ratings, channelVotes } = services.store;
    // The channels' copies go first: a failure in between leaves the person's record, which still
    // names them, so running forget again finishes the job.
    for (const channel of await ratings.channelsOf(user)) await channelVotes.forgetPerson(channel, user);
    const forgotten = await ratings.forget(user);
    return textMessage(forgotten ? "Deleted all your ratings." : "You had no ratings to delete.");
  },
});
