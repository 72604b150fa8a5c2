import { type REST, Routes } from "discord.js";

/** DM channel ids are stable per user; remembering them saves a request per alert. Bounded. */
const DM_CHANNELS_MAX = 50_000;

/** The DM channel of a user, opened (POST /users/@me/channels) when not yet known. */
export type DiscordDmChannels = (userId: string) => Promise<string>;

/**
 * One cache of DM channels: the sender and the delivery look-up share one, so an alert is looked
 * for in the channel it was sent to, and each user's channel is asked for once per process.
 */
export function discordDmChannels(rest: REST): DiscordDmChannels {
  const known = new Map<string, string>();
  return async (userId) => {
    const cached = known.get(userId);
    if (cached) return cached;
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
      id: string;
    };
    if (known.size >= DM_CHANNELS_MAX) known.clear();
    known.set(userId, channel.id);
    return channel.id;
  };
}
