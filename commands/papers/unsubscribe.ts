import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { text } from "../../src/command-kit/options.ts";
import { textMessage } from "../../src/core/message.ts";
import { userTarget } from "../../src/digest/targets.ts";

export const unsubscribe = defineSubcommand({
  path: ["unsubscribe"],
  description: "Stop following a topic",
  options: z.object({
    topic: text({
      description: "One of the topics you follow",
      greedy: true,
      maxLength: 100,
      autocomplete: true,
    }),
  }),
  requires: [],
  examples: ["/papers unsubscribe kv cache"],
  async run({ services, invoker }, { topic }) {
    const removed = await services.store.subscriptions.removeTopic(userTarget(invoker), topic);
    if (removed) return textMessage(`You no longer follow “${topic}”.`);
    const current = await services.store.subscriptions.get(userTarget(invoker));
    const list = current?.topics.map((entry) => `“${entry.topic}”`).join(", ");
    return textMessage(
      list ? `You don't follow “${topic}”. Your topics: ${list}.` : "You don't follow any topics yet.",
    );
  },
  async suggest({ services, invoker }, _option, partial) {
    const current = await services.store.subscriptions.get(userTarget(invoker));
    const needle = partial.trim().toLowerCase();
    return (current?.topics ?? [])
      .filter((entry) => entry.topic.toLowerCase().includes(needle))
      .slice(0, 25)
      .map((entry) => ({ name: entry.topic, value: entry.topic }));
  },
});
