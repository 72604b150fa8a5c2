import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { textMessage } from "../../src/core/message.ts";
import { userTarget } from "../../src/digest/targets.ts";

export const subscriptions = defineSubcommand({
  path: ["subscriptions"],
  description: "The topics you follow",
  options: z.object({}),
  requires: [],
  async run({ services, invoker }) {
    const current = await services.store.subscriptions.get(userTarget(invoker));
    const topics = current?.topics ?? [];
    if (topics.length === 0) {
      return textMessage("You don't follow any topics yet. Try /papers subscribe kv cache.");
    }
    const { time, timezone } = services.defaults;
    const paused = current?.alertsPausedReason ? `\nAlerts are paused: ${current.alertsPausedReason}` : "";
    const list = topics.map((entry) => `• ${entry.topic}`).join("\n");
    return textMessage(
      `You follow:\n${list}\nNew papers come by direct message daily at ${time} ${timezone}.${paused}`,
    );
  },
});
