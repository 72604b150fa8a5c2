import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { text } from "../../src/command-kit/options.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { textMessage } from "../../src/core/message.ts";
import { plural } from "../../src/core/text.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { tokenize } from "../../src/search/index.ts";
import { MAX_TOPIC_LENGTH, MAX_TOPICS_PER_USER } from "../../src/store/index.ts";

export const subscribe = defineSubcommand({
  path: ["subscribe"],
  description: "Follow a topic: new matching papers come to you by direct message, once a day",
  options: z.object({
    topic: text({
      description: 'A search query such as kv cache or "state space models"',
      greedy: true,
      maxLength: 100,
    }),
  }),
  requires: [],
  examples: ['/papers subscribe "state space models"'],
  async run({ services, invoker }, { topic }) {
    if (tokenize(topic).length === 0) {
      throw new UserError(`“${topic}” has no words to search for. Try a topic such as kv cache.`);
    }
    const key = userTarget(invoker);
    const result = await services.store.subscriptions.addTopic(key, topic);
    if (result.outcome === "invalid")
      throw new UserError(`A topic is at most ${MAX_TOPIC_LENGTH} characters.`);
    if (result.outcome === "duplicate") {
      return textMessage(`You already follow “${topic}”. /papers subscriptions lists your topics.`);
    }
    if (result.outcome === "too-many") {
      throw new UserError(
        `You follow ${MAX_TOPICS_PER_USER} topics, the most there can be; unsubscribe from one first.`,
      );
    }
    const { subscriptions } = result;
    const matching = services.catalog.current.topics.matchAll(topic).size;
    const { time, timezone } = services.defaults;
    const now =
      matching === 0
        ? "No paper matches it yet; you will hear when one does."
        : `${plural(matching, "paper")} match it today.`;
    return textMessage(
      `You now follow “${topic}” (${plural(subscriptions.topics.length, "topic")} in all). ${now} ` +
        `New matching papers come by direct message once a day at ${time} ${timezone}.`,
    );
  },
});
