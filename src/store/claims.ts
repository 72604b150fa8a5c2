import { StoreError } from "./errors.ts";
import type { StoreCalls } from "./store-calls.ts";

/**
 * How long a completed claim is kept. The scheduler only ever delivers a target's *current*
 * local date (the catch-up run included), and a local date lasts at most 26 hours in any zone,
 * so after this nobody asks for that claim again; the ledger stays the record of what was sent.
 * A claim left *sending* is kept this long after its send began, for a reconcile to find.
 */
export const COMPLETED_CLAIM_RETENTION_MS = 8 * 24 * 60 * 60 * 1000;

/**
 * How long a lapsed *claimed* claim is kept at least, for every live process to see it among
 * `lapsed()` even while its takeover checks are slow (a busy machine, a long fan-out).
 */
export const LAPSED_CLAIM_KEEP_MS = 10 * 60 * 1000;

/** How long a claim under a lease of `leaseMs` is kept from now: its lease, then LAPSED_CLAIM_KEEP_MS or the lease again. */
export function keptForMs(leaseMs: number): number {
  return leaseMs + Math.max(leaseMs, LAPSED_CLAIM_KEEP_MS);
}

/** How many lapsed claims one `lapsed()` call returns at most. */
export const LAPSED_PAGE = 1000;

/**
 * Where a piece of exactly-once work stands:
 * - `claimed`: held under a lease, nothing sent yet;
 * - `sending`: the send may have begun (written before its first byte goes out), since `sendingAt`;
 * - `sent`: done, with the platform's message id when it gave one; kept for the retention.
 * Claims written before these states existed read as `legacy`: held until they expire, as then.
 */
export type ClaimState = "claimed" | "sending" | "sent" | "legacy";

/** A state as a backend stored it: anything but the three states is a claim from before them. */
export function claimStateOf(stored: unknown): ClaimState {
  return stored === "claimed" || stored === "sending" || stored === "sent" ? stored : "legacy";
}

/** One claim as stored, for reconciles, status and tests. */
export interface ClaimRecord {
  readonly holder: string;
  readonly state: ClaimState;
  /** Lease end (claimed, sending) or retention end (sent, legacy), ms since the epoch. */
  readonly expiresAt: number;
  readonly sendingAt?: number;
  readonly messageId?: string;
  /** What the holder wrote when it began sending (the delivery's record to be), verbatim. */
  readonly detail?: string;
  /** How many times the claim was taken over while *sending*: each takeover is one reconcile. */
  readonly takeovers: number;
}

/** What `take` got: a fresh claim, or a send begun by a holder whose lease ran out. */
export type Taken =
  | { readonly state: "claimed" }
  | {
      readonly state: "sending";
      readonly sendingAt: number;
      readonly detail: string | undefined;
      readonly takeovers: number;
    };

/**
 * One backend's atomic operations on claims. Each method is a single atomic step on the server
 * (one SQL statement, one Redis script), so processes sharing the store agree on who holds what
 * without any lock of our own. Every "if `holder` still has it" also holds after the lease ran
 * out, as long as nobody took the claim over.
 */
export interface ClaimBackend {
  /**
   * Takes the claim when nobody holds it or the holder's lease has run out; `undefined` when
   * someone holds it or it is sent. A claim taken over while *sending* stays *sending* (same
   * `sendingAt` and `detail`, one more takeover): the new holder must reconcile before sending.
   */
  take(key: string, holder: string, leaseMs: number): Promise<Taken | undefined>;
  /** Extends the lease of a claim `holder` still has and has not completed. */
  renew(key: string, holder: string, leaseMs: number): Promise<boolean>;
  /**
   * Moves the claim to *sending* (keeping the first `sendingAt`) with a fresh lease and `detail`,
   * if `holder` still has it and it is not sent.
   */
  markSending(key: string, holder: string, leaseMs: number, detail: string): Promise<boolean>;
  /** Makes the claim *sent* (kept for COMPLETED_CLAIM_RETENTION_MS) if `holder` still has it. */
  complete(key: string, holder: string, messageId?: string): Promise<boolean>;
  /** Gives the claim up, completed or not, if `holder` still has it. */
  release(key: string, holder: string): Promise<boolean>;
  /** The claim as stored, `undefined` when there is none (or it expired away). */
  read(key: string): Promise<ClaimRecord | undefined>;
  /**
   * Keys of up to LAPSED_PAGE claims whose lease ran out while *claimed* or *sending*: work a
   * holder left. A lapsed *claimed* claim is kept (and listed) for `keptForMs(lease)`, a
   * *sending* one for the retention after its send began, so every live process gets to see it.
   */
  lapsed(): Promise<readonly string[]>;
  /** Deletes the claims past their keeping (one statement); how many went. Redis expires its own. */
  removeExpired(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Exactly-once work across processes: `claim` lets one holder in, the lease frees the claim of a
 * holder that died, `markSending` says a send is about to begin, `complete` closes it for good,
 * `release` reopens it after a failure. A holder must be unique per attempt (process id +
 * random), not per process: two attempts in one process must not mistake each other's claim
 * for their own.
 */
export class Claims {
  constructor(
    private readonly backend: ClaimBackend,
    private readonly calls: StoreCalls,
  ) {}

  /** `true` when this holder now has the claim for `leaseMs`; `false` when someone else has it. */
  claim(key: string, holder: string, leaseMs: number): Promise<boolean> {
    return this.take(key, holder, leaseMs).then((taken) => taken !== undefined);
  }

  /** As `claim`, saying whether the claim came back *sending* (a send to reconcile). */
  take(key: string, holder: string, leaseMs: number): Promise<Taken | undefined> {
    checkArguments(key, holder);
    checkLease(leaseMs);
    return this.calls.call(`claiming "${key}"`, () => this.backend.take(key, holder, leaseMs));
  }

  /** A heartbeat: `false` when the holder lost the claim (the work must stop) or it is sent. */
  renew(key: string, holder: string, leaseMs: number): Promise<boolean> {
    checkArguments(key, holder);
    checkLease(leaseMs);
    return this.calls.call(`renewing the claim "${key}"`, () => this.backend.renew(key, holder, leaseMs));
  }

  /**
   * Written before a send's first byte: from now on a takeover reconciles instead of sending
   * blind. `false` when the holder had lost the claim: the send must not go ahead.
   */
  markSending(key: string, holder: string, leaseMs: number, detail: string): Promise<boolean> {
    checkArguments(key, holder);
    checkLease(leaseMs);
    return this.calls.call(`marking the claim "${key}" as sending`, () =>
      this.backend.markSending(key, holder, leaseMs, detail),
    );
  }

  /**
   * Keeps the claim past its lease so nobody claims it again; `false` when the holder had lost it
   * (the lease ran out and another holder took over).
   */
  complete(key: string, holder: string, messageId?: string): Promise<boolean> {
    checkArguments(key, holder);
    return this.calls.call(`completing the claim "${key}"`, () =>
      this.backend.complete(key, holder, messageId),
    );
  }

  /** Frees the claim for another try; `false` when this holder did not have it. */
  release(key: string, holder: string): Promise<boolean> {
    checkArguments(key, holder);
    return this.calls.call(`releasing the claim "${key}"`, () => this.backend.release(key, holder));
  }

  read(key: string): Promise<ClaimRecord | undefined> {
    if (key === "") throw new StoreError("store: a claim needs a key");
    return this.calls.call(`reading the claim "${key}"`, () => this.backend.read(key));
  }

  /** Keys of work whose holder's lease ran out before it finished (see ClaimBackend.lapsed). */
  lapsed(): Promise<readonly string[]> {
    return this.calls.call("listing lapsed claims", () => this.backend.lapsed());
  }

  /**
   * Deletes every claim past its keeping: completed claims past their retention, leases nobody
   * completed once their keeping (keptForMs) is over, *sending* claims past the retention. Returns how many
   * were deleted. The store runs this itself (see claim-sweep.ts).
   */
  removeExpired(): Promise<number> {
    return this.calls.call("removing expired claims", () => this.backend.removeExpired());
  }
}

function checkArguments(key: string, holder: string): void {
  if (key === "") throw new StoreError("store: a claim needs a key");
  if (holder === "") throw new StoreError(`store: the claim "${key}" needs a holder`);
}

function checkLease(leaseMs: number): void {
  if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0)
    throw new StoreError(`store: a claim lease must be a positive whole number of ms, got ${leaseMs}`);
}
