import type { CommandContext } from "../../src/command-kit/define.ts";
import type { ChannelSettings } from "../../src/store/index.ts";
import { resolveDigest } from "./resolve-digest.ts";

/** Applies one change to the digest an admin command addresses, and reschedules it. */
export async function updateDigest(
  context: CommandContext,
  change: (settings: ChannelSettings) => ChannelSettings,
): Promise<{ readonly before: ChannelSettings; readonly after: ChannelSettings }> {
  const before = await resolveDigest(context);
  const after = (await context.services.store.channels.update(before.target, change)) ?? before;
  await context.services.scheduler.refresh();
  return { before, after };
}
