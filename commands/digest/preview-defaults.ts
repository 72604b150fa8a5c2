import type { CommandContext } from "../../src/command-kit/define.ts";
import type { Message } from "../../src/core/message.ts";
import { plural } from "../../src/core/text.ts";
import { composeChannelDigest } from "../../src/digest/compose.ts";
import { channelTarget } from "../../src/digest/targets.ts";
import { localDateIn } from "../../src/schedule/index.ts";

/**
 * `/digest preview` on a server with no digest yet: today's picks as this channel would get them
 * with the defaults (size, no topics), composed as a set-up digest's preview is, and how to start
 * it. Reads the catalog and the ledger; writes nothing.
 */
export async function previewDefaults({ services, invoker }: CommandContext): Promise<Message> {
  const { size, time, timezone } = services.defaults;
  const target = channelTarget(invoker.platform, invoker.channelId);
  const localDate = localDateIn(services.now(), timezone);
  const delivered = await services.store.ledger.deliveredPaperIds(target);
  const { message } = composeChannelDigest(services.catalog.current, {
    localDate,
    size,
    topics: [],
    delivered,
  });
  const where = invoker.channelName ? `#${invoker.channelName}` : "this channel";
  return {
    text:
      `Preview, only you can see this: no daily digest is set up here yet. With the defaults, ${where} ` +
      `would get ${plural(size, "paper")} a day at ${time} ${timezone}, on any topic.\n` +
      `Run /digest setup to start it.\n\n${message.text}`,
    cards: message.cards,
    buttons: [],
    ephemeral: true,
  };
}
