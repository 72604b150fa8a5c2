/**
 * Discord API v10 JSON objects as the real servers send them, reduced to the fields discord.js
 * 14 reads. Ids are snowflake-shaped strings so discord.js can derive timestamps from them.
 */

export const PERMISSIONS = {
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  embedLinks: 1n << 14n,
  readMessageHistory: 1n << 16n,
  createPublicThreads: 1n << 35n,
  sendMessagesInThreads: 1n << 38n,
  manageGuild: 1n << 5n,
  administrator: 1n << 3n,
} as const;

/** What @everyone may do in a fresh server: see, talk, embed, read history, open and talk in threads (the defaults that matter here). */
export const EVERYONE_PERMISSIONS =
  PERMISSIONS.viewChannel |
  PERMISSIONS.sendMessages |
  PERMISSIONS.embedLinks |
  PERMISSIONS.readMessageHistory |
  PERMISSIONS.createPublicThreads |
  PERMISSIONS.sendMessagesInThreads;

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly bot?: boolean;
}

export interface FakeOverwrite {
  /** A role id (the guild id is @everyone) or a member id. */
  readonly id: string;
  readonly type: 0 | 1;
  readonly allow: bigint;
  readonly deny: bigint;
}

export interface FakeChannel {
  readonly id: string;
  readonly name: string;
  /** 0 text, 2 voice, 4 category, 5 announcement. */
  readonly type: number;
  readonly overwrites: readonly FakeOverwrite[];
}

export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  readonly everyonePermissions: bigint;
  readonly channels: FakeChannel[];
}

export function userJson(user: FakeUser) {
  return {
    id: user.id,
    username: user.username,
    global_name: user.username,
    discriminator: "0",
    avatar: null,
    bot: user.bot ?? false,
  };
}

export function channelJson(channel: FakeChannel, guildId: string, lastMessageId: string | null = null) {
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    guild_id: guildId,
    position: 0,
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: lastMessageId,
    rate_limit_per_user: 0,
    permission_overwrites: channel.overwrites.map((overwrite) => ({
      id: overwrite.id,
      type: overwrite.type,
      allow: overwrite.allow.toString(),
      deny: overwrite.deny.toString(),
    })),
  };
}

export function everyoneRoleJson(guild: FakeGuild) {
  return {
    id: guild.id,
    name: "@everyone",
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: guild.everyonePermissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function memberJson(user: FakeUser, permissions?: bigint) {
  return {
    user: userJson(user),
    nick: null,
    avatar: null,
    roles: [],
    joined_at: "2026-01-01T00:00:00.000Z",
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    ...(permissions !== undefined && { permissions: permissions.toString() }),
  };
}

export function guildJson(guild: FakeGuild) {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [everyoneRoleJson(guild)],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: "en-US",
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
  };
}

/** GUILD_CREATE carries the guild plus what only the gateway sends: channels, members, size. */
export function guildCreateJson(guild: FakeGuild, bot: FakeUser) {
  return {
    ...guildJson(guild),
    unavailable: false,
    large: false,
    member_count: 2,
    joined_at: "2026-01-01T00:00:00.000Z",
    channels: guild.channels.map((channel) => channelJson(channel, guild.id)),
    members: [memberJson(bot)],
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function messageJson(
  id: string,
  channelId: string,
  author: FakeUser,
  body: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    id,
    channel_id: channelId,
    type: 0,
    content: typeof body.content === "string" ? body.content : "",
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    author: userJson(author),
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: typeof body.flags === "number" ? body.flags : 0,
    ...extra,
  };
}
