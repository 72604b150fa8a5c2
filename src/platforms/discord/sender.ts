import { type REST, Routes } from "discord.js";
import type { SendMessage } from "../../digest/digest-service.ts";
import type { Message } from "../../message.ts";
import { parseTargetKey } from "../../target.ts";
import { translateSendError } from "./delivery-errors.ts";
import type { DiscordMessage } from "./render-message.ts";

/** DM channel ids are stable per user; remembering them saves a request per alert. Bounded. */
const DM_CHANNELS_MAX = 50_000;

/** The message body as REST takes it: no mention in it may ping anyone, whatever the text says. */
export function restBody(rendered: DiscordMessage) {
  return { ...rendered, allowed_mentions: { parse: [] } };
}

/**
 * The outbox sender for `discord:<channelId>` and `discord:user:<userId>`. Sends to one target
 * go one after another, so a burst to a channel arrives in the order it was sent even while
 * discord.js waits out rate limits; different targets do not wait for each other.
 */
export function createDiscordSender(rest: REST, render: (message: Message) => DiscordMessage): SendMessage {
  const dmChannels = new Map<string, string>();
  const queues = new Map<string, Promise<unknown>>();

  async function dmChannel(userId: string): Promise<string> {
    const known = dmChannels.get(userId);
    if (known) return known;
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
      id: string;
    };
    if (dmChannels.size >= DM_CHANNELS_MAX) dmChannels.clear();
    dmChannels.set(userId, channel.id);
    return channel.id;
  }

  async function deliver(targetKey: string, message: Message): Promise<{ messageId?: string }> {
    const target = parseTargetKey(targetKey);
    if (target?.platform !== "discord") throw new Error(`not a Discord target: ${targetKey}`);
    const where = target.kind === "user" ? "the user's direct messages" : `channel ${target.id}`;
    try {
      const channelId = target.kind === "user" ? await dmChannel(target.id) : target.id;
      const sent = (await rest.post(Routes.channelMessages(channelId), {
        body: restBody(render(message)),
      })) as { id: string };
      return { messageId: sent.id };
    } catch (error) {
      throw translateSendError(error, where);
    }
  }

  return (targetKey, message) => {
    const previous = queues.get(targetKey) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => deliver(targetKey, message));
    queues.set(targetKey, run);
    // Forget an idle queue so the map holds only targets with sends in flight.
    void run
      .catch(() => undefined)
      .then(() => {
        if (queues.get(targetKey) === run) queues.delete(targetKey);
      });
    return run;
  };
}
