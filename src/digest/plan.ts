import { parseTargetKey } from "../core/target.ts";
import type { ScheduledTarget } from "../schedule/digest-scheduler.ts";
import type { ChannelSettings, UserSubscriptions } from "../store/index.ts";
import type { DigestDefaults } from "./digest-defaults.ts";

/**
 * What a target is set up to get, read from its settings: the one place that decides whether a
 * target is paused, for the scheduler (what is due) and for the delivery (what is sent) alike.
 */
export interface DeliveryPlan {
  readonly kind: "channel" | "user";
  readonly size: number;
  readonly topics: readonly string[];
  /** Paused by an admin, stopped after failures, or alerts paused: previewable, not deliverable. */
  readonly paused: boolean;
  /** Consecutive failed sends so far, as read with the settings (always 0 for a user's alerts). */
  readonly failures: number;
  /** The picks blend in the profile learned from the target's 👍/👎 (a person's own, or a channel's). */
  readonly learn: boolean;
  /** A channel digest opens one discussion thread per paper once posted (`/digest threads on`). */
  readonly threads: boolean;
}

/** A channel's picks learn from the 👍/👎 on its posts unless an admin ran /digest learn off. */
export function learnsFromRatings(settings: Pick<ChannelSettings, "learn">): boolean {
  return settings.learn !== false;
}

/** A channel digest pauses when an admin paused it or it stopped after repeated failures. */
function channelDigestPaused(settings: Pick<ChannelSettings, "paused" | "disabledReason">): boolean {
  return settings.paused || settings.disabledReason !== undefined;
}

/** A user's topic alerts pause when their DMs were found closed, until their next command. */
function topicAlertsPaused(subscriptions: Pick<UserSubscriptions, "alertsPausedReason">): boolean {
  return subscriptions.alertsPausedReason !== undefined;
}

function channelPlan(settings: ChannelSettings): DeliveryPlan {
  return {
    kind: "channel",
    size: settings.size,
    topics: settings.topics,
    paused: channelDigestPaused(settings),
    failures: settings.failures,
    learn: learnsFromRatings(settings),
    threads: settings.threads ?? false,
  };
}

/**
 * Whether a person gets a direct-message digest: while they follow a topic (daily at the default
 * time, unless they set otherwise), or once they set a schedule with /papers alerts (then the
 * digest holds their "for you" picks too), and not when they turned it off.
 */
function getsAlerts(subscriptions: UserSubscriptions): boolean {
  const cadence = subscriptions.alerts?.cadence;
  if (cadence === "off") return false;
  return subscriptions.topics.length > 0 || cadence !== undefined;
}

/** Undefined for a person who gets no digest (see getsAlerts). */
function topicAlertPlan(
  subscriptions: UserSubscriptions,
  defaults: DigestDefaults,
): DeliveryPlan | undefined {
  if (!getsAlerts(subscriptions)) return undefined;
  return {
    kind: "user",
    size: defaults.size,
    topics: subscriptions.topics.map((entry) => entry.topic),
    paused: topicAlertsPaused(subscriptions),
    failures: 0,
    learn: true,
    threads: false,
  };
}

/** Where the settings of channels and users are read from: the store's two collections. */
export interface TargetSettings {
  readonly channels: {
    get(key: string): Promise<ChannelSettings | undefined>;
    list(): Promise<readonly ChannelSettings[]>;
  };
  readonly subscriptions: {
    get(key: string): Promise<UserSubscriptions | undefined>;
    list(): Promise<readonly UserSubscriptions[]>;
  };
}

/** The plan of one target key, or undefined when nothing is set up there (or the key is not a target). */
export async function planDelivery(
  targetKey: string,
  settings: TargetSettings,
  defaults: DigestDefaults,
): Promise<DeliveryPlan | undefined> {
  const target = parseTargetKey(targetKey);
  if (!target) return undefined;
  if (target.kind === "channel") {
    const channel = await settings.channels.get(targetKey);
    return channel && channelPlan(channel);
  }
  const subscriptions = await settings.subscriptions.get(targetKey);
  return subscriptions && topicAlertPlan(subscriptions, defaults);
}

/**
 * Every target the scheduler should consider, with its time and pause state, among those `serves`
 * accepts (the platforms running in this process, and its shard's share).
 */
export async function scheduledTargets(
  settings: TargetSettings,
  defaults: DigestDefaults,
  serves: (key: string, guildId?: string) => boolean,
): Promise<ScheduledTarget[]> {
  const channels = (await settings.channels.list())
    .filter((channel) => serves(channel.target, channel.guildId))
    .map(
      (channel): ScheduledTarget => ({
        key: channel.target,
        time: channel.time,
        timezone: channel.timezone,
        paused: channelDigestPaused(channel),
        ...(channel.scheduleSince !== undefined && { since: new Date(channel.scheduleSince) }),
      }),
    );
  const users = (await settings.subscriptions.list())
    .filter((subscriptions) => getsAlerts(subscriptions) && serves(subscriptions.user))
    .map((subscriptions): ScheduledTarget => {
      const { alerts } = subscriptions;
      // The first alert comes at the next alert time after the first topic or the schedule, as
      // /papers subscribe and /papers alerts say.
      const starts = [
        ...(subscriptions.topics.length > 0
          ? [Math.min(...subscriptions.topics.map((entry) => Date.parse(entry.addedAt)))]
          : []),
        ...(alerts ? [Date.parse(alerts.since)] : []),
      ];
      const since = starts.length > 0 ? Math.max(...starts) : Number.NaN;
      return {
        key: subscriptions.user,
        time: alerts?.time ?? defaults.time,
        timezone: alerts?.timezone ?? defaults.timezone,
        paused: topicAlertsPaused(subscriptions),
        ...(Number.isFinite(since) && { since: new Date(since) }),
        ...(alerts?.cadence === "weekly" && { weekday: alerts.day ?? "mon" }),
      };
    });
  return [...channels, ...users];
}
