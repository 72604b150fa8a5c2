import type { Keyv } from "keyv";
import { channelKind } from "./channels.ts";
import { StoreOpenError } from "./errors.ts";
import { DeliveryLedger } from "./ledger.ts";
import { openSqliteKeyvs } from "./open-sqlite.ts";
import { RecordCollection } from "./record-collection.ts";
import type { ChannelSettings } from "./schemas.ts";
import { StoreCalls } from "./store-calls.ts";
import { parseStoreUrl, redactStoreUrl } from "./store-url.ts";
import { SubscriptionStore, subscriptionKind } from "./subscriptions.ts";

export interface StoreOptions {
  /** Bound on every store call; past it the call fails with a clear error instead of hanging. Default 10 s. */
  readonly timeoutMs?: number;
  /** How long SQLite waits for a lock held by another connection or process. Default 5 s. */
  readonly busyTimeoutMs?: number;
  /** The clock for `updatedAt` and `addedAt`. */
  readonly now?: () => Date;
}

const namespaces = ["channels", "subscriptions", "ledger"] as const;
type Namespace = (typeof namespaces)[number];

/** The bot's state: channel settings, user subscriptions and the delivery ledger. */
export class Store {
  readonly channels: RecordCollection<ChannelSettings>;
  readonly subscriptions: SubscriptionStore;
  readonly ledger: DeliveryLedger;

  constructor(
    keyvs: Record<Namespace, Keyv<unknown>>,
    private readonly calls: StoreCalls,
    private readonly disconnect: () => Promise<void>,
  ) {
    this.channels = new RecordCollection(keyvs.channels, channelKind, calls);
    this.subscriptions = new SubscriptionStore(keyvs.subscriptions, subscriptionKind, calls);
    this.ledger = new DeliveryLedger(keyvs.ledger, calls);
  }

  /** STORE_URL with any password redacted, for status output and logs. */
  get url(): string {
    return this.calls.storeUrl;
  }

  /** Closes the database; later calls fail with "the store is closed". */
  async close(): Promise<void> {
    this.calls.markClosed();
    await this.disconnect();
  }
}

/**
 * Opens the store named by STORE_URL (`sqlite://relative.sqlite` or `sqlite:///absolute.sqlite`),
 * creating the file and its folder when missing. Fails with one StoreOpenError line naming
 * STORE_URL when the URL is not supported or the database cannot be opened.
 */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const shownUrl = redactStoreUrl(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const location = parseStoreUrl(url);
  switch (location.scheme) {
    case "sqlite": {
      const opened = await openSqliteKeyvs(
        location.path,
        namespaces,
        { busyTimeoutMs: options.busyTimeoutMs ?? 5_000, timeoutMs },
        shownUrl,
      );
      const calls = new StoreCalls(shownUrl, timeoutMs, options.now ?? (() => new Date()));
      return new Store(opened.keyvs, calls, opened.close);
    }
    default:
      throw new StoreOpenError(`STORE_URL "${shownUrl}": unsupported store`);
  }
}
