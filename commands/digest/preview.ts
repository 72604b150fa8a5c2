import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { localDateIn } from "../../src/schedule/index.ts";
import { describeDigest } from "./describe.ts";
import { previewDefaults } from "./preview-defaults.ts";

export const preview = defineSubcommand({
  path: ["preview"],
  description: "See the next digest privately, without posting it",
  options: z.object({}),
  requires: ["admin", "digest-if-any"],
  async run(context) {
    const { services, digest: settings } = context;
    if (!settings) return previewDefaults(context);
    const now = services.now();
    // After today's post, the next digest is tomorrow's: the ledger already excludes today's papers.
    const today = localDateIn(now, settings.timezone);
    const postedToday = await services.store.ledger.hasDelivery(settings.target, today);
    const date = postedToday ? localDateIn(new Date(now.getTime() + 86_400_000), settings.timezone) : today;
    const composed = await services.digests.preview(settings.target, date);
    const message = composed?.message;
    return {
      text: `Preview, only you can see this: ${describeDigest(settings, now)}.\n\n${message?.text ?? ""}`,
      cards: message?.cards ?? [],
      buttons: [],
      ephemeral: true,
    };
  },
});
