import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const morning = () => new Date("2026-11-26T08:00:00Z");
const dueAt = new Date("2026-11-26T09:00:00Z");

let storeDir = "";
const bots: TestApp[] = [];
beforeEach(async () => {
  storeDir = await mkdtemp(join(tmpdir(), "paper-picks-shutdown-"));
});
afterEach(async () => {
  await Promise.allSettled(bots.splice(0).map((bot) => bot.close()));
  await rm(storeDir, { recursive: true, force: true });
});

async function startBot(options: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  const bot = await startTestApp({ now: morning, storeDir, ...options });
  bots.push(bot);
  return bot;
}

describe("stop() while a digest is being sent", () => {
  it("lets a slow send finish within the grace, and the next process does not send it again", async () => {
    const bot = await startBot({ sendDelayMs: 300, shutdownGraceMs: 10_000 });
    await bot.run("/digest setup");
    const run = bot.app.services.scheduler.runDue(dueAt);
    await vi.waitFor(() => expect(bot.sending).toEqual(["console"]));

    await bot.app.stop();

    expect((await run).delivered).toEqual(["console"]);
    expect(bot.sent.map((entry) => entry.message.text)).toContain("Today's picks · 26 Nov");

    const restarted = await startBot();
    const again = await restarted.app.services.scheduler.runDue(dueAt);
    expect(again.delivered).toEqual([]);
    expect(restarted.sent).toEqual([]);
  });

  it("gives up a send that outlasts the grace and releases its day, so the next process delivers it", async () => {
    const bot = await startBot({ sendDelayMs: 60_000, shutdownGraceMs: 200 });
    await bot.run("/digest setup");
    const run = bot.app.services.scheduler.runDue(dueAt);
    await vi.waitFor(() => expect(bot.sending).toEqual(["console"]));

    await bot.app.stop();

    expect((await run).failed.map((failure) => failure.key)).toEqual(["console"]);
    expect(bot.sent).toEqual([]);

    const restarted = await startBot();
    const again = await restarted.app.services.scheduler.runDue(dueAt);
    expect(again.delivered).toEqual(["console"]);
    expect(restarted.sent.map((entry) => entry.message.text)).toContain("Today's picks · 26 Nov");
  });

  it("takes no new delivery once stopping", async () => {
    const bot = await startBot({ sendDelayMs: 300 });
    await bot.run("/digest setup");
    const stopping = bot.app.stop();
    await expect(bot.app.services.digests.deliver("console", "2026-11-26")).rejects.toThrow(
      "the bot is shutting down",
    );
    await stopping;
    expect(bot.sending).toEqual([]);
  });
});
