import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { channelRef } from "../../src/command-kit/options.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { textMessage } from "../../src/core/message.ts";
import { channelTarget } from "../../src/digest/targets.ts";
import { defaultChannelSettings } from "../../src/store/index.ts";
import { describeDigest } from "./describe.ts";

export const setup = defineSubcommand({
  path: ["setup"],
  description: "Post the daily picks in this channel, or in the one you name",
  options: z.object({
    channel: channelRef({ description: "Where to post (default: this channel)" }).optional(),
  }),
  requires: ["admin"],
  examples: ["/digest setup", "/digest setup #papers"],
  async run({ services, invoker, channels, threads }, { channel }) {
    const checked = await channels.check(channel, invoker);
    if (!checked.ok) throw new UserError(checked.problem);
    // Discuss buttons (and /digest threads on) need more than posting: said, not refused.
    const threadWarnings = (await threads?.missing(checked.id)) ?? [];
    const key = channelTarget(invoker.platform, checked.id);
    const now = services.now();
    const existing = await services.store.channels.get(key);
    // Setting up again is how an admin repairs a stopped digest: it clears failures and the stop reason.
    const base =
      existing ??
      defaultChannelSettings(
        {
          platform: invoker.platform,
          channelId: checked.id,
          setupBy: invoker.userId,
          ...services.defaults,
          ...(invoker.guildId !== undefined && { guildId: invoker.guildId }),
        },
        now,
      );
    const { disabledReason: _cleared, ...rest } = base;
    const settings = {
      ...rest,
      channelName: checked.name,
      setupBy: invoker.userId,
      failures: 0,
      // A fresh setup starts at the next occurrence of its time; an update keeps today's plan.
      scheduleSince: existing?.scheduleSince ?? now.toISOString(),
    };
    await services.store.channels.put(settings);
    await services.scheduler.refresh();
    const verb = existing ? "Updated" : "Set up";
    // What the bot lacks there does not stop the posts, only their recovery: said, not refused.
    const warnings = [...(checked.warnings ?? []), ...threadWarnings]
      .map((warning) => `\n${warning}`)
      .join("");
    return textMessage(
      `${verb}: daily picks in ${describeDigest(settings, now)}.\n` +
        "Change it with /digest time, /digest size and /digest topics add; see tomorrow's with /digest preview." +
        warnings,
    );
  },
});
