import { createTask, type ScheduledTask } from "node-cron";
import { commands, notices } from "../commands/index.ts";
import { buildCatalog, LiveCatalog } from "./catalog/index.ts";
import { CommandRouter } from "./command-kit/router.ts";
import type { Config } from "./config.ts";
import { type Platform, parseTargetKey } from "./core/target.ts";
import {
  type CorpusLoadResult,
  type CorpusWatcher,
  loadCorpus,
  splitSpec,
  watchCorpus,
} from "./corpus/index.ts";
import { refreshSourcesOf } from "./corpus/load-corpus.ts";
import { CorpusSources, isSourceUrl, userAgent } from "./corpus/sources/index.ts";
import { DigestService, parseDeliveryKey } from "./digest/digest-service.ts";
import { Outbox } from "./digest/outbox.ts";
import { scheduledTargets } from "./digest/plan.ts";
import { announceFailingSources } from "./digest/source-failure-notice.ts";
import { log } from "./log.ts";
import { AppMetrics, type MetricsServer, startMetricsServer } from "./metrics/index.ts";
import { DigestScheduler, TickCoordinator } from "./schedule/index.ts";
import { TAKEOVER_EVERY_MS, Takeover } from "./schedule/takeover.ts";
import { WorkerDeltaBuilder } from "./search/index.ts";
import type { Services } from "./services.ts";
import { IndexSnapshots } from "./snapshot/index.ts";
import { openStore } from "./store/index.ts";

/** How long shutdown waits for deliveries in flight before it gives them up and releases their claims. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

const allPlatforms: readonly Platform[] = ["console", "discord", "slack"];

/**
 * A process's part of the targets of the platforms it runs, when several processes split them
 * (each Discord shard delivers for the servers it holds). `name` tells the shares apart.
 */
export interface TargetShare {
  readonly name: string;
  serves(target: { readonly key: string; readonly guildId?: string }): boolean;
}

/**
 * Builds the core from the configuration: corpus, index, store, digests and scheduler. Platforms
 * register with the outbox and take the router; nothing here knows which platforms exist.
 */
export interface App {
  readonly services: Services;
  readonly router: CommandRouter;
  readonly outbox: Outbox;
  /** Installs the cron jobs, makes up today's missed runs, and starts watching the corpus. */
  start(): Promise<void>;
  /** Re-reads the corpus and swaps the new catalog in; commands in flight finish on the old one. */
  reloadCorpus(reason: string): Promise<void>;
  /** The live sources of CORPUS; `sources.status()` is what /digest status shows about them. */
  readonly sources: CorpusSources;
  /**
   * Fetches the http(s) sources now and, when some brought changes, merges their papers into the
   * catalog (no file is read again, the search index is not rebuilt).
   */
  refreshSources(): Promise<void>;
  /**
   * Stops taking new work (cron jobs, corpus refreshes, new deliveries) and lets the deliveries
   * in flight finish within the shutdown grace; those still running then are abandoned and their
   * claims released. The store stays open. Safe to call more than once.
   */
  drain(): Promise<void>;
  /** drain(), then closes the store and the metrics endpoint. */
  stop(): Promise<void>;
  /** Counters and histograms of this app, on a registry of its own. */
  readonly metrics: AppMetrics;
  /** The metrics endpoint once start() opened it (METRICS_PORT or the metricsPort option), else undefined. */
  metricsServer(): MetricsServer | undefined;
}

export async function createApp(
  config: Config,
  options: {
    readonly now?: () => Date;
    readonly sources?: CorpusSources;
    /** Where merges build the index's delta segments; default a WorkerDeltaBuilder of the app's own. */
    readonly deltaBuilder?: WorkerDeltaBuilder;
    /** Bound on the wait for deliveries in flight at shutdown (default DEFAULT_SHUTDOWN_GRACE_MS). */
    readonly shutdownGraceMs?: number;
    /** Overrides METRICS_PORT; 0 lets the system choose a free port (tests). */
    readonly metricsPort?: number;
    /** This process's part of its platforms' targets, when processes split them (Discord shards). */
    readonly share?: TargetShare;
    /** Where the index snapshot lives; default data/cache/index under the working directory. */
    readonly snapshotDir?: string;
  } = {},
): Promise<App> {
  const now = options.now ?? (() => new Date());
  const sources =
    options.sources ?? new CorpusSources({ now, fetch: { userAgent: userAgent(config.SOURCE_CONTACT) } });
  const sourceUrls = splitSpec(config.CORPUS).filter(isSourceUrl);
  // A snapshot of the same corpus on disk stands in for loading it and building the index.
  const snapshots = new IndexSnapshots({
    cwd: process.cwd(),
    sourcesCacheDir: sources.cacheDir,
    ...(options.snapshotDir !== undefined && { dir: options.snapshotDir }),
  });
  const starting = await snapshots.start(config.CORPUS);
  let corpus: CorpusLoadResult = starting.restored?.corpus ?? (await loadCorpus(config.CORPUS, { sources }));
  // Merges of refreshed sources build the index's delta in a worker thread, away from the commands.
  const deltaBuilder = options.deltaBuilder ?? new WorkerDeltaBuilder();
  const catalog = new LiveCatalog(starting.restored?.catalog ?? buildCatalog(corpus.papers), {
    deltaBuilder,
    onChange: (next) => snapshots.offer(next),
  });
  if (starting.restored === undefined) {
    snapshots.track(corpus, starting.fingerprint);
    snapshots.offer(catalog.current);
  }
  log.info({ papers: corpus.papers.length, files: corpus.files.length }, "corpus loaded");

  const store = await openStore(config.STORE_URL, { now });
  const outbox = new Outbox();
  const defaults = {
    time: config.DIGEST_DEFAULT_TIME,
    timezone: config.DIGEST_DEFAULT_TIMEZONE,
    size: config.DIGEST_DEFAULT_SIZE,
  };
  const metrics = new AppMetrics(() => catalog.current.papers.length);
  const metricsPort = options.metricsPort ?? config.METRICS_PORT;
  let metricsServer: MetricsServer | undefined;
  let started = false;
  const claimLeaseMs = config.DIGEST_CLAIM_LEASE_SECONDS * 1000;
  const digests = new DigestService({
    catalog,
    claimLeaseMs,
    store,
    send: outbox.send,
    find: (targetKey, key, since) => outbox.find(targetKey, key, since),
    canFind: (targetKey) => outbox.canFind(targetKey),
    threads: (targetKey) => outbox.threads(targetKey),
    defaults,
    observer: metrics.deliveries,
  });

  // Of the processes on one store that serve the same platforms, one runs each cron tick.
  // Processes that split one platform's targets (Discord shards) add their share's name: shard 1's
  // tick is not shard 0's.
  const ticks = new TickCoordinator(store.claims, {
    leaseMs: Math.ceil(claimLeaseMs / 2),
    scope: () =>
      allPlatforms.filter((platform) => outbox.has(platform)).join("+") +
      (options.share ? `@${options.share.name}` : ""),
  });
  const scheduler = new DigestScheduler({
    now,
    coordinator: ticks,
    // Only targets of platforms running in this process: a Discord channel is not "due" on a console-only run.
    listTargets: () =>
      scheduledTargets(store, defaults, (key, guildId) => {
        const platform = parseTargetKey(key)?.platform;
        const inShare = options.share?.serves({ key, ...(guildId !== undefined && { guildId }) }) ?? true;
        return platform !== undefined && outbox.has(platform) && inShare;
      }),
    hasDelivered: (key, localDate) => store.ledger.hasDelivery(key, localDate),
    async deliver(key, localDate) {
      await digests.deliver(key, localDate);
    },
  });

  // A process that dies mid-fan-out leaves lapsed claims; the others take them over (takeover.ts).
  const takeover = new Takeover({
    claims: store.claims,
    ticks,
    sweep: () => scheduler.sweepNow(),
    serves: (key) => {
      const platform = parseTargetKey(parseDeliveryKey(key)?.targetKey ?? "")?.platform;
      return platform !== undefined && outbox.has(platform);
    },
    async deliver(key) {
      const delivery = parseDeliveryKey(key);
      if (delivery) await digests.deliver(delivery.targetKey, delivery.localDate);
    },
    everyMs: Math.min(TAKEOVER_EVERY_MS, Math.ceil(claimLeaseMs / 8)),
  });

  const services: Services = { catalog, sources, store, digests, scheduler, defaults, now };
  const router = new CommandRouter(commands, notices, metrics.commands);
  let watcher: CorpusWatcher | undefined;
  let refreshTask: ScheduledTask | undefined;
  const stopping = new AbortController();

  // Full reloads and source merges both move `corpus` on from its last value: one at a time.
  let corpusWork: Promise<void> = Promise.resolve();
  function oneAtATime(work: () => Promise<void>): Promise<void> {
    const run = corpusWork.then(work);
    corpusWork = run.catch(() => undefined);
    return run;
  }

  function reloadCorpus(reason: string): Promise<void> {
    return oneAtATime(() => reloadAll(reason));
  }

  async function reloadAll(reason: string): Promise<void> {
    try {
      const fingerprint = await snapshots.fingerprint(config.CORPUS);
      corpus = await loadCorpus(config.CORPUS, { previous: corpus, sources });
      snapshots.track(corpus, fingerprint);
      catalog.replace(buildCatalog(corpus.papers));
      log.info({ papers: corpus.papers.length, reason }, "corpus reloaded");
    } catch (error) {
      // A reload never takes papers away: the catalog in use stays until a good one replaces it.
      log.error({ err: error, reason }, "corpus reload failed; keeping the papers already loaded");
    }
  }

  /**
   * Merges just the papers of the sources a refresh changed (held in memory by `sources`) into the
   * catalog's delta, in slices, without reading any file or rebuilding the index.
   */
  function mergeSources(changed: readonly string[]): Promise<void> {
    return oneAtATime(async () => {
      try {
        // Taken before the sources are read: a snapshot never claims papers newer than its fingerprint.
        const fingerprint = snapshots.withSourcesNow(snapshots.tracked);
        const next = await refreshSourcesOf(corpus, changed, sources);
        if (next === undefined) return await reloadAll("sources refreshed");
        corpus = next;
        snapshots.track(next, await fingerprint);
        await catalog.merge(next.papers);
        log.info({ papers: next.papers.length, sources: changed }, "source papers merged");
      } catch (error) {
        log.error({ err: error }, "merging source papers failed; keeping the papers already loaded");
      }
    });
  }

  let draining: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  function drain(): Promise<void> {
    draining ??= (async () => {
      // No new work from here on, synchronously: no cron tick, no source refresh, no new delivery.
      stopping.abort();
      const schedulerStopped = scheduler.stop();
      const takeoverStopped = takeover.stop();
      ticks.stop();
      const digestsDrained = digests.drain(options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      await refreshTask?.destroy();
      await watcher?.close();
      // The scheduler's runs end as their deliveries finish, fail or are abandoned.
      await digestsDrained;
      await schedulerStopped;
      await takeoverStopped;
    })();
    return draining;
  }

  const logRefreshError = (error: unknown) => log.error({ err: error }, "corpus refresh failed");

  async function refreshSources(): Promise<void> {
    if (sourceUrls.length === 0 || stopping.signal.aborted) return;
    // A source with a new body may bring new papers to index: the delta worker starts meanwhile
    // (not once the app is stopping: stop() may have ended it already).
    const { changed, failed } = await sources.refresh(sourceUrls, stopping.signal, () => {
      if (!stopping.signal.aborted) deltaBuilder.prestart();
    });
    if (failed.length > 0) log.warn({ failed }, "some corpus sources failed; their papers are kept");
    if (changed.length > 0 && !stopping.signal.aborted) await mergeSources(changed);
    // Admins hear of a source failing for 24 hours, once per run of failures.
    if (!stopping.signal.aborted) await announceFailingSources({ sources, store, outbox, now });
  }

  return {
    services,
    router,
    outbox,
    reloadCorpus,
    sources,
    refreshSources,
    metrics,
    metricsServer: () => metricsServer,
    async start() {
      if (metricsPort !== undefined && metricsServer === undefined) {
        // Listening first: a port in use stops start-up before any delivery, and /healthz says 503 until started.
        metricsServer = await startMetricsServer({
          port: metricsPort,
          host: config.METRICS_HOST,
          metrics,
          healthy: () => started && !stopping.signal.aborted,
        });
        // A stop that began while the port was being bound found no server to close.
        if (stopped) await metricsServer.close();
      }
      await scheduler.start();
      takeover.start();
      if (sourceUrls.length > 0 && refreshTask === undefined) {
        refreshTask = createTask(config.CORPUS_REFRESH, () => refreshSources().catch(logRefreshError), {
          name: "corpus refresh",
          noOverlap: true,
        });
        refreshTask.start();
        // Sources read from the cache at start-up may be hours old: catch up now, without blocking start.
        void refreshSources().catch(logRefreshError);
      }
      if (config.CORPUS_WATCH) {
        const watching = watchCorpus(config.CORPUS, {}, () => reloadCorpus("file changed"));
        watcher = watching;
        // Ready means every corpus file is being watched: a change from now on is seen.
        await watching.ready;
      }
      started = true;
    },
    drain,
    stop() {
      stopped ??= drain()
        .then(async () => {
          await Promise.all([store.close(), deltaBuilder.close(), snapshots.close()]);
        })
        .finally(() => Promise.all([sources.close(), metricsServer?.close()]));
      return stopped;
    },
  };
}
