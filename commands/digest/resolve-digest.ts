import type { CommandContext } from "../../src/command-kit/define.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { channelTarget } from "../../src/digest/targets.ts";
import type { ChannelSettings } from "../../src/store/index.ts";

/**
 * Which digest an admin command means: this channel's, or else the only one on this server or
 * workspace. Asking in the wrong channel of a server with several digests gets a list, not a guess.
 */
export async function resolveDigest({ services, invoker }: CommandContext): Promise<ChannelSettings> {
  const here = await services.store.channels.get(channelTarget(invoker.platform, invoker.channelId));
  if (here) return here;
  const onThisServer = (await services.store.channels.list()).filter(
    (settings) => settings.platform === invoker.platform && settings.guildId === invoker.guildId,
  );
  const [only, ...others] = onThisServer;
  if (only && others.length === 0) return only;
  if (!only) {
    throw new UserError(
      "No daily digest is set up here yet. Run /digest setup in the channel that should get it.",
    );
  }
  const names = onThisServer.map((settings) => `#${settings.channelName ?? settings.channelId}`).join(", ");
  throw new UserError(
    `This server has digests in ${names}. Run the command in the channel whose digest you mean.`,
  );
}
