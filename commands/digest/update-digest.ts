import type { Services } from "../../src/services.ts";
import type { ChannelSettings } from "../../src/store/index.ts";

/** Applies one change to the digest an admin command addresses (the router resolved it), and reschedules it. */
export async function updateDigest(
  context: { readonly services: Services; readonly digest: ChannelSettings },
  change: (settings: ChannelSettings) => ChannelSettings,
): Promise<{ readonly before: ChannelSettings; readonly after: ChannelSettings }> {
  const before = context.digest;
  const after = (await context.services.store.channels.update(before.target, change)) ?? before;
  await context.services.scheduler.refresh();
  return { before, after };
}
