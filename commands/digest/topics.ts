import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { text } from "../../src/command-kit/options.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { textMessage } from "../../src/core/message.ts";
import { tokenize } from "../../src/search/index.ts";
import { sameTopic } from "../../src/store/index.ts";
import { describeDigest } from "./describe.ts";
import { updateDigest } from "./update-digest.ts";

const MAX_TOPICS = 10;
const topicOption = z.object({
  topic: text({
    description: 'A search query such as kv cache or "state space models"',
    greedy: true,
    maxLength: 100,
  }),
});

export const topicsAdd = defineSubcommand({
  path: ["topics", "add"],
  description: "Only pick papers on this topic (or any other topic in the list)",
  options: topicOption,
  requires: ["admin", "digest"],
  examples: ["/digest topics add kv cache"],
  async run(context, { topic }) {
    if (tokenize(topic).length === 0) throw new UserError(`“${topic}” has no words to search for.`);
    const { before, after } = await updateDigest(context, (settings) => {
      if (settings.topics.some((existing) => sameTopic(existing, topic))) return settings;
      if (settings.topics.length >= MAX_TOPICS) {
        throw new UserError(`A digest can have at most ${MAX_TOPICS} topics; remove one first.`);
      }
      return { ...settings, topics: [...settings.topics, topic] };
    });
    const note = before.topics.length === after.topics.length ? `“${topic}” was already a topic. ` : "";
    return textMessage(`${note}Daily picks: ${describeDigest(after, context.services.now())}.`);
  },
});

export const topicsRemove = defineSubcommand({
  path: ["topics", "remove"],
  description: "Stop filtering on a topic",
  options: topicOption,
  requires: ["admin", "digest"],
  examples: ["/digest topics remove kv cache"],
  async run(context, { topic }) {
    const { before, after } = await updateDigest(context, (settings) => ({
      ...settings,
      topics: settings.topics.filter((existing) => !sameTopic(existing, topic)),
    }));
    if (before.topics.length === after.topics.length) {
      const list = before.topics.map((existing) => `“${existing}”`).join(", ") || "none";
      throw new UserError(`“${topic}” is not one of this digest's topics (${list}).`);
    }
    return textMessage(`Daily picks: ${describeDigest(after, context.services.now())}.`);
  },
});

export const topicsClear = defineSubcommand({
  path: ["topics", "clear"],
  description: "Pick from all papers again, on any topic",
  options: z.object({}),
  requires: ["admin", "digest"],
  async run(context) {
    const { after } = await updateDigest(context, (settings) => ({ ...settings, topics: [] }));
    return textMessage(`Daily picks: ${describeDigest(after, context.services.now())}.`);
  },
});
