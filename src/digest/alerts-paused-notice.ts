import type { CommandContext } from "../command-kit/define.ts";
import { userTarget } from "./targets.ts";

/**
 * A user whose alerts paused because their DMs were closed hears it at their next command, in
 * the reply only they see, and the pause lifts: tomorrow's alert tries again, and if their DMs
 * are still closed it pauses and tells them again.
 */
export async function alertsPausedNotice({ services, invoker }: CommandContext): Promise<string | undefined> {
  const key = userTarget(invoker);
  const subscriptions = await services.store.subscriptions.get(key);
  const reason = subscriptions?.alertsPausedReason;
  if (!reason) return undefined;
  await services.store.subscriptions.update(key, ({ alertsPausedReason: _lifted, ...rest }) => rest);
  return `Your topic alerts were paused: ${reason}. Allow direct messages from this server's members and they resume with tomorrow's alert.`;
}
