import type { Invoker } from "../command-kit/define.ts";
import { type Platform, targetKey } from "../target.ts";

/** The key of the direct-message target of whoever ran a command. */
export function userTarget(invoker: Pick<Invoker, "platform" | "userId">): string {
  return targetKey({ kind: "user", platform: invoker.platform, id: invoker.userId });
}

export function channelTarget(platform: Platform, channelId: string): string {
  return targetKey({ kind: "channel", platform, id: channelId });
}
