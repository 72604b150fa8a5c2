import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { DeliveryError } from "../../src/digest/delivery-error.ts";
import { type MetricsTestApp, sampleValue, startMetricsTestApp } from "./metrics-app.ts";

let bot: MetricsTestApp | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const now = () => new Date("2026-11-26T08:00:00Z");

describe("the metrics endpoint", () => {
  it("counts refused and delivered digests by platform, outcome and kind, and command latency", async () => {
    let channelGone = true;
    bot = await startMetricsTestApp({
      now,
      refuse: (target) =>
        target === "console" && channelGone
          ? new DeliveryError("the channel was deleted", "target-gone")
          : undefined,
    });
    await bot.run("/digest setup");
    await bot.run("/papers search attention");
    await bot.run("/nonsense typed by a user");
    const { scheduler } = bot.app.services;
    expect((await scheduler.runDue(new Date("2026-11-26T09:00:00Z"))).failed).toHaveLength(1);
    channelGone = false;
    expect((await scheduler.runDue(new Date("2026-11-26T09:15:00Z"))).delivered).toEqual(["console"]);

    const { status, body } = await bot.get("/metrics");
    expect(status).toBe(200);
    const deliveries = "paper_picks_deliveries_total";
    expect(sampleValue(body, deliveries, { platform: "console", outcome: "delivered" })).toBe(1);
    expect(sampleValue(body, deliveries, { platform: "console", outcome: "failed" })).toBe(1);
    expect(
      sampleValue(body, "paper_picks_delivery_failures_total", { platform: "console", kind: "target-gone" }),
    ).toBe(1);

    const latency = "paper_picks_command_duration_seconds_count";
    expect(sampleValue(body, latency, { command: "/digest setup", platform: "console" })).toBe(1);
    expect(sampleValue(body, latency, { command: "/papers search", platform: "console" })).toBe(1);
    // What a user types is never a label: unknown commands are not timed.
    expect(body).not.toContain("nonsense");

    const papers = sampleValue(body, "paper_picks_papers");
    expect(papers).toBeGreaterThan(0);
    expect(papers).toBe(bot.app.services.catalog.current.papers.length);
  });

  it("answers /healthz with 200 once started and 503 once stopping began, then stops listening", async () => {
    bot = await startMetricsTestApp({ now });
    expect(await bot.get("/healthz")).toEqual({ status: 200, body: "ok\n" });

    const draining = bot.app.drain();
    expect((await bot.get("/healthz")).status).toBe(503);
    await draining;

    const port = bot.app.metricsServer()?.port;
    await bot.close();
    bot = undefined;
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it("answers 404 for other paths", async () => {
    bot = await startMetricsTestApp({ now });
    expect((await bot.get("/")).status).toBe(404);
  });
});

describe("without METRICS_PORT", () => {
  it("opens no metrics endpoint", async () => {
    const dir = await mkdtemp(join(tmpdir(), "paper-picks-metrics-"));
    const storeUrl = `sqlite://${join(dir, "store.sqlite")}`;
    const app = await createApp(loadConfig({ STORE_URL: storeUrl, CORPUS_WATCH: "false" }));
    try {
      await app.start();
      expect(app.metricsServer()).toBeUndefined();
    } finally {
      await app.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("METRICS_PORT and METRICS_HOST", () => {
  it("accept a port from 1 to 65535 and default to loopback", () => {
    const config = loadConfig({ METRICS_PORT: "9464" });
    expect(config.METRICS_PORT).toBe(9464);
    expect(config.METRICS_HOST).toBe("127.0.0.1");
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
  });

  it.each(["0", "65536", "http", "94.5"])("refuse METRICS_PORT=%s with a line naming it", (value) => {
    expect(() => loadConfig({ METRICS_PORT: value })).toThrow(/^METRICS_PORT .*port number from 1 to 65535/);
  });
});
