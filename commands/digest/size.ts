import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { wholeNumber } from "../../src/command-kit/options.ts";
import { textMessage } from "../../src/core/message.ts";
import { describeDigest } from "./describe.ts";
import { updateDigest } from "./update-digest.ts";

export const size = defineSubcommand({
  path: ["size"],
  description: "How many papers each daily digest has",
  options: z.object({ size: wholeNumber({ description: "Papers per day", min: 1, max: 10 }) }),
  requires: ["admin", "digest"],
  examples: ["/digest size 5"],
  async run(context, options) {
    const { after } = await updateDigest(context, (settings) => ({ ...settings, size: options.size }));
    return textMessage(`Daily picks: ${describeDigest(after, context.services.now())}.`);
  },
});
