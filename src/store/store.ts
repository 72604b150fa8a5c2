import { log } from "../log.ts";
import { ChannelVoteStore, channelVotesKind } from "./channel-votes.ts";
import { channelKind } from "./channels.ts";
import { ClaimSweep } from "./claim-sweep.ts";
import { Claims } from "./claims.ts";
import { StoreOpenError } from "./errors.ts";
import { DeliveryLedger } from "./ledger.ts";
import { type OpenedKeyvs, openSqliteKeyvs } from "./open-sqlite.ts";
import { PaperSaverStore, paperSaversKind } from "./paper-savers.ts";
import { PaperThreadStore, paperThreadsKind } from "./paper-threads.ts";
import { RatingStore, ratingsKind } from "./ratings.ts";
import { ReadingListStore, readingListKind } from "./reading-lists.ts";
import { RecordCollection } from "./record-collection.ts";
import { SavedPaperStore, savedPapersKind } from "./saved-papers.ts";
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
  /**
   * Put before every namespace and claim key, so that several bots, or parallel test runs, can
   * share one Redis or PostgreSQL server without seeing each other's records. Letters, digits,
   * "_", "." and "-" only (e.g. `run42-`). Default none.
   */
  readonly keyPrefix?: string;
}

// The ledger is not a keyv namespace: its day records need an atomic "write if absent" (ledger.ts).
const namespaces = [
  "channels",
  "subscriptions",
  "saved",
  "savers",
  "readinglists",
  "ratings",
  "channelVotes",
  "threads",
] as const;
type Namespace = (typeof namespaces)[number];

/**
 * The bot's state: channel settings, user subscriptions, saved papers and their savers, channels'
 * reading lists, ratings and channels' votes, paper threads and the delivery ledger.
 */
export class Store {
  readonly channels: RecordCollection<ChannelSettings>;
  readonly subscriptions: SubscriptionStore;
  /** Each person's saved papers (/papers save). */
  readonly saved: SavedPaperStore;
  /** Who keeps each paper saved: "saved by N people" in one read per paper. */
  readonly savers: PaperSaverStore;
  /** Each channel's reading list (/digest list). */
  readonly readingLists: ReadingListStore;
  /** Each person's 👍/👎 ratings (/papers rate), their own only. */
  readonly ratings: RatingStore;
  /** The 👍/👎 pressed on each channel's posts, which its profile learns from (/digest learn). */
  readonly channelVotes: ChannelVoteStore;
  /** Which discussion thread belongs to which (channel, paper) (the Discuss button). */
  readonly threads: PaperThreadStore;
  readonly ledger: DeliveryLedger;
  /** Atomic claims with a lease, shared by every process on this store: what makes a delivery happen once. */
  readonly claims: Claims;
  readonly #claimSweep: ClaimSweep;
  readonly #disconnect: () => Promise<void>;
  #counting: Promise<void> | undefined;

  constructor(
    opened: OpenedKeyvs<Namespace>,
    private readonly calls: StoreCalls,
  ) {
    this.channels = new RecordCollection(opened.keyvs.channels, channelKind, calls);
    this.subscriptions = new SubscriptionStore(opened.keyvs.subscriptions, subscriptionKind, calls);
    this.savers = new PaperSaverStore(opened.keyvs.savers, paperSaversKind, calls);
    this.saved = new SavedPaperStore(opened.keyvs.saved, savedPapersKind, calls, this.savers);
    this.readingLists = new ReadingListStore(opened.keyvs.readinglists, readingListKind, calls);
    this.ratings = new RatingStore(opened.keyvs.ratings, ratingsKind, calls);
    this.channelVotes = new ChannelVoteStore(opened.keyvs.channelVotes, channelVotesKind, calls);
    this.threads = new PaperThreadStore(opened.keyvs.threads, paperThreadsKind, calls);
    this.ledger = new DeliveryLedger(opened.ledger, calls);
    this.claims = new Claims(opened.claims, calls);
    this.#claimSweep = new ClaimSweep(this.claims);
    this.#disconnect = async () => {
      await opened.claims.close();
      await opened.close();
    };
  }

  /** STORE_URL with any password redacted, for status output and logs. */
  get url(): string {
    return this.calls.storeUrl;
  }

  /**
   * Deletes expired claims now and every few hours until close (see claim-sweep.ts); openStore
   * starts it. Resolves when the first sweep is done; never rejects.
   */
  startClaimSweep(): Promise<void> {
    return this.#claimSweep.start();
  }

  /**
   * Counts who keeps each paper saved from every saved list, once per store (see
   * PaperSaverStore.countOnce); openStore starts it. Never rejects: a failure is logged and the
   * next start tries again.
   */
  countSaversOnce(): Promise<void> {
    this.#counting ??= this.savers
      .countOnce(() => this.saved.list())
      .catch((error: unknown) => {
        log.warn(
          { err: error },
          "store: could not count the savers of saved papers; the next start tries again",
        );
      });
    return this.#counting;
  }

  /** Closes the database; later calls fail with "the store is closed". */
  async close(): Promise<void> {
    await this.#claimSweep.stop();
    // A count in progress finishes first: cut short, it would be logged as a failure.
    await this.#counting;
    this.calls.markClosed();
    await this.#disconnect();
  }
}

/**
 * Opens the store named by STORE_URL: `sqlite://relative.sqlite` or `sqlite:///absolute.sqlite`
 * (creating the file and its folder when missing), `redis://…` / `rediss://…`, or
 * `postgres://…` / `postgresql://…`. Fails with one StoreOpenError line naming STORE_URL (password
 * redacted) when the URL is not supported or the database cannot be opened or reached.
 */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const shownUrl = redactStoreUrl(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const keyPrefix = options.keyPrefix ?? "";
  // keyv strips a namespace by cutting at the first ":", so a namespace must not contain one.
  if (!/^[A-Za-z0-9_.-]*$/.test(keyPrefix))
    throw new StoreOpenError(
      `store: keyPrefix "${keyPrefix}" may only use letters, digits, "_", "." and "-"`,
    );
  const location = parseStoreUrl(url);
  const opened = await (() => {
    switch (location.scheme) {
      case "sqlite":
        return openSqliteKeyvs(
          location.path,
          namespaces,
          { busyTimeoutMs: options.busyTimeoutMs ?? 5_000, timeoutMs, keyPrefix },
          shownUrl,
        );
      // The server drivers load only when a server is named, so the default (a SQLite file)
      // never pays for node-redis and pg at start-up.
      case "redis":
        return import("./open-redis.ts").then(({ openRedisKeyvs }) =>
          openRedisKeyvs(location.url, namespaces, { timeoutMs, keyPrefix }, shownUrl),
        );
      case "postgres":
        return import("./open-postgres.ts").then(({ openPostgresKeyvs }) =>
          openPostgresKeyvs(location.url, namespaces, { timeoutMs, keyPrefix }, shownUrl),
        );
    }
  })();
  const store = new Store(opened, new StoreCalls(shownUrl, timeoutMs, options.now ?? (() => new Date())));
  // Housekeeping never delays start-up (a locked database would hold it for the busy timeout).
  void store.startClaimSweep();
  void store.countSaversOnce();
  return store;
}
