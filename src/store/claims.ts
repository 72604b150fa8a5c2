import { StoreError } from "./errors.ts";
import type { StoreCalls } from "./store-calls.ts";

/**
 * How long a completed claim is kept. The scheduler only ever delivers a target's *current*
 * local date (the catch-up run included), and a local date lasts at most 26 hours in any zone,
 * so after this nobody asks for that claim again; the ledger stays the record of what was sent.
 */
export const COMPLETED_CLAIM_RETENTION_MS = 8 * 24 * 60 * 60 * 1000;

/**
 * One backend's atomic operations on claims. Each method is a single atomic step on the server
 * (one SQL statement, one Redis command or script), so processes sharing the store agree on who
 * holds what without any lock of our own.
 */
export interface ClaimBackend {
  /** Takes the claim when nobody holds it or the holder's lease has run out. */
  claim(key: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Makes the claim permanent (for COMPLETED_CLAIM_RETENTION_MS) if `holder` still has it. */
  complete(key: string, holder: string): Promise<boolean>;
  /** Gives the claim up, completed or not, if `holder` still has it. */
  release(key: string, holder: string): Promise<boolean>;
  /** Deletes the claims whose expiry has passed (one statement); how many went. Redis expires its own. */
  removeExpired(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Exactly-once work across processes: `claim` lets one holder in, the lease frees the claim of a
 * holder that died, `complete` closes it for good, `release` reopens it after a failure.
 * A holder must be unique per attempt (process id + random), not per process: two attempts in one
 * process must not mistake each other's claim for their own.
 */
export class Claims {
  constructor(
    private readonly backend: ClaimBackend,
    private readonly calls: StoreCalls,
  ) {}

  /** `true` when this holder now has the claim for `leaseMs`; `false` when someone else has it. */
  claim(key: string, holder: string, leaseMs: number): Promise<boolean> {
    checkArguments(key, holder);
    if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0)
      throw new StoreError(`store: a claim lease must be a positive whole number of ms, got ${leaseMs}`);
    return this.calls.call(`claiming "${key}"`, () => this.backend.claim(key, holder, leaseMs));
  }

  /**
   * Keeps the claim past its lease so nobody claims it again; `false` when the holder had lost it
   * (the lease ran out and another holder took over), in which case the work must not go ahead.
   */
  complete(key: string, holder: string): Promise<boolean> {
    checkArguments(key, holder);
    return this.calls.call(`completing the claim "${key}"`, () => this.backend.complete(key, holder));
  }

  /** Frees the claim for another try; `false` when this holder did not have it. */
  release(key: string, holder: string): Promise<boolean> {
    checkArguments(key, holder);
    return this.calls.call(`releasing the claim "${key}"`, () => this.backend.release(key, holder));
  }

  /**
   * Deletes every claim whose expiry has passed: completed claims past their retention, and
   * leases nobody completed. Either is as good as absent already (a claim takes it over), except
   * that a holder can no longer `complete` a lease it let run out: it gets `false` and does not
   * send, and the next run delivers. Returns how many were deleted. The store runs this itself
   * (see claim-sweep.ts).
   */
  removeExpired(): Promise<number> {
    return this.calls.call("removing expired claims", () => this.backend.removeExpired());
  }
}

function checkArguments(key: string, holder: string): void {
  if (key === "") throw new StoreError("store: a claim needs a key");
  if (holder === "") throw new StoreError(`store: the claim "${key}" needs a holder`);
}
