import { afterEach, describe, expect, it } from "vitest";
import { textMessage } from "../../../src/core/message.ts";
import { deliveryKey } from "../../../src/digest/digest-service.ts";
import { discordDeliveryRef } from "../../../src/platforms/discord/sender.ts";
import { failures } from "../../fakes/discord/failures.ts";
import { ADMIN_PERMISSIONS, ada, admin, type DiscordBot, readable, startDiscordBot } from "./discord-bot.ts";

let running: DiscordBot | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const morning = () => new Date("2026-11-26T08:00:00Z");

async function setUpDigestIn(bot: DiscordBot, channel: string) {
  const answer = await bot.fake.command(bot.fake.member(admin, { channel, permissions: ADMIN_PERMISSIONS }), {
    command: "digest",
    path: ["setup"],
  });
  expect(readable(answer.data)).toContain(`daily picks in #${channel}`);
}

describe("channel digests", () => {
  it("posts the day's picks to the channel at its time: a header and one embed per paper", async () => {
    running = await startDiscordBot({ now: morning });
    await setUpDigestIn(running, "papers");
    const report = await running.bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));
    expect(report.failed).toEqual([]);
    const posted = running.fake.messagesIn(running.fake.channel("papers").id);
    expect(posted).toHaveLength(1);
    // The delivery's reference ends the content, in Discord's small grey subtext.
    const key = deliveryKey(`discord:${running.fake.channel("papers").id}`, "2026-11-26");
    expect(posted[0]?.body.content).toBe(`Today's picks · 26 Nov\n${discordDeliveryRef(key)}`);
    const embeds = posted[0]?.body.embeds as { title: string; footer: { text: string } }[];
    expect(embeds).toHaveLength(5);
    expect(posted[0]?.body.allowed_mentions).toEqual({ parse: [] });
    // Never twice a day.
    await running.bot.app.services.scheduler.runDue(new Date("2026-11-26T09:30:00Z"));
    expect(running.fake.messagesIn(running.fake.channel("papers").id)).toHaveLength(1);
  });

  it("stops a deleted channel's digest after 3 failures, DMs the admin why, and /digest status shows it", async () => {
    running = await startDiscordBot({ now: morning });
    const { fake } = running;
    await setUpDigestIn(running, "papers");
    fake.deleteChannel("papers");
    const { scheduler } = running.bot.app.services;
    for (const time of ["09:00", "09:15", "09:30"])
      await scheduler.runDue(new Date(`2026-11-26T${time}:00Z`));
    const dm = fake.dmChannelOf(admin.id);
    expect(dm).toBeDefined();
    const notices = fake.messagesIn(String(dm));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.body.content).toContain("have stopped after 3 failed tries");
    expect(notices[0]?.body.content).toContain("no longer exists (Discord error 10003)");
    const later = await scheduler.runDue(new Date("2026-11-26T09:45:00Z"));
    expect(later.failed).toEqual([]);
    const status = await fake.command(fake.member(admin, { permissions: ADMIN_PERMISSIONS }), {
      command: "digest",
      path: ["status"],
    });
    expect(readable(status.data)).toContain("Stopped:");
  });

  it("counts a channel closed to the bot (50013) toward stopping, not a passing 500", async () => {
    running = await startDiscordBot({ now: morning });
    const { fake } = running;
    await setUpDigestIn(running, "papers");
    fake.failNext("POST", /^\/channels\/\d+\/messages$/, failures.missingPermissions());
    await running.bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));
    const settings = await running.bot.app.services.store.channels.get(
      `discord:${fake.channel("papers").id}`,
    );
    expect(settings?.failures).toBe(1);
    // The next run delivers, and the count starts over.
    await running.bot.app.services.scheduler.runDue(new Date("2026-11-26T09:15:00Z"));
    expect(fake.messagesIn(fake.channel("papers").id)).toHaveLength(1);
    const after = await running.bot.app.services.store.channels.get(`discord:${fake.channel("papers").id}`);
    expect(after?.failures).toBe(0);
  });

  it("gets every message of a burst through a 429 storm, once each and in order", async () => {
    running = await startDiscordBot();
    const { fake } = running;
    const channel = fake.channel("general").id;
    fake.failNext(
      "POST",
      /^\/channels\/\d+\/messages$/,
      ...Array.from({ length: 6 }, () => failures.rateLimited(0.05)),
    );
    const texts = Array.from({ length: 12 }, (_, index) => `message ${index + 1}`);
    await Promise.all(
      texts.map((text) =>
        running?.bot.app.outbox.send(`discord:${channel}`, textMessage(text, { ephemeral: false })),
      ),
    );
    expect(fake.messagesIn(channel).map((message) => message.body.content)).toEqual(texts);
    expect(fake.requests.filter((request) => request.status === 429)).toHaveLength(6);
  });
});

describe("topic alerts by direct message", () => {
  async function subscribe(bot: DiscordBot) {
    await bot.fake.command(bot.fake.member(ada), {
      command: "papers",
      path: ["subscribe"],
      options: { topic: "diffusion" },
    });
  }

  it("sends new papers on a user's topics to their DMs", async () => {
    running = await startDiscordBot({ now: morning });
    await subscribe(running);
    await running.bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));
    const dm = running.fake.dmChannelOf(ada.id);
    const alerts = running.fake.messagesIn(String(dm));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body.content).toMatch(/^New on your topics · 26 Nov: \d+ papers?/);
    expect(alerts[0]?.body.embeds).not.toEqual([]);
  });

  it("pauses alerts when the user's DMs are closed (50007) and tells them after their next command's answer", async () => {
    running = await startDiscordBot({ now: morning });
    const { fake } = running;
    await subscribe(running);
    fake.closeDms(ada.id);
    await running.bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));
    const retried = await running.bot.app.services.scheduler.runDue(new Date("2026-11-26T09:15:00Z"));
    expect(retried.skipped).toContainEqual({ key: `discord:user:${ada.id}`, reason: "paused" });
    // The notice may only follow the answer: let the answer take its time on the way to Discord.
    fake.interactionCallbackDelayMs = 200;
    const next = await fake.command(fake.member(ada), { command: "papers", path: ["subscriptions"] });
    // The answer does not wait for the notice: it follows, in a message only Ada sees.
    expect(readable(next.data)).toContain("diffusion");
    expect(readable(next.data)).not.toContain("Your topic alerts were paused");
    await expect.poll(() => next.record.followUps.length).toBe(1);
    const notice = next.record.followUps[0] ?? {};
    expect(readable(notice)).toContain("Your topic alerts were paused");
    expect(Number(notice.flags) & 64).toBe(64); // ephemeral
    const again = await fake.command(fake.member(ada), { command: "papers", path: ["subscriptions"] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(again.record.followUps).toEqual([]);
  });
});
