import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { choice } from "../../src/command-kit/options.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { textMessage } from "../../src/core/message.ts";
import { describeDigest } from "./describe.ts";
import { updateDigest } from "./update-digest.ts";

export const threads = defineSubcommand({
  path: ["threads"],
  description:
    "Open one discussion thread per paper with every digest (on), or only when Discuss is pressed (off)",
  options: z.object({ state: choice({ description: "on or off" }, ["on", "off"]) }),
  requires: ["admin", "digest"],
  examples: ["/digest threads on"],
  async run(context, { state }) {
    const on = state === "on";
    if (on) {
      const opener = context.threads;
      if (!opener) throw new UserError("Discussion threads open on Discord and Slack; the console has none.");
      // Refused before anything is saved: a setting the bot cannot carry out would fail every day.
      const missing = await opener.missing(context.digest.channelId);
      if (missing.length > 0) throw new UserError(`Threads stay off. ${missing.join("\n")}`);
    }
    const { after } = await updateDigest(context, (settings) => ({ ...settings, threads: on }));
    const said = on
      ? "Each digest now opens one discussion thread per paper"
      : "Digests no longer open threads; Discuss on a card still opens that paper's";
    return textMessage(`${said}: ${describeDigest(after, context.services.now())}.`);
  },
});
