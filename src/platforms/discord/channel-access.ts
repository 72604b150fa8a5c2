import {
  ChannelType,
  type Client,
  DiscordAPIError,
  type GuildBasedChannel,
  PermissionFlagsBits,
} from "discord.js";
import type { ChannelAccess, ChannelCheck, Invoker } from "../contract.ts";

/** What the bot needs in a digest channel, with the names Discord's settings show. */
const NEEDED = [
  { flag: PermissionFlagsBits.ViewChannel, name: "View Channel" },
  { flag: PermissionFlagsBits.SendMessages, name: "Send Messages" },
  { flag: PermissionFlagsBits.EmbedLinks, name: "Embed Links" },
] as const;

/**
 * What the bot needs there beyond posting: a digest interrupted by a restart is checked against
 * the channel's history (GET /channels/{id}/messages) before it is sent again.
 */
const RECOVERY = { flag: PermissionFlagsBits.ReadMessageHistory, name: "Read Message History" } as const;

const POSTABLE = new Set<ChannelType>([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

/**
 * Resolves the channel of `/digest setup` (a channel option's id, `<#id>`, `#name`, or this
 * channel) and checks, before anything is saved, that the bot can see it, post in it and embed
 * links there, naming what is missing and where to grant it. A missing Read Message History does
 * not stop setup: it comes back as a warning.
 */
export class DiscordChannelAccess implements ChannelAccess {
  constructor(private readonly client: Client) {}

  async check(ref: string | undefined, invoker: Invoker): Promise<ChannelCheck> {
    if (!invoker.guildId || invoker.isDirectMessage) {
      return { ok: false, problem: "Daily picks go to a server channel: run /digest setup in one." };
    }
    const guild = this.client.guilds.cache.get(invoker.guildId);
    if (!guild) return { ok: false, problem: "The bot is not in this server; invite it first." };
    const wanted = ref?.trim();
    const id = !wanted
      ? invoker.channelId
      : (/^<#(\d+)>$|^(\d{5,})$/.exec(wanted)?.slice(1).find(Boolean) ?? "");
    const name = wanted?.replace(/^#/, "").toLowerCase();
    let channel: GuildBasedChannel | null | undefined = id
      ? guild.channels.cache.get(id)
      : guild.channels.cache.find((candidate) => candidate.name.toLowerCase() === name);
    if (!channel && id) channel = await guild.channels.fetch(id).catch((error: unknown) => notFound(error));
    const label = channel ? `#${channel.name}` : wanted ? `“${wanted}”` : "this channel";
    if (!channel) {
      return {
        ok: false,
        problem: `The bot cannot see ${label}. Check the name, or give the bot's role View Channel there, then run /digest setup again.`,
      };
    }
    if (!POSTABLE.has(channel.type)) {
      return { ok: false, problem: `${label} is not a text channel; pick a text or announcement channel.` };
    }
    const me = guild.members.me ?? (await guild.members.fetchMe());
    const permissions = channel.permissionsFor(me);
    const missing = NEEDED.filter((needed) => !permissions.has(needed.flag)).map((needed) => needed.name);
    if (missing.length > 0) {
      const list = missing.join(", ");
      return {
        ok: false,
        problem: `The bot is missing ${list} in ${label}. Give the bot's role ${list} there (channel settings → Permissions), then run /digest setup again.`,
      };
    }
    const warnings = permissions.has(RECOVERY.flag)
      ? []
      : [
          `The bot lacks ${RECOVERY.name} in ${label}: without it a digest interrupted by a restart cannot be checked and waits for an admin. Give the bot's role ${RECOVERY.name} there (channel settings → Permissions).`,
        ];
    return { ok: true, id: channel.id, name: channel.name, ...(warnings.length > 0 && { warnings }) };
  }
}

function notFound(error: unknown): null {
  if (error instanceof DiscordAPIError && (error.status === 404 || error.status === 403)) return null;
  throw error;
}
