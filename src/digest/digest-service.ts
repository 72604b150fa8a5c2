import type { LiveCatalog } from "../catalog/index.ts";
import type { Message } from "../core/message.ts";
import { platformOfKey } from "../core/target.ts";
import { type Logger, log } from "../log.ts";
import type { SendMessage } from "../platforms/contract.ts";
import type { Store } from "../store/index.ts";
import { type ComposedDigest, composeChannelDigest, composeTopicAlert } from "./compose.ts";
import { DeliveryClaim } from "./delivery-claim.ts";
import { DeliveryError, type DeliveryFailureKind } from "./delivery-error.ts";
import type { DigestDefaults } from "./digest-defaults.ts";
import { FailurePolicy } from "./failure-policy.ts";
import { type DeliveryPlan, planDelivery } from "./plan.ts";
import { DEFAULT_SEND_RETRIES, type SendRetryPolicy, sendWithRetries } from "./send-retries.ts";

export { deliveryKey } from "./delivery-claim.ts";

export type DeliveryOutcome =
  | { readonly status: "delivered"; readonly papers: number }
  | { readonly status: "nothing-new"; readonly announced: boolean }
  | { readonly status: "already-delivered" }
  | { readonly status: "not-configured" }
  | { readonly status: "paused" };

/**
 * Told how each delivery attempt ended, for the metrics. `kind` of a failure is the platform's
 * DeliveryError kind, "abandoned" when shutdown gave the attempt up, else "transient" (as any
 * other error a sender throws counts).
 */
export interface DeliveryObserver {
  delivered(platform: string, outcome: DeliveryOutcome["status"]): void;
  failed(platform: string, kind: DeliveryFailureKind | "abandoned"): void;
  /** A send tried again after a backoff: not taken by the platform, or resent under its idempotency key. */
  retried(platform: string): void;
}

/**
 * How long a claim on (target, date) lasts before it is sent: it covers reading the ledger and
 * composing, seconds at most. A holder that dies in that window frees the day after this long.
 */
const DEFAULT_CLAIM_LEASE_MS = 2 * 60 * 1000;

/** One delivery of (target, local date): its claim, and a logger that names target, platform and date. */
interface Job {
  readonly target: string;
  readonly date: string;
  readonly platform: string;
  readonly claim: DeliveryClaim;
  readonly log: Logger;
}

/** A delivery under way in this process: its job, and how to end its caller's wait when it is abandoned. */
interface Attempt {
  readonly job: Job;
  readonly run: Promise<DeliveryOutcome>;
  abandon(): void;
}

/** deliver() after drain() began: the process is shutting down and takes no new deliveries. */
export class DeliveriesStoppedError extends Error {
  constructor(targetKey: string, localDate: string) {
    super(`not delivering ${targetKey} for ${localDate}: the bot is shutting down`);
    this.name = "DeliveriesStoppedError";
  }
}

/** What drain() did: deliveries that finished within the bound, and those given up (claims released). */
export interface DrainReport {
  readonly finished: number;
  readonly abandoned: readonly string[];
}

function keyOf(attempt: Attempt): string {
  return `${attempt.job.target}@${attempt.job.date}`;
}

/**
 * Turns "target T is due for local date D" into a message sent once, across every process that
 * shares the store: it claims (T, D) in the store, picks what is new for T, sends it and writes
 * the ledger.
 *
 * Exactly once, step by step, and what a crash (SIGKILL, power loss) at each point leads to:
 * 1. claim (T, D) with a lease. Crash after this: nothing was sent; the lease runs out and the
 *    next run delivers. No miss, no duplicate.
 * 2. the ledger is read (already delivered? which papers are new?) and the digest composed.
 *    Crash here: as in 1.
 * 3. the claim is COMPLETED (kept for days), then the message sent. A crash between the two, or
 *    during the send, leaves a completed claim without a ledger entry: the day is never sent
 *    again. That one window (one platform round trip) is where a kill can cost a digest; it is
 *    the price of never posting twice, since neither Discord nor Slack lets a retry find out
 *    whether the first post went through. `complete` also refuses if the lease ran out and
 *    another process took the claim over, so a slow holder can never send alongside the new one.
 *    Every send carries the idempotency key deliveryKey(T, D). Retries while the claim is held:
 *    - On every platform, a send the platform provably did not take (NotTakenError: 429,
 *      500/502/503, connection refused) is tried again a few times with backoff: it cannot post twice.
 *    - On a platform registered as idempotent (Discord: the key becomes the message's `nonce`
 *      with `enforce_nonce`), a send whose outcome is unknown (OutcomeUnknownError: a timeout, a
 *      reset after the request was written, a 504) is tried again the same way, as long as the
 *      retry falls inside the platform's dedupe window (Discord: "a few minutes"; we count 2,
 *      from the first try). If the first try did post, Discord answers the retry with that
 *      message, so the channel has it once and the ledger records its id.
 *    - Elsewhere (Slack, which has no idempotency key) an unknown outcome is not retried: the
 *      message may be in the channel and a retry could post it twice.
 *    A send that still fails releases the claim, so a later run tries again. That later run may
 *    post a second copy only if an unknown-outcome send did post: always on Slack, and on Discord
 *    only once the dedupe window has passed (runs are minutes apart; within the window the
 *    nonce answers with the first message).
 * 4. the ledger is written. Crash after the send and before this: the claim is complete, so no
 *    duplicate; the ledger misses that day's papers, which may come again on a later day.
 * The ledger stays the record of what was sent (and its per-date check a second guard); the
 * claim is what keeps two processes, or a restarted one, from both sending.
 */
export class DigestService {
  readonly #inFlight = new Map<string, Attempt>();
  readonly #retries: SendRetryPolicy;
  readonly #failures: FailurePolicy;
  #draining = false;

  constructor(
    private readonly deps: {
      readonly catalog: LiveCatalog;
      readonly store: Store;
      readonly send: SendMessage;
      readonly defaults: DigestDefaults;
      /** Lease of a delivery claim before its send; default 2 minutes. */
      readonly claimLeaseMs?: number;
      readonly observer?: DeliveryObserver;
      /** Retries of sends the platform did not take; default 3 tries, 1 s then 4 s apart, jittered. */
      readonly retries?: Partial<SendRetryPolicy>;
    },
  ) {
    this.#retries = { ...DEFAULT_SEND_RETRIES, ...deps.retries };
    this.#failures = new FailurePolicy(deps.store, deps.send);
  }

  /**
   * Delivers T's digest for D unless D is already in T's ledger or claimed by another attempt
   * (another process, or an earlier run): both answer "already-delivered". Concurrent calls in
   * this process share one run.
   */
  deliver(targetKey: string, localDate: string): Promise<DeliveryOutcome> {
    const flightKey = `${targetKey}@${localDate}`;
    const running = this.#inFlight.get(flightKey);
    if (running) return running.run.then(() => ({ status: "already-delivered" }) as const);
    if (this.#draining) return Promise.reject(new DeliveriesStoppedError(targetKey, localDate));
    const platform = platformOfKey(targetKey);
    // Every line about this delivery names it the same way: target, platform, date.
    const jobLog = log.child({ target: targetKey, platform, date: localDate });
    const job: Job = {
      target: targetKey,
      date: localDate,
      platform,
      claim: new DeliveryClaim(this.deps.store.claims, targetKey, localDate, jobLog),
      log: jobLog,
    };
    let abandon = (): void => undefined;
    const abandoned = new Promise<never>((_, reject) => {
      abandon = () => reject(job.claim.abandonedError());
    });
    // The caller stops waiting when the attempt is abandoned, even if a send hangs on.
    const run = Promise.race([this.#deliver(job), abandoned]).finally(() => this.#inFlight.delete(flightKey));
    this.#observe(job, run);
    this.#inFlight.set(flightKey, { job, run, abandon });
    return run;
  }

  /**
   * Shutdown: refuses new deliveries from now on (deliver() rejects with DeliveriesStoppedError),
   * waits up to `timeoutMs` for those in flight, then abandons the rest and releases their claims
   * so another process, or this one restarted, delivers them. An abandoned send that was already
   * on its way may still reach the platform: the price of not missing the day when it did not.
   * Its ledger entry, if it lands before the store closes, keeps the next process from sending again.
   */
  async drain(timeoutMs: number): Promise<DrainReport> {
    this.#draining = true;
    const attempts = [...this.#inFlight.values()];
    if (attempts.length === 0) return { finished: 0, abandoned: [] };
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled(attempts.map((attempt) => attempt.run)), bound]);
    clearTimeout(timer);
    const unfinished = attempts.filter((attempt) => this.#inFlight.get(keyOf(attempt)) === attempt);
    for (const { job, abandon } of unfinished) {
      job.claim.abandon();
      abandon();
      job.log.warn("digest delivery abandoned at shutdown; its claim is released for the next run");
    }
    await Promise.all(unfinished.map((attempt) => attempt.job.claim.releaseQuietly()));
    return { finished: attempts.length - unfinished.length, abandoned: unfinished.map(keyOf) };
  }

  /** Logs how the attempt ended (the abandoned ones were logged by drain) and tells the observer. */
  #observe(job: Job, run: Promise<DeliveryOutcome>): void {
    const { observer } = this.deps;
    run
      .then(
        (outcome) => observer?.delivered(job.platform, outcome.status),
        (error: unknown) => {
          const kind =
            error instanceof DeliveryError ? error.kind : job.claim.abandoned ? "abandoned" : "transient";
          if (kind !== "abandoned") job.log.warn({ err: error, kind }, "digest delivery failed");
          observer?.failed(job.platform, kind);
        },
      )
      // Counting must never turn into an unhandled rejection.
      .catch((error: unknown) => job.log.warn({ err: error }, "delivery observer failed"));
  }

  /** What T would get for D, without sending or recording anything. */
  async preview(targetKey: string, localDate: string): Promise<ComposedDigest | undefined> {
    const plan = await planDelivery(targetKey, this.deps.store, this.deps.defaults);
    if (!plan) return undefined;
    return this.#compose(plan, localDate, await this.deps.store.ledger.deliveredPaperIds(targetKey));
  }

  async #deliver(job: Job): Promise<DeliveryOutcome> {
    const { claim } = job;
    if (!(await claim.take(this.deps.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS))) {
      job.log.debug("digest already delivered or claimed by another attempt");
      return { status: "already-delivered" };
    }
    if (claim.abandoned) {
      // drain() released before this claim existed; release it now, or it would hold the day for a lease.
      await claim.releaseQuietly();
      throw claim.abandonedError();
    }
    try {
      const outcome = await this.#deliverClaimed(job);
      await claim.reopen();
      return outcome;
    } catch (error) {
      if (!claim.settled) await claim.releaseQuietly();
      throw error;
    }
  }

  async #deliverClaimed(job: Job): Promise<DeliveryOutcome> {
    const { store } = this.deps;
    const ledger = await store.ledger.view(job.target);
    if (ledger.hasDelivery(job.date)) {
      job.log.debug("digest already in the ledger");
      return { status: "already-delivered" };
    }
    const plan = await planDelivery(job.target, store, this.deps.defaults);
    if (!plan) {
      job.log.debug("no digest or topic alerts set up here");
      return { status: "not-configured" };
    }
    if (plan.paused) {
      job.log.debug("digest paused or stopped");
      return { status: "paused" };
    }
    const composed = this.#compose(plan, job.date, ledger.paperIds());
    const paperIds = composed.picks.map((pick) => pick.paper.id);

    if (paperIds.length === 0) {
      // Say "nothing new" once, then stay quiet until there is something new: a daily repeat is noise.
      const announce = plan.kind === "channel" && ledger.last()?.kind !== "nothing-new";
      const sent = announce ? await this.#sendOnce(job, composed.message, plan) : {};
      await this.#record(job, [], "nothing-new", sent.messageId);
      if (!announce) await job.claim.complete();
      job.log.info({ announced: announce, messageId: sent.messageId }, "digest had nothing new");
      return { status: "nothing-new", announced: announce };
    }
    const sent = await this.#sendOnce(job, composed.message, plan);
    await this.#record(job, paperIds, "digest", sent.messageId);
    job.log.info({ papers: paperIds.length, messageId: sent.messageId }, "digest delivered");
    return { status: "delivered", papers: paperIds.length };
  }

  /**
   * Completes the claim, then sends (with the retries that cannot post twice); a send that fails
   * for good releases the claim for a later run. The claim stays completed (ours) through the
   * retries, so no other attempt can send meanwhile.
   */
  async #sendOnce(job: Job, message: Message, plan: DeliveryPlan): Promise<{ readonly messageId?: string }> {
    await job.claim.complete();
    try {
      return await sendWithRetries(() => this.#send(job, message, plan.failures), {
        policy: this.#retries,
        guard: job.claim,
        log: job.log,
        onRetry: () => this.deps.observer?.retried(job.platform),
      });
    } catch (error) {
      await job.claim.releaseQuietly();
      throw error;
    }
  }

  #compose(plan: DeliveryPlan, localDate: string, delivered: ReadonlySet<string>): ComposedDigest {
    const catalog = this.deps.catalog.current;
    const request = { localDate, size: plan.size, topics: plan.topics, delivered };
    return plan.kind === "channel"
      ? composeChannelDigest(catalog, request)
      : composeTopicAlert(catalog, request);
  }

  /** One try, under the delivery's idempotency key; its outcome goes to the failure policy. */
  async #send(job: Job, message: Message, failuresBefore: number): Promise<{ readonly messageId?: string }> {
    try {
      const sent = await this.deps.send(job.target, message, { idempotencyKey: job.claim.key });
      await this.#failures.succeeded(job.target, failuresBefore);
      return sent;
    } catch (error) {
      if (error instanceof DeliveryError) await this.#failures.failed(job.target, error, job.log);
      throw error;
    }
  }

  async #record(
    job: Job,
    paperIds: readonly string[],
    kind: "digest" | "nothing-new",
    messageId: string | undefined,
  ): Promise<void> {
    await this.deps.store.ledger.record(job.target, {
      localDate: job.date,
      paperIds: [...paperIds],
      deliveredAt: new Date().toISOString(),
      kind,
      ...(messageId !== undefined && { messageId }),
    });
  }
}
