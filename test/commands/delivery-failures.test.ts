import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildCatalog, LiveCatalog } from "../../src/catalog/index.ts";
import { loadCorpus } from "../../src/corpus/index.ts";
import { DeliveryError, NotTakenError } from "../../src/digest/delivery-error.ts";
import { DigestService } from "../../src/digest/digest-service.ts";
import type { SendRetryPolicy } from "../../src/digest/send-retries.ts";
import { AppMetrics } from "../../src/metrics/index.ts";
import type { SendMessage } from "../../src/platforms/contract.ts";
import { defaultChannelSettings, type Store } from "../../src/store/index.ts";
import { useTempStores } from "../store/temp-store.ts";
import { memberInvoker, startTestApp, type TestApp } from "../support/test-app.ts";

let bot: TestApp | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe("a channel that keeps refusing the digest", () => {
  it("is stopped after three tries, its admin is told why, and /digest status shows it", async () => {
    let channelGone = true;
    bot = await startTestApp({
      now: () => new Date("2026-11-26T08:00:00Z"),
      refuse: (target) =>
        target === "console" && channelGone
          ? new DeliveryError(
              "the channel was deleted",
              "target-gone",
              "Run /digest setup in another channel",
            )
          : undefined,
    });
    await bot.run("/digest setup");
    const { scheduler } = bot.app.services;
    for (const time of ["09:00", "09:15"]) {
      const report = await scheduler.runDue(new Date(`2026-11-26T${time}:00Z`));
      expect(report.failed.map((failure) => failure.key)).toEqual(["console"]);
    }
    expect((await bot.run("/digest status")).text).toContain("Failures in a row: 2.");
    expect(bot.sent).toHaveLength(0);

    await scheduler.runDue(new Date("2026-11-26T09:30:00Z"));
    const status = await bot.run("/digest status");
    expect(status.text).toContain("stopped: the channel was deleted. Run /digest setup in another channel");
    expect(bot.sent.map((entry) => entry.target)).toEqual(["console:user:you"]);
    expect(bot.sent[0]?.message.text).toContain("have stopped after 3 failed tries: the channel was deleted");

    // Stopped means no more tries, so no more noise.
    const later = await scheduler.runDue(new Date("2026-11-26T09:45:00Z"));
    expect(later.failed).toEqual([]);

    // Fixed and resumed: the next run delivers.
    channelGone = false;
    expect((await bot.run("/digest resume")).text).toContain("Resumed");
    await scheduler.runDue(new Date("2026-11-26T10:00:00Z"));
    expect(bot.sent.map((entry) => entry.message.text)).toContain("Today's picks · 26 Nov");
  });

  it("does not count a passing failure toward stopping", async () => {
    bot = await startTestApp({
      now: () => new Date("2026-11-26T08:00:00Z"),
      refuse: (target) => (target === "console" ? new Error("socket hang up") : undefined),
    });
    await bot.run("/digest setup");
    for (const time of ["09:00", "09:15", "09:30", "09:45"]) {
      await bot.app.services.scheduler.runDue(new Date(`2026-11-26T${time}:00Z`));
    }
    const status = await bot.run("/digest status");
    expect(status.text).not.toContain("stopped");
    expect(status.text).not.toContain("Failures in a row");
  });
});

describe("a subscriber whose direct messages are closed", () => {
  it("has alerts paused, hears it at the next command, and gets them again the next day", async () => {
    let dmsClosed = true;
    bot = await startTestApp({
      now: () => new Date("2026-11-26T08:00:00Z"),
      refuse: (target) =>
        target === "console:user:member" && dmsClosed
          ? new DeliveryError("cannot send messages to this user", "dm-closed")
          : undefined,
    });
    await bot.run("/papers subscribe kv cache", memberInvoker);
    const { scheduler } = bot.app.services;
    await scheduler.runDue(new Date("2026-11-26T09:00:00Z"));
    const retried = await scheduler.runDue(new Date("2026-11-26T09:15:00Z"));
    expect(retried.skipped).toContainEqual({ key: "console:user:member", reason: "paused" });

    const next = await bot.run("/papers search diffusion", memberInvoker);
    expect(next.text).toContain("Your topic alerts were paused: the bot could not send you a direct message");
    // Told once.
    expect((await bot.run("/papers search diffusion", memberInvoker)).text).not.toContain("paused");

    dmsClosed = false;
    await scheduler.runDue(new Date("2026-11-27T09:00:00Z"));
    expect(bot.sent.filter((entry) => entry.target === "console:user:member")).toHaveLength(1);
  });
});

describe("a send the platform did not take (429, 5xx, connection refused)", () => {
  const { newStore } = useTempStores();
  let catalog: LiveCatalog;
  beforeAll(async () => {
    catalog = new LiveCatalog(buildCatalog((await loadCorpus("data/papers.txt")).papers));
  });

  const target = "discord:1";
  const day = "2026-11-26";
  const notTaken = () => new NotTakenError("Discord failed the post (HTTP 503)", "server-error");

  /** The platform's answers to successive sends, in order; past the list, it accepts. */
  function platform(...answers: (Error | undefined)[]) {
    const tries: string[] = [];
    const send: SendMessage = async (key) => {
      tries.push(key);
      const answer = answers[tries.length - 1];
      if (answer) throw answer;
      return { messageId: `m${tries.length}` };
    };
    return { send, tries };
  }

  /** Waits recorded instead of slept, so the test does not take seconds; random is fixed at the middle. */
  function instantRetries(overrides: Partial<SendRetryPolicy> = {}) {
    const waits: number[] = [];
    const retries: Partial<SendRetryPolicy> = {
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
      ...overrides,
    };
    return { retries, waits };
  }

  async function setUp(send: SendMessage, retries: Partial<SendRetryPolicy>) {
    const { store } = await newStore();
    await store.channels.put(
      defaultChannelSettings({ platform: "discord", channelId: "1", setupBy: "admin" }),
    );
    const metrics = new AppMetrics(() => 0);
    const service = (against: Store = store) =>
      new DigestService({
        catalog,
        store: against,
        send,
        defaults: { time: "09:00", timezone: "UTC", size: 5 },
        observer: metrics.deliveries,
        retries,
      });
    return { store, metrics, service };
  }

  it("is sent again after a growing, jittered pause, posted once, and each retry is counted", async () => {
    const { send, tries } = platform(notTaken(), notTaken());
    const { retries, waits } = instantRetries();
    const { store, metrics, service } = await setUp(send, retries);

    expect((await service().deliver(target, day)).status).toBe("delivered");
    expect(tries).toEqual([target, target, target]);
    // 1 s then 4 s nominal, with equal jitter at its middle: 750 ms and 3 s.
    expect(waits).toEqual([750, 3000]);
    expect((await store.ledger.history(target)).map((entry) => entry.messageId)).toEqual(["m3"]);
    const text = await metrics.text();
    expect(text).toContain('paper_picks_delivery_retries_total{platform="discord"} 2');
    expect(text).toContain('paper_picks_deliveries_total{platform="discord",outcome="delivered"} 1');
  });

  it("waits at least what the platform's Retry-After asked", async () => {
    const limited = new NotTakenError("Discord rate-limited the post", "rate-limited", {
      retryAfterMs: 2500,
    });
    const { send } = platform(limited);
    const { retries, waits } = instantRetries();
    const { service } = await setUp(send, retries);
    expect((await service().deliver(target, day)).status).toBe("delivered");
    expect(waits).toEqual([2500]);
  });

  it("gives up after three tries, leaves the day to a later run, and does not count toward stopping", async () => {
    const { send, tries } = platform(notTaken(), notTaken(), notTaken());
    const { retries } = instantRetries();
    const { store, service } = await setUp(send, retries);

    await expect(service().deliver(target, day)).rejects.toThrow(/HTTP 503/);
    expect(tries).toHaveLength(3);
    expect((await store.channels.get(target))?.failures).toBe(0);
    // The claim was released: the next run (here the fourth send) delivers the day.
    expect((await service().deliver(target, day)).status).toBe("delivered");
    expect(tries).toHaveLength(4);
  });

  it("is not sent again when the platform may have posted it (a reset, a timeout)", async () => {
    const { send, tries } = platform(new Error("socket hang up"));
    const { retries, waits } = instantRetries();
    const { service } = await setUp(send, retries);
    await expect(service().deliver(target, day)).rejects.toThrow("socket hang up");
    expect(tries).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("is not sent again when the channel is gone: that counts toward stopping instead", async () => {
    const { send, tries } = platform(new DeliveryError("the channel was deleted", "target-gone"));
    const { retries } = instantRetries();
    const { store, service } = await setUp(send, retries);
    await expect(service().deliver(target, day)).rejects.toThrow("the channel was deleted");
    expect(tries).toHaveLength(1);
    expect((await store.channels.get(target))?.failures).toBe(1);
  });

  it("stops waiting at shutdown, sends nothing more, and releases the day for the next process", async () => {
    const { send, tries } = platform(notTaken());
    // A pause that only shutdown ends.
    const { retries } = instantRetries({
      sleep: (_ms, signal) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    });
    const { store, service } = await setUp(send, retries);
    const first = service();
    const delivering = first.deliver(target, day);
    delivering.catch(() => undefined);
    while (tries.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    const report = await first.drain(50);
    expect(report.abandoned).toEqual([`${target}@${day}`]);
    await expect(delivering).rejects.toThrow(/abandoned at shutdown/);
    expect(tries).toHaveLength(1);
    // Another process (a fresh service on the same store) may deliver the day at once.
    expect((await service(store).deliver(target, day)).status).toBe("delivered");
    expect(tries).toHaveLength(2);
  });
});
