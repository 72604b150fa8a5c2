import type { LiveCatalog } from "../catalog.ts";
import { log } from "../log.ts";
import { type Message, textMessage } from "../message.ts";
import type { DigestDefaults } from "../services.ts";
import type { Store } from "../store/index.ts";
import { parseTargetKey } from "../target.ts";
import { type ComposedDigest, composeChannelDigest, composeTopicAlert } from "./compose.ts";
import { DeliveryError, FAILURES_BEFORE_DISABLING } from "./delivery-error.ts";
import { userTarget } from "./targets.ts";

/** Sends a message to a target key and returns the platform's id for it, when it has one. */
export type SendMessage = (targetKey: string, message: Message) => Promise<{ readonly messageId?: string }>;

export type DeliveryOutcome =
  | { readonly status: "delivered"; readonly papers: number }
  | { readonly status: "nothing-new"; readonly announced: boolean }
  | { readonly status: "already-delivered" }
  | { readonly status: "not-configured" }
  | { readonly status: "paused" };

interface Plan {
  readonly kind: "channel" | "user";
  readonly size: number;
  readonly topics: readonly string[];
  /** Paused by an admin, stopped after failures, or alerts paused: previewable, not deliverable. */
  readonly paused: boolean;
}

/**
 * Turns "target T is due for local date D" into a message sent once: picks what is new for T,
 * sends it, and writes the ledger. The ledger is checked first and written last, so a send
 * that fails is retried by the next run, and a date already in the ledger is never sent again.
 */
export class DigestService {
  readonly #inFlight = new Map<string, Promise<DeliveryOutcome>>();

  constructor(
    private readonly deps: {
      readonly catalog: LiveCatalog;
      readonly store: Store;
      readonly send: SendMessage;
      readonly defaults: DigestDefaults;
    },
  ) {}

  /** Delivers T's digest for D unless D is already in T's ledger; concurrent calls share one run. */
  deliver(targetKey: string, localDate: string): Promise<DeliveryOutcome> {
    const flightKey = `${targetKey}@${localDate}`;
    const running = this.#inFlight.get(flightKey);
    if (running) return running.then(() => ({ status: "already-delivered" }) as const);
    const run = this.#deliver(targetKey, localDate).finally(() => this.#inFlight.delete(flightKey));
    this.#inFlight.set(flightKey, run);
    return run;
  }

  /** What T would get for D, without sending or recording anything. */
  async preview(targetKey: string, localDate: string): Promise<ComposedDigest | undefined> {
    const plan = await this.#plan(targetKey);
    if (!plan) return undefined;
    return this.#compose(plan, localDate, await this.deps.store.ledger.deliveredPaperIds(targetKey));
  }

  async #deliver(targetKey: string, localDate: string): Promise<DeliveryOutcome> {
    const { store } = this.deps;
    if (await store.ledger.hasDelivery(targetKey, localDate)) return { status: "already-delivered" };
    const plan = await this.#plan(targetKey);
    if (!plan) return { status: "not-configured" };
    if (plan.paused) return { status: "paused" };
    const composed = this.#compose(plan, localDate, await store.ledger.deliveredPaperIds(targetKey));
    const paperIds = composed.picks.map((pick) => pick.paper.id);

    if (paperIds.length === 0) {
      // Say "nothing new" once, then stay quiet until there is something new: a daily repeat is noise.
      const last = await store.ledger.last(targetKey);
      const announce = plan.kind === "channel" && last?.kind !== "nothing-new";
      const sent = announce ? await this.#send(targetKey, composed.message) : {};
      await this.#record(targetKey, localDate, [], "nothing-new", sent.messageId);
      return { status: "nothing-new", announced: announce };
    }
    const sent = await this.#send(targetKey, composed.message);
    await this.#record(targetKey, localDate, paperIds, "digest", sent.messageId);
    log.info({ target: targetKey, date: localDate, papers: paperIds.length }, "digest delivered");
    return { status: "delivered", papers: paperIds.length };
  }

  async #plan(targetKey: string): Promise<Plan | undefined> {
    const target = parseTargetKey(targetKey);
    if (!target) return undefined;
    if (target.kind === "channel") {
      const settings = await this.deps.store.channels.get(targetKey);
      if (!settings) return undefined;
      const paused = settings.paused || settings.disabledReason !== undefined;
      return { kind: "channel", size: settings.size, topics: settings.topics, paused };
    }
    const subscriptions = await this.deps.store.subscriptions.get(targetKey);
    if (!subscriptions || subscriptions.topics.length === 0) return undefined;
    return {
      kind: "user",
      size: this.deps.defaults.size,
      topics: subscriptions.topics.map((entry) => entry.topic),
      paused: subscriptions.alertsPausedReason !== undefined,
    };
  }

  #compose(plan: Plan, localDate: string, delivered: ReadonlySet<string>): ComposedDigest {
    const catalog = this.deps.catalog.current;
    const request = { localDate, size: plan.size, topics: plan.topics, delivered };
    return plan.kind === "channel"
      ? composeChannelDigest(catalog, request)
      : composeTopicAlert(catalog, request);
  }

  async #send(targetKey: string, message: Message): Promise<{ readonly messageId?: string }> {
    try {
      const sent = await this.deps.send(targetKey, message);
      await this.#resetFailures(targetKey);
      return sent;
    } catch (error) {
      if (error instanceof DeliveryError) await this.#onPermanentFailure(targetKey, error);
      throw error;
    }
  }

  /**
   * A channel that keeps failing for good stops after a few tries, and the admin who set it up
   * hears why; a user whose DMs are closed has their alerts paused and hears it at their next command.
   */
  async #onPermanentFailure(targetKey: string, error: DeliveryError): Promise<void> {
    const { store } = this.deps;
    if (error.kind === "dm-closed") {
      await store.subscriptions.update(targetKey, (current) => ({
        ...current,
        alertsPausedReason: "the bot could not send you a direct message (your DMs are closed to it)",
      }));
      return;
    }
    if (error.kind !== "target-gone") return;
    const settings = await store.channels.update(targetKey, (current) => {
      const failures = current.failures + 1;
      if (failures < FAILURES_BEFORE_DISABLING) return { ...current, failures };
      return { ...current, failures, disabledReason: [error.message, error.fix].filter(Boolean).join(". ") };
    });
    if (!settings?.disabledReason || settings.failures !== FAILURES_BEFORE_DISABLING) return;
    log.warn(
      { target: targetKey, reason: settings.disabledReason },
      "digest disabled after repeated failures",
    );
    const admin = userTarget({ platform: settings.platform, userId: settings.setupBy });
    const where = settings.channelName ? `#${settings.channelName}` : `channel ${settings.channelId}`;
    const notice = textMessage(
      `The daily paper picks for ${where} have stopped after ${settings.failures} failed tries: ` +
        `${settings.disabledReason}. When it is fixed, run /digest resume there (or /digest setup in another channel).`,
      { ephemeral: false },
    );
    await this.deps.send(admin, notice).catch((notifyError: unknown) => {
      log.warn(
        { err: notifyError, target: targetKey, admin },
        "could not tell the admin that a digest stopped",
      );
    });
  }

  async #resetFailures(targetKey: string): Promise<void> {
    const settings = await this.deps.store.channels.get(targetKey);
    if (settings && settings.failures > 0) {
      await this.deps.store.channels.update(targetKey, (current) => ({ ...current, failures: 0 }));
    }
  }

  async #record(
    targetKey: string,
    localDate: string,
    paperIds: readonly string[],
    kind: "digest" | "nothing-new",
    messageId: string | undefined,
  ): Promise<void> {
    await this.deps.store.ledger.record(targetKey, {
      localDate,
      paperIds: [...paperIds],
      deliveredAt: new Date().toISOString(),
      kind,
      ...(messageId !== undefined && { messageId }),
    });
  }
}
