import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { textMessage } from "../../src/core/message.ts";
import { describeDigest } from "./describe.ts";
import { updateDigest } from "./update-digest.ts";

export const pause = defineSubcommand({
  path: ["pause"],
  description: "Stop posting the daily picks until /digest resume",
  options: z.object({}),
  requires: ["admin", "digest"],
  async run(context) {
    const { after } = await updateDigest(context, (settings) => ({ ...settings, paused: true }));
    return textMessage(`Paused: ${describeDigest(after, context.services.now())}.`);
  },
});

export const resume = defineSubcommand({
  path: ["resume"],
  description: "Post the daily picks again",
  options: z.object({}),
  requires: ["admin", "digest"],
  async run(context) {
    const { after } = await updateDigest(context, (settings) => {
      const { disabledReason: _cleared, ...rest } = settings;
      return { ...rest, paused: false, failures: 0 };
    });
    return textMessage(`Resumed: ${describeDigest(after, context.services.now())}.`);
  },
});
