import { DateTime } from "luxon";
import { plural } from "../../src/core/text.ts";
import { nextRunAt } from "../../src/schedule/index.ts";
import type { ChannelSettings } from "../../src/store/index.ts";

export function channelLabel(settings: ChannelSettings): string {
  return settings.channelName ? `#${settings.channelName}` : `channel ${settings.channelId}`;
}

/** "in #papers at 09:00 Europe/Berlin, 5 papers a day; next on Fri 27 Nov at 09:00": one line admins can check. */
export function describeDigest(settings: ChannelSettings, now: Date): string {
  const base = `${channelLabel(settings)} at ${settings.time} ${settings.timezone}, ${plural(settings.size, "paper")} a day`;
  const topics = settings.topics.length
    ? `, on ${settings.topics.map((topic) => `“${topic}”`).join(" or ")}`
    : "";
  const threads = settings.threads ? ", a thread per paper" : "";
  if (settings.disabledReason) return `${base}${topics}; stopped: ${settings.disabledReason}`;
  if (settings.paused) return `${base}${topics}; paused (/digest resume to restart)`;
  const next = DateTime.fromJSDate(nextRunAt(settings, now)).setZone(settings.timezone);
  return `${base}${topics}${threads}; next on ${next.toFormat("ccc d LLL 'at' HH:mm")}`;
}
