import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { type DiscordPlatform, startDiscord } from "../../../src/platforms/discord/index.ts";
import { defaultChannelSettings } from "../../../src/store/index.ts";
import { failures } from "../../fakes/discord/failures.ts";
import { FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { startTestApp, type TestApp } from "../../support/test-app.ts";

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const CHANNELS = 30;

/** A fake Discord with a global limit of `limit` requests/s and CHANNELS text channels, and the bot on it. */
async function botOverLimit(
  limit: number,
): Promise<{ fake: FakeDiscord; bot: TestApp; channelIds: string[] }> {
  const fake = await FakeDiscord.start({ globalRequestsPerSecond: limit });
  const channelIds = Array.from({ length: CHANNELS }, (_, index) =>
    String(1_500_000_000_000_000_000n + BigInt(index)),
  );
  for (const [index, id] of channelIds.entries())
    fake.guild.channels.push({ id, name: `papers-${index}`, type: 0, overwrites: [] });
  const env = { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl };
  const bot = await startTestApp({ env, now: () => new Date("2026-11-26T08:00:00Z") });
  let discord: DiscordPlatform | undefined;
  cleanup = async () => {
    await discord?.stop();
    await bot.close();
    await fake.close();
  };
  // discord.js paces to its default 50 requests/s: five times what this Discord allows.
  discord = await startDiscord(bot.app, loadConfig({ ...env, CORPUS_WATCH: "false" }));
  for (const id of channelIds)
    await bot.app.services.store.channels.put(
      defaultChannelSettings({ platform: "discord", channelId: id, setupBy: "1400000000000000009" }),
    );
  return { fake, bot, channelIds };
}

describe("Discord's global rate limit", () => {
  it("answers a client over the limit with global 429s, and the client still posts every digest once", async () => {
    const { fake, bot, channelIds } = await botOverLimit(10);
    const report = await bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));

    expect(report.failed).toEqual([]);
    expect(report.delivered).toHaveLength(CHANNELS);
    for (const id of channelIds) expect(fake.messagesIn(id)).toHaveLength(1);
    const refused = fake.requests.filter((request) => request.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(fake.globalRateLimit?.refused).toBe(refused.length);
  });
});

describe("a Discord that fails a post with 500s", () => {
  it("is tried again by the bot after a pause once discord.js gives up, and the digest is posted once", async () => {
    const { fake, bot, channelIds } = await botOverLimit(1000);
    const [first] = channelIds;
    // discord.js tries a 5xx four times (its default `retries` is 3) before it reports it.
    fake.failNext(
      "POST",
      new RegExp(`^/channels/${first}/messages$`),
      ...Array.from({ length: 4 }, failures.serverError),
    );
    const report = await bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));

    expect(report.failed).toEqual([]);
    expect(fake.messagesIn(String(first))).toHaveLength(1);
    expect(await bot.app.metrics.text()).toContain(
      'paper_picks_delivery_retries_total{platform="discord"} 1',
    );
  });
});
