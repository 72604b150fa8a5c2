import { describeError, StoreError } from "./errors.ts";
import { KeyedMutex } from "./keyed-mutex.ts";
import { withTimeout } from "./timeout.ts";

/**
 * What every record kind shares: the clock, the per-key lock, and the one way to make a backend
 * call (bounded in time, failures turned into one-line StoreErrors that name STORE_URL).
 */
export class StoreCalls {
  readonly mutex = new KeyedMutex();
  #closed = false;

  constructor(
    /** STORE_URL with any password redacted. */
    readonly storeUrl: string,
    readonly timeoutMs: number,
    readonly now: () => Date,
  ) {}

  markClosed(): void {
    this.#closed = true;
  }

  async call<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreError(`store: ${what} failed: the store is closed`);
    try {
      return await withTimeout(work(), this.timeoutMs, what);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError(`store: ${what} failed: ${describeError(error)} (STORE_URL "${this.storeUrl}")`);
    }
  }

  nowIso(): string {
    return this.now().toISOString();
  }
}
