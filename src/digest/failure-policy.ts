import { textMessage } from "../core/message.ts";
import type { Logger } from "../log.ts";
import type { SendMessage } from "../platforms/contract.ts";
import type { ChannelSettings, UserSubscriptions } from "../store/index.ts";
import { type DeliveryError, FAILURES_BEFORE_DISABLING } from "./delivery-error.ts";
import { userTarget } from "./targets.ts";

/** The settings a send's outcome changes: a channel's run of failures, a user's alert pause. */
export interface FailureSettings {
  readonly channels: {
    get(key: string): Promise<ChannelSettings | undefined>;
    update(
      key: string,
      change: (current: ChannelSettings) => ChannelSettings,
    ): Promise<ChannelSettings | undefined>;
  };
  readonly subscriptions: {
    update(
      key: string,
      change: (current: UserSubscriptions) => UserSubscriptions,
    ): Promise<UserSubscriptions | undefined>;
  };
}

const DMS_CLOSED_REASON = "the bot could not send you a direct message (your DMs are closed to it)";

/**
 * What a send's outcome does to its target's settings:
 * - a success ends a channel's run of failures;
 * - a channel that fails for good (gone, or closed to the bot) FAILURES_BEFORE_DISABLING times in
 *   a row stops, and the admin who set it up is told once, by DM, why and how to resume it;
 * - a user whose DMs are closed has their alerts paused, and hears it at their next command.
 * Transient failures change nothing: the claim is released and a later run tries again.
 */
export class FailurePolicy {
  constructor(
    private readonly settings: FailureSettings,
    private readonly send: SendMessage,
  ) {}

  /** `failuresBefore` was read with the settings just now, so only a run of failures costs a write. */
  async succeeded(targetKey: string, failuresBefore: number): Promise<void> {
    if (failuresBefore === 0) return;
    await this.settings.channels.update(targetKey, (current) => ({ ...current, failures: 0 }));
  }

  async failed(targetKey: string, error: DeliveryError, log: Logger): Promise<void> {
    if (error.kind === "dm-closed") {
      await this.settings.subscriptions.update(targetKey, (current) => ({
        ...current,
        alertsPausedReason: DMS_CLOSED_REASON,
      }));
      return;
    }
    if (error.kind !== "target-gone") return;
    const settings = await this.settings.channels.update(targetKey, (current) => {
      const failures = current.failures + 1;
      if (failures < FAILURES_BEFORE_DISABLING) return { ...current, failures };
      return { ...current, failures, disabledReason: [error.message, error.fix].filter(Boolean).join(". ") };
    });
    // Only the failure that stopped the digest tells the admin; later ones (it is paused) do not repeat it.
    if (!settings?.disabledReason || settings.failures !== FAILURES_BEFORE_DISABLING) return;
    log.warn(
      { reason: settings.disabledReason, failures: settings.failures },
      "digest disabled after repeated failures",
    );
    await this.#tellAdmin(settings, log);
  }

  /**
   * An interrupted send that could not be checked on the platform after every look-up: the admin
   * who set the channel's digest up is told, since only a person can see whether it is there.
   * For a user's alerts there is nobody else to tell; the log says it.
   */
  async unconfirmed(targetKey: string, localDate: string, error: unknown, log: Logger): Promise<void> {
    const settings = await this.settings.channels.get(targetKey);
    if (!settings) return;
    const admin = userTarget({ platform: settings.platform, userId: settings.setupBy });
    const where = settings.channelName ? `#${settings.channelName}` : `channel ${settings.channelId}`;
    const problem = error instanceof Error ? error.message : String(error);
    const notice = textMessage(
      `The paper picks for ${where} on ${localDate} were being posted when the bot stopped, and the bot ` +
        `could not check whether the post arrived (${problem}). It will not post again on its own, to ` +
        `avoid a duplicate: look in ${where}, and if the picks are missing run /digest now there.`,
      { ephemeral: false },
    );
    await this.send(admin, notice).catch((notifyError: unknown) => {
      log.warn({ err: notifyError, admin }, "could not tell the admin about an unconfirmed digest");
    });
  }

  async #tellAdmin(settings: ChannelSettings, log: Logger): Promise<void> {
    const admin = userTarget({ platform: settings.platform, userId: settings.setupBy });
    const where = settings.channelName ? `#${settings.channelName}` : `channel ${settings.channelId}`;
    const notice = textMessage(
      `The daily paper picks for ${where} have stopped after ${settings.failures} failed tries: ` +
        `${settings.disabledReason}. When it is fixed, run /digest resume there (or /digest setup in another channel).`,
      { ephemeral: false },
    );
    await this.send(admin, notice).catch((notifyError: unknown) => {
      log.warn({ err: notifyError, admin }, "could not tell the admin that a digest stopped");
    });
  }
}
