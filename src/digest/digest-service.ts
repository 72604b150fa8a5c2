import type { LiveCatalog } from "../catalog/index.ts";
import type { Message } from "../core/message.ts";
import { parseTargetKey, platformOfKey } from "../core/target.ts";
import { type Logger, log } from "../log.ts";
import type { RatedPaper } from "../picks/index.ts";
import type { DeliveryLookup, SendMessage, ThreadOpener } from "../platforms/contract.ts";
import { personRatings } from "../profiles/person-ratings.ts";
import type { Store, Taken } from "../store/index.ts";
import { discussPaper } from "../threads/paper-thread.ts";
import { type ComposedDigest, composeChannelDigest, composeTopicAlert } from "./compose.ts";
import { DeliveryClaim } from "./delivery-claim.ts";
import { DeliveryError, type DeliveryFailureKind, NotTakenError } from "./delivery-error.ts";
import type { DigestDefaults } from "./digest-defaults.ts";
import { FailurePolicy } from "./failure-policy.ts";
import { type DeliveryPlan, planDelivery } from "./plan.ts";
import { DEFAULT_SEND_RETRIES, type SendRetryPolicy, sendWithRetries } from "./send-retries.ts";

export { deliveryKey, parseDeliveryKey } from "./delivery-claim.ts";

export type DeliveryOutcome =
  | { readonly status: "delivered"; readonly papers: number }
  | { readonly status: "nothing-new"; readonly announced: boolean }
  | { readonly status: "already-delivered" }
  /** An interrupted send's post was found on the platform: recorded, not posted again. */
  | { readonly status: "reconciled"; readonly papers: number }
  /** An interrupted send could not be checked on the platform: nothing posted, tried again later. */
  | { readonly status: "unconfirmed" }
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

/**
 * A look-up that got no answer is tried again after this (the claim lapses then, and whichever
 * process sees it first looks again), at most MAX_LOOKUPS times in all; after that the admin is
 * told and the claim is held for a day, so nothing guesses.
 */
const LOOKUP_RETRY_MS = 60 * 1000;
export const MAX_LOOKUPS = 6;
const UNCONFIRMED_HOLD_MS = 24 * 60 * 60 * 1000;

/** What a delivery writes on its claim before sending: the ledger entry it will make, so a reconcile that finds the post can make it. */
interface SendingDetail {
  readonly kind: "digest" | "nothing-new";
  readonly paperIds: readonly string[];
}

/** Looks for the post of a keyed send; `undefined` when the target's platform cannot look. */
export type FindDeliveryPost = (
  targetKey: string,
  idempotencyKey: string,
  since: Date,
) => Promise<DeliveryLookup | undefined>;

/** One delivery of (target, local date): its claim, and a logger that names target, platform and date. */
interface Job {
  readonly target: string;
  readonly date: string;
  readonly platform: string;
  readonly claim: DeliveryClaim;
  readonly log: Logger;
  /** A try of this delivery's send ended without knowing whether the post went out. */
  uncertain: boolean;
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
 * Turns "target T is due for local date D" into a message sent exactly once, across every process
 * that shares the store: it claims (T, D) in the store, picks what is new for T, sends it and
 * writes the ledger. The claim has three states (src/store/claims.ts); what a crash (SIGKILL,
 * power loss) at each step leads to:
 * 1. *claimed* under a lease. Crash here, or while the ledger is read and the digest composed:
 *    nothing was sent; the lease runs out, a live process takes the claim over (the scheduler's
 *    takeover, src/schedule/takeover.ts) and delivers. No miss, no duplicate.
 * 2. *sending* is written (with the ledger entry to be) before the first byte of the post goes
 *    out, and the lease is renewed while the send lasts, so no one takes over a send in flight.
 *    Every send carries the idempotency key deliveryKey(T, D): Discord dedupes on it (nonce with
 *    enforce_nonce) and shows it on the post, Slack keeps it as message metadata.
 * 3. the ledger is written, then the claim becomes *sent* with the platform's message id.
 * A crash anywhere in 2 or 3 leaves a *sending* claim whose lease runs out. Whoever takes it over
 * reconciles instead of posting blind: the day in the ledger closes the claim; else the platform
 * is asked for the bot's own posts since the sending time (FindDelivery). Found: the ledger and the
 * claim are written with that post's id, nothing is posted. Not found: it is posted (Discord: the
 * same nonce). No answer (a 5xx, a missing scope): the claim lapses again in LOOKUP_RETRY_MS and is
 * looked up again, MAX_LOOKUPS times in all, then the admin who set the digest up is told and the
 * claim is held for a day. Never a guess.
 *
 * Retries while the claim is held: a send the platform provably did not take (NotTakenError) is
 * tried again with backoff; one with an unknown outcome is tried again only where the platform
 * dedupes the key within its window (Discord). A send that fails for good releases the claim when
 * no try could have posted, and otherwise leaves it *sending* to lapse after one more lease (a
 * post still on its way lands first), for a look-up. A
 * platform that cannot look its posts up (the console) releases in both cases, as it has no
 * channel to post twice in.
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
      /** Looks up the post of an interrupted send; without it such a send is posted again. */
      readonly find?: FindDeliveryPost;
      /** Whether `find` can look for a target's posts (its platform keeps keys); default: yes. */
      readonly canFind?: (targetKey: string) => boolean;
      readonly defaults: DigestDefaults;
      /** Lease of a delivery claim before its send; default 2 minutes. */
      readonly claimLeaseMs?: number;
      readonly observer?: DeliveryObserver;
      /** Retries of sends the platform did not take; default 3 tries, 1 s then 4 s apart, jittered. */
      readonly retries?: Partial<SendRetryPolicy>;
      /** The thread opener of a target's platform, for digests with `/digest threads on`. */
      readonly threads?: (targetKey: string) => ThreadOpener | undefined;
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
      claim: new DeliveryClaim(
        this.deps.store.claims,
        targetKey,
        localDate,
        this.deps.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS,
        jobLog,
      ),
      log: jobLog,
      uncertain: false,
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
      job.log.warn(
        job.claim.sending
          ? "digest delivery abandoned at shutdown mid-send; its claim lapses for a look-up"
          : "digest delivery abandoned at shutdown; its claim is released for the next run",
      );
    }
    // A send still in flight may yet post: its claim lapses for a look-up rather than being released.
    await Promise.all(
      unfinished.map(({ job }) => job.claim.giveUp(job.claim.sending && this.#canFind(job.target))),
    );
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
    return this.#compose(
      plan,
      targetKey,
      localDate,
      await this.deps.store.ledger.deliveredPaperIds(targetKey),
      await this.#ratingsFor(plan, targetKey),
    );
  }

  async #deliver(job: Job): Promise<DeliveryOutcome> {
    const { claim } = job;
    const taken = await claim.take();
    if (!taken) {
      job.log.debug("digest already delivered or claimed by another attempt");
      return { status: "already-delivered" };
    }
    if (claim.abandoned) {
      // drain() gave back before this claim existed; give it back now, or it would hold the day for a lease.
      await claim.giveUp(taken.state === "sending");
      throw claim.abandonedError();
    }
    try {
      const outcome =
        taken.state === "sending" ? await this.#reconcile(job, taken) : await this.#deliverClaimed(job);
      await claim.reopen();
      return outcome;
    } catch (error) {
      await this.#giveUp(job);
      throw error;
    }
  }

  /**
   * A failed attempt gives its claim back: released when no try could have posted (or the
   * platform cannot look posts up), else left *sending* to lapse for a look-up.
   */
  async #giveUp(job: Job): Promise<void> {
    await job.claim.giveUp(job.claim.sending && job.uncertain && this.#canFind(job.target));
  }

  #canFind(targetKey: string): boolean {
    return this.deps.find !== undefined && (this.deps.canFind?.(targetKey) ?? true);
  }

  /**
   * The claim came back *sending*: its holder's lease ran out mid-send. Finds out on the platform
   * whether the post went out before doing anything (see the class comment).
   */
  async #reconcile(job: Job, taken: Extract<Taken, { state: "sending" }>): Promise<DeliveryOutcome> {
    const { claim } = job;
    const recorded = (await this.deps.store.ledger.view(job.target)).find(job.date);
    if (recorded) {
      await claim.complete(recorded.messageId);
      job.log.info(
        { messageId: recorded.messageId },
        "interrupted digest was already in the ledger; claim closed",
      );
      return { status: "already-delivered" };
    }
    const since = new Date(taken.sendingAt);
    let lookup: DeliveryLookup | undefined;
    try {
      lookup = await this.deps.find?.(job.target, claim.key, since);
    } catch (error) {
      return this.#unconfirmed(job, taken, error);
    }
    if (lookup === undefined) {
      job.log.warn("interrupted digest cannot be looked up on this platform; sending it again");
      return this.#deliverClaimed(job);
    }
    if (!lookup.found) {
      job.log.info(
        { scanned: lookup.scanned, since: since.toISOString() },
        "interrupted digest never reached the platform; sending it now",
      );
      return this.#deliverClaimed(job);
    }
    const detail = readDetail(taken.detail);
    await this.#record(job, detail?.paperIds ?? [], detail?.kind ?? "digest", lookup.messageId);
    await claim.complete(lookup.messageId);
    job.log.info(
      { messageId: lookup.messageId, papers: detail?.paperIds.length },
      "interrupted digest had reached the platform; recorded it, not sending again",
    );
    return { status: "reconciled", papers: detail?.paperIds.length ?? 0 };
  }

  /** The platform gave no answer: try again later, a bounded number of times, then tell the admin. */
  async #unconfirmed(
    job: Job,
    taken: Extract<Taken, { state: "sending" }>,
    error: unknown,
  ): Promise<DeliveryOutcome> {
    if (error instanceof DeliveryError && error.kind !== "transient") {
      // Gone, or closed to the bot: there is nowhere to post, and the post may be there for when
      // access comes back. The day is held, the failure counts as a send's would.
      job.log.warn(
        { err: error, kind: error.kind },
        "interrupted digest cannot be looked up: the channel is gone or closed to the bot; holding the day, not sending",
      );
      await job.claim.hold(UNCONFIRMED_HOLD_MS);
      await this.#failures.failed(job.target, error, job.log);
      return { status: "unconfirmed" };
    }
    const lookups = taken.takeovers;
    if (lookups < MAX_LOOKUPS) {
      job.log.warn(
        { err: error, lookup: lookups, of: MAX_LOOKUPS },
        "could not look an interrupted digest up on the platform; trying again later, not sending blind",
      );
      await job.claim.hold(LOOKUP_RETRY_MS);
      return { status: "unconfirmed" };
    }
    job.log.error(
      { err: error, lookups },
      "could not confirm an interrupted digest after every look-up; telling the admin, not sending",
    );
    await job.claim.hold(UNCONFIRMED_HOLD_MS);
    await this.#failures.unconfirmed(job.target, job.date, error, job.log);
    return { status: "unconfirmed" };
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
    const composed = this.#compose(
      plan,
      job.target,
      job.date,
      ledger.paperIds(),
      await this.#ratingsFor(plan, job.target),
    );
    const paperIds = composed.picks.map((pick) => pick.paper.id);

    if (paperIds.length === 0) {
      // Say "nothing new" once, then stay quiet until there is something new: a daily repeat is noise.
      const announce = plan.kind === "channel" && ledger.last()?.kind !== "nothing-new";
      const detail: SendingDetail = { kind: "nothing-new", paperIds: [] };
      const sent = announce ? await this.#sendOnce(job, composed.message, plan, detail) : {};
      await this.#record(job, [], "nothing-new", sent.messageId);
      await job.claim.complete(sent.messageId);
      job.log.info({ announced: announce, messageId: sent.messageId }, "digest had nothing new");
      return { status: "nothing-new", announced: announce };
    }
    const sent = await this.#sendOnce(job, composed.message, plan, { kind: "digest", paperIds });
    await this.#record(job, paperIds, "digest", sent.messageId);
    await job.claim.complete(sent.messageId);
    job.log.info({ papers: paperIds.length, messageId: sent.messageId }, "digest delivered");
    if (plan.threads && sent.messageId !== undefined) await this.#openThreads(job, composed, sent.messageId);
    return { status: "delivered", papers: paperIds.length };
  }

  /**
   * Marks the claim *sending*, then sends with the retries that cannot post twice. The claim stays
   * ours (renewed) through the retries, so no other attempt can send meanwhile; a failure is given
   * back by #deliver (see #giveUp).
   */
  async #sendOnce(
    job: Job,
    message: Message,
    plan: DeliveryPlan,
    detail: SendingDetail,
  ): Promise<{ readonly messageId?: string }> {
    await job.claim.markSending(JSON.stringify(detail));
    return sendWithRetries(() => this.#send(job, message, plan.failures), {
      policy: this.#retries,
      guard: job.claim,
      log: job.log,
      onRetry: () => this.deps.observer?.retried(job.platform),
    });
  }

  /**
   * One discussion thread per paper of a digest just posted (`/digest threads on`), after the
   * delivery is complete: a thread that fails to open never costs the digest, and the card's
   * Discuss button opens it later. A refusal (a permission taken away) stops the rest, logged once.
   */
  async #openThreads(job: Job, composed: ComposedDigest, postId: string): Promise<void> {
    const opener = this.deps.threads?.(job.target);
    const channelId = parseTargetKey(job.target)?.id;
    if (!opener || channelId === undefined) return;
    const cards = composed.message.cards;
    for (const card of cards) {
      try {
        const opened = await discussPaper(
          this.deps.store.threads,
          opener,
          { channelKey: job.target, channelId },
          card,
          { post: { id: postId, cards: cards.length } },
        );
        if (!opened.ok) {
          job.log.warn({ problem: opened.problem }, "digest threads not opened");
          return;
        }
      } catch (error) {
        job.log.warn({ err: error, paper: card.paperId }, "a digest thread could not be opened");
      }
    }
  }

  #compose(
    plan: DeliveryPlan,
    targetKey: string,
    localDate: string,
    delivered: ReadonlySet<string>,
    ratings: readonly RatedPaper[],
  ): ComposedDigest {
    const catalog = this.deps.catalog.current;
    const request = { localDate, size: plan.size, topics: plan.topics, delivered };
    return plan.kind === "channel"
      ? composeChannelDigest(catalog, request, { target: targetKey, votes: ratings })
      : composeTopicAlert(catalog, request, ratings);
  }

  /**
   * What the target's picks learn from: a person's own ratings, or the 👍/👎 given on a channel's
   * posts; nothing when an admin turned learning off (/digest learn off).
   */
  async #ratingsFor(plan: DeliveryPlan, targetKey: string): Promise<readonly RatedPaper[]> {
    if (!plan.learn) return [];
    if (plan.kind === "channel") return this.deps.store.channelVotes.ratings(targetKey);
    return (await personRatings(this.deps.store, targetKey)).learnedFrom;
  }

  /** One try, under the delivery's idempotency key; its outcome goes to the failure policy. */
  async #send(job: Job, message: Message, failuresBefore: number): Promise<{ readonly messageId?: string }> {
    try {
      const sent = await this.deps.send(job.target, message, { idempotencyKey: job.claim.key });
      await this.#failures.succeeded(job.target, failuresBefore);
      return sent;
    } catch (error) {
      // Only the platform's "not taken" and its refusals (gone, DMs closed) say nothing was posted.
      if (!(error instanceof NotTakenError || error instanceof DeliveryError)) job.uncertain = true;
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

/** The ledger entry a sending claim carries; `undefined` when it is missing or unreadable (then recorded as an empty digest). */
function readDetail(raw: string | undefined): SendingDetail | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<SendingDetail>;
    const paperIds = Array.isArray(value.paperIds)
      ? value.paperIds.filter((id) => typeof id === "string")
      : [];
    return { kind: value.kind === "nothing-new" ? "nothing-new" : "digest", paperIds };
  } catch {
    return undefined;
  }
}
