import { afterEach, describe, expect, it } from "vitest";
import { textMessage } from "../../../src/core/message.ts";
import { defaultChannelSettings } from "../../../src/store/index.ts";
import { people, type SlackHarness, startSlackHarness } from "./slack-harness.ts";

let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

const morning = () => new Date("2026-11-26T08:00:00Z");

describe("Slack's chat.postMessage rate limits", () => {
  it("answers posts over the workspace-wide limit with 429, and every digest still goes out once", async () => {
    slack = await startSlackHarness("http", { now: morning });
    const channels = Array.from({ length: 12 }, (_, index) =>
      slack?.fake.workspace.addChannel({ id: `C0LIMIT${index}`, name: `papers-${index}`, botIsMember: true }),
    ).map((channel) => String(channel?.id));
    for (const id of channels)
      await slack.bot.app.services.store.channels.put(
        defaultChannelSettings({ platform: "slack", channelId: id, setupBy: people.admin.id }),
      );
    slack.fake.postLimits.enable({
      workspace: { perSecond: 5, burst: 5 },
      channel: { perSecond: 1, burst: 3 },
    });

    const report = await slack.bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));

    expect(report.failed).toEqual([]);
    for (const id of channels) expect(slack.fake.workspace.messagesIn(id)).toHaveLength(1);
    expect(slack.fake.postLimits.refused).toBeGreaterThan(0);
  });

  it("gets a burst to one channel through in order, a second apart, and through 429s from a stricter Slack", async () => {
    slack = await startSlackHarness("http", { now: morning });
    const { papers } = slack.channels;
    // Stricter than the one message a second the bot keeps to: its second post is refused.
    slack.fake.postLimits.enable({ channel: { perSecond: 0.5, burst: 1 } });
    const texts = ["first", "second", "third"];
    await Promise.all(
      texts.map((text) =>
        slack?.bot.app.outbox.send(`slack:${papers.id}`, textMessage(text, { ephemeral: false })),
      ),
    );
    const posted = slack.fake.workspace.messagesIn(papers.id).map((message) => message.text);
    expect(posted).toEqual(texts);
    expect(slack.fake.postLimits.refused).toBeGreaterThan(0);
  });
});

describe("a Slack that is briefly unavailable", () => {
  it("gets the digest again after a pause, posted once, and the retry is counted", async () => {
    slack = await startSlackHarness("http", { now: morning });
    const { papers } = slack.channels;
    await slack.bot.app.services.store.channels.put(
      defaultChannelSettings({ platform: "slack", channelId: papers.id, setupBy: people.admin.id }),
    );
    // Slack's own word that it did nothing; the Web API client does not retry it, the bot does.
    slack.fake.fail("chat.postMessage", { error: "service_unavailable" });
    const report = await slack.bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));

    expect(report.failed).toEqual([]);
    expect(slack.fake.workspace.messagesIn(papers.id)).toHaveLength(1);
    expect(await slack.bot.app.metrics.text()).toContain(
      'paper_picks_delivery_retries_total{platform="slack"} 1',
    );
  });
});
