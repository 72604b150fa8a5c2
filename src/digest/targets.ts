import { type Platform, targetKey } from "../core/target.ts";
import type { Invoker } from "../platforms/contract.ts";

/** The key of the direct-message target of whoever ran a command. */
export function userTarget(invoker: Pick<Invoker, "platform" | "userId">): string {
  return targetKey({ kind: "user", platform: invoker.platform, id: invoker.userId });
}

export function channelTarget(platform: Platform, channelId: string): string {
  return targetKey({ kind: "channel", platform, id: channelId });
}
