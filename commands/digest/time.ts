import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { timeOfDay, timeZone } from "../../src/command-kit/options.ts";
import { textMessage } from "../../src/core/message.ts";
import { describeDigest } from "./describe.ts";
import { updateDigest } from "./update-digest.ts";

export const time = defineSubcommand({
  path: ["time"],
  description: "When to post the daily picks, in a time zone (default: keep the current zone)",
  options: z.object({
    time: timeOfDay({ description: "24-hour local time, e.g. 08:30" }),
    timezone: timeZone({ description: "IANA time zone, e.g. Europe/Berlin", autocomplete: true }).optional(),
  }),
  requires: ["admin", "digest"],
  examples: ["/digest time 08:30 Europe/Berlin"],
  async run(context, options) {
    const { after } = await updateDigest(context, (settings) => ({
      ...settings,
      time: options.time,
      timezone: options.timezone ?? settings.timezone,
      // From now on: a new time already past today starts tomorrow, as the answer below says.
      scheduleSince: context.services.now().toISOString(),
    }));
    return textMessage(`Daily picks now go to ${describeDigest(after, context.services.now())}.`);
  },
  async suggest(_context, _option, partial) {
    const needle = partial.trim().toLowerCase().replace(/\s+/g, "_");
    return Intl.supportedValuesOf("timeZone")
      .filter((zone) => zone.toLowerCase().includes(needle))
      .slice(0, 25)
      .map((zone) => ({ name: zone, value: zone }));
  },
});
