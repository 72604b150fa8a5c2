import type { Notice } from "../../src/command-kit/notice.ts";
import { userTarget } from "../../src/digest/targets.ts";

/**
 * A user whose alerts paused because their DMs were closed hears it at their next command, in a
 * message only they see (after the answer; see notice.ts), and the pause lifts: tomorrow's alert
 * tries again, and if their DMs are still closed it pauses and tells them again.
 */
export const alertsPausedNotice: Notice = {
  async check({ services, invoker }) {
    const key = userTarget(invoker);
    const subscriptions = await services.store.subscriptions.get(key);
    if (!subscriptions?.alertsPausedReason) return undefined;
    return async () => {
      // The reason is read again under the record's lock: the one lifted is the one told, once.
      let reason: string | undefined;
      await services.store.subscriptions.update(key, ({ alertsPausedReason, ...rest }) => {
        reason = alertsPausedReason;
        return rest;
      });
      return reason === undefined
        ? undefined
        : `Your topic alerts were paused: ${reason}. Allow direct messages from this server's members and they resume with tomorrow's alert.`;
    };
  },
};
