import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { CorpusSources } from "../../src/corpus/sources/index.ts";
import { log } from "../../src/log.ts";
import { consoleChannels, consoleInvoker } from "../../src/platforms/console/console-channel.ts";
import { defaultChannelSettings } from "../../src/store/index.ts";
import { ownRecords } from "../fakes/paper-feeds/feed-fixtures.ts";
import { type FeedServer, startFeedServer } from "../fakes/paper-feeds/feed-server.ts";
import type { SentMessage } from "../support/test-app.ts";

log.level = "silent";

const HOUR = 60 * 60 * 1000;
const PAPER = {
  id: "2507.00001",
  title: "First Paper",
  abstract: "We propose a method. It beats every baseline we tried on three benchmarks.",
};
const DOWN = { status: 503, body: "down for maintenance" };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  readonly server: FeedServer;
  readonly url: string;
  readonly dir: string;
  clock: Date;
  advance(hours: number): void;
}

async function harness(): Promise<Harness> {
  const server = await startFeedServer();
  const dir = await mkdtemp(path.join(tmpdir(), "source-notice-"));
  cleanups.push(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  server.serve("/daily", { body: ownRecords([PAPER], "json") });
  const state: Harness = {
    server,
    url: server.url("/daily"),
    dir,
    clock: new Date("2026-11-25T08:00:00Z"),
    advance(hours) {
      state.clock = new Date(state.clock.getTime() + hours * HOUR);
      vi.setSystemTime(state.clock);
    },
  };
  // The store's claims count their leases by the system clock: it moves with the test's.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(state.clock);
  return state;
}

/** The real app on the feed, with the console and Slack senders recorded at the platform boundary. */
async function startApp(h: Harness, sent: SentMessage[], cacheName = "cache"): Promise<App> {
  const now = () => h.clock;
  const config = loadConfig({
    CORPUS: h.url,
    CORPUS_WATCH: "false",
    STORE_URL: `sqlite://${path.join(h.dir, "store.sqlite")}`,
  });
  const sources = new CorpusSources({
    cacheDir: path.join(h.dir, cacheName),
    now,
    fetch: { timeoutMs: 2_000, retries: 0, backoffMs: 5 },
  });
  const app = await createApp(config, { now, sources });
  cleanups.push(() => app.stop());
  for (const platform of ["console", "slack"] as const) {
    app.outbox.register(platform, async (target, message) => {
      sent.push({ target, message });
      return {};
    });
  }
  return app;
}

/** Admins: "you" on the console, U1 with two Slack channels, and a Discord admin whose platform is not running. */
async function setUpChannels(app: App): Promise<void> {
  await app.router.runLine("/digest setup", {
    invoker: consoleInvoker,
    channels: consoleChannels,
    services: app.services,
  });
  const { store } = app.services;
  await store.channels.put(defaultChannelSettings({ platform: "slack", channelId: "C1", setupBy: "U1" }));
  await store.channels.put(defaultChannelSettings({ platform: "slack", channelId: "C2", setupBy: "U1" }));
  await store.channels.put(defaultChannelSettings({ platform: "discord", channelId: "9", setupBy: "42" }));
}

const targetsOf = (sent: readonly SentMessage[]) => sent.map((entry) => entry.target).sort();

describe("a corpus source failing for a day", () => {
  it("is told once to each admin after 24 hours, not repeated, and told again for a new streak", async () => {
    const h = await harness();
    const sent: SentMessage[] = [];
    const app = await startApp(h, sent);
    await setUpChannels(app);
    sent.length = 0;

    h.server.serve("/daily", DOWN);
    h.advance(1); // failing since 09:00 on the 25th
    await app.refreshSources();
    h.advance(23);
    await app.refreshSources();
    expect(sent).toEqual([]);

    h.advance(1); // 24 h after the first failure
    await app.refreshSources();
    expect(targetsOf(sent)).toEqual(["console:user:you", "slack:user:U1"]);
    const text = sent[0]?.message.text ?? "";
    expect(text).toContain(`${h.url} has failed since 2026-11-25 09:00 UTC`);
    expect(text).toContain("last error: HTTP 503 Service Unavailable");
    expect(text).toContain("Its 1 paper is kept");
    expect(sent[0]?.message.ephemeral).toBe(false);

    for (const hours of [1, 24]) {
      h.advance(hours);
      await app.refreshSources();
    }
    expect(sent).toHaveLength(2);
    // Its paper is still there for search and picks.
    expect(app.services.catalog.current.papers.map((paper) => paper.title)).toEqual(["First Paper"]);

    // Recovery ends the streak; a new 24-hour streak is announced again, from its own start.
    h.server.serve("/daily", { body: ownRecords([PAPER], "json") });
    h.advance(1);
    await app.refreshSources();
    h.server.serve("/daily", DOWN);
    h.advance(1);
    await app.refreshSources();
    const newStreakStart = h.clock.toISOString().slice(0, 16).replace("T", " ");
    h.advance(23);
    await app.refreshSources();
    expect(sent).toHaveLength(2);
    h.advance(1);
    await app.refreshSources();
    expect(targetsOf(sent.slice(2))).toEqual(["console:user:you", "slack:user:U1"]);
    expect(sent[2]?.message.text).toContain(`has failed since ${newStreakStart} UTC`);
  });

  it("remembers the streak and the notice across a restart", async () => {
    const h = await harness();
    const sent: SentMessage[] = [];
    const first = await startApp(h, sent);
    await setUpChannels(first);
    sent.length = 0;
    h.server.serve("/daily", DOWN);
    h.advance(1);
    await first.refreshSources();
    await first.stop();

    // The streak began before the restart: 24 hours after its start the admins hear of it.
    const second = await startApp(h, sent);
    h.advance(24);
    await second.refreshSources();
    expect(targetsOf(sent)).toEqual(["console:user:you", "slack:user:U1"]);
    expect(sent[0]?.message.text).toContain("has failed since 2026-11-25 09:00 UTC (2 tries in a row)");
    await second.stop();

    const third = await startApp(h, sent);
    h.advance(6);
    await third.refreshSources();
    expect(sent).toHaveLength(2);
  });

  it("is told once when several processes share the store, each fetching the source itself", async () => {
    const h = await harness();
    const sent: SentMessage[] = [];
    // Two replicas (or Discord shards) on one store, each with its own cache as on two machines.
    const first = await startApp(h, sent, "cache-a");
    const second = await startApp(h, sent, "cache-b");
    await setUpChannels(first);
    sent.length = 0;

    h.server.serve("/daily", DOWN);
    h.advance(1);
    await Promise.all([first.refreshSources(), second.refreshSources()]);
    h.advance(24);
    await Promise.all([first.refreshSources(), second.refreshSources()]);
    expect(targetsOf(sent)).toEqual(["console:user:you", "slack:user:U1"]);

    // Neither tells again later in the same streak.
    h.advance(2);
    await Promise.all([first.refreshSources(), second.refreshSources()]);
    expect(sent).toHaveLength(2);
  });
});
