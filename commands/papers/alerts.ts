import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { choice, timeOfDay, timeZone } from "../../src/command-kit/options.ts";
import { textMessage } from "../../src/core/message.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { WEEKDAYS } from "../../src/schedule/index.ts";

const DAY_NAMES = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
} as const;

export const alerts = defineSubcommand({
  path: ["alerts"],
  description: "Your own digest by direct message: daily, weekly or off, at your time",
  options: z.object({
    cadence: choice({ description: "daily, weekly or off" }, ["daily", "weekly", "off"]),
    time: timeOfDay({ description: "When it comes, 24-hour local time" }).optional(),
    timezone: timeZone({ description: "Your time zone, e.g. Europe/Berlin" }).optional(),
    day: choice({ description: "The day of a weekly digest" }, WEEKDAYS).optional(),
  }),
  requires: [],
  examples: ["/papers alerts weekly time:08:00 timezone:Europe/Berlin day:mon", "/papers alerts off"],
  async run({ services, invoker }, { cadence, time, timezone, day }) {
    const user = userTarget(invoker);
    if (day !== undefined && cadence !== "weekly") {
      return textMessage(`day: is for a weekly digest: /papers alerts weekly day:${day}`);
    }
    const saved = await services.store.subscriptions.setAlerts(user, {
      cadence,
      ...(time !== undefined && { time }),
      ...(timezone !== undefined && { timezone }),
      ...(day !== undefined && { day }),
    });
    await services.scheduler.refresh();
    if (cadence === "off") {
      return textMessage("Your digest is off: no direct messages. /papers alerts daily turns it back on.");
    }
    const at = saved.alerts?.time ?? services.defaults.time;
    const zone = saved.alerts?.timezone ?? services.defaults.timezone;
    const when = cadence === "weekly" ? `every ${DAY_NAMES[saved.alerts?.day ?? "mon"]}` : "every day";
    const what =
      saved.topics.length > 0
        ? "new papers on your topics and, once you rate some 👍, papers for you"
        : "papers for you, once you rate some 👍 (/papers rate <id> up), and your topics' papers once you follow one";
    return textMessage(`Your digest comes by direct message ${when} at ${at} ${zone}: ${what}.`);
  },
});
