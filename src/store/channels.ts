import { type Platform, targetKey } from "../core/target.ts";
import type { RecordKind } from "./record-collection.ts";
import { type ChannelSettings, channelSettingsSchema } from "./schemas.ts";

export const channelKind: RecordKind<ChannelSettings> = {
  name: "channels",
  schema: channelSettingsSchema,
  keyOf: (settings) => settings.target,
  stamp: (settings, nowIso) => ({ ...settings, updatedAt: nowIso }),
};

export interface NewChannel {
  readonly platform: Platform;
  readonly channelId: string;
  /** User id of the admin running setup. */
  readonly setupBy: string;
  readonly channelName?: string;
  readonly guildId?: string;
  readonly time?: string;
  readonly timezone?: string;
  readonly size?: number;
  readonly topics?: readonly string[];
}

/** Settings for a channel just set up: 09:00 UTC, 5 papers, no topics, running. */
export function defaultChannelSettings(channel: NewChannel, now: Date = new Date()): ChannelSettings {
  const at = now.toISOString();
  return {
    schemaVersion: 1,
    target: targetKey({ kind: "channel", platform: channel.platform, id: channel.channelId }),
    platform: channel.platform,
    channelId: channel.channelId,
    ...(channel.channelName === undefined ? {} : { channelName: channel.channelName }),
    ...(channel.guildId === undefined ? {} : { guildId: channel.guildId }),
    setupBy: channel.setupBy,
    time: channel.time ?? "09:00",
    timezone: channel.timezone ?? "UTC",
    size: channel.size ?? 5,
    topics: [...(channel.topics ?? [])],
    paused: false,
    failures: 0,
    createdAt: at,
    updatedAt: at,
  };
}
