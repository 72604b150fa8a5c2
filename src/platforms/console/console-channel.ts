import type { ChannelAccess, Invoker } from "../contract.ts";

/** The console has one channel, `console`, and its one user is that channel's admin. */
export const CONSOLE_CHANNEL = "console";

export const consoleInvoker: Invoker = {
  platform: "console",
  userId: "you",
  userName: "you",
  channelId: CONSOLE_CHANNEL,
  channelName: CONSOLE_CHANNEL,
  guildId: CONSOLE_CHANNEL,
  isAdmin: true,
  isDirectMessage: false,
};

export const consoleChannels: ChannelAccess = {
  async check(ref) {
    const name = ref?.trim().replace(/^#/, "");
    if (name === undefined || name === "" || name === CONSOLE_CHANNEL) {
      return { ok: true, id: CONSOLE_CHANNEL, name: CONSOLE_CHANNEL };
    }
    return { ok: false, problem: `The console has one channel, #${CONSOLE_CHANNEL}; “${ref}” is not it.` };
  },
};
