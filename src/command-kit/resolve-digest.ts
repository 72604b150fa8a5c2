import { channelTarget } from "../digest/targets.ts";
import type { Invoker } from "../platforms/contract.ts";
import type { Services } from "../services.ts";
import type { ChannelSettings } from "../store/index.ts";

export type ResolvedDigest =
  | { readonly found: "one"; readonly settings: ChannelSettings }
  | { readonly found: "none" }
  | { readonly found: "several"; readonly names: readonly string[] };

/**
 * Which digest an admin command means: this channel's, or else the only one on this server or
 * workspace. Asking in the wrong channel of a server with several digests gets their names, not a guess.
 * Reads the store only.
 */
export async function resolveDigest(services: Services, invoker: Invoker): Promise<ResolvedDigest> {
  const here = await services.store.channels.get(channelTarget(invoker.platform, invoker.channelId));
  if (here) return { found: "one", settings: here };
  const onThisServer = (await services.store.channels.list()).filter(
    (settings) => settings.platform === invoker.platform && settings.guildId === invoker.guildId,
  );
  const [only, ...others] = onThisServer;
  if (!only) return { found: "none" };
  if (others.length === 0) return { found: "one", settings: only };
  return {
    found: "several",
    names: onThisServer.map((settings) => `#${settings.channelName ?? settings.channelId}`),
  };
}
