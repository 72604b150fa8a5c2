import { afterEach, describe, expect, it } from "vitest";
import { userTarget } from "../../../src/digest/targets.ts";
import { buttonsIn } from "../../fakes/slack/payloads.ts";
import {
  people,
  readableText,
  type SlackHarness,
  type SlackMode,
  startSlackHarness,
  titlesIn,
} from "./slack-harness.ts";

let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

const morning = () => new Date("2026-11-26T08:00:00Z");
const at = (time: string) => new Date(`2026-11-26T${time}:00Z`);

describe.each<SlackMode>(["socket", "http"])("deliveries over %s", (mode) => {
  it("posts the daily picks in the channel once, as Block Kit, the same papers as the preview", async () => {
    slack = await startSlackHarness(mode, { now: morning });
    const { papers } = slack.channels;
    await slack.command(people.admin, papers, "/digest", "setup");
    const preview = await slack.command(people.admin, papers, "/digest", "preview");

    await slack.bot.app.services.scheduler.runDue(at("09:00"));
    await slack.bot.app.services.scheduler.runDue(at("09:15"));
    const posted = slack.fake.workspace.messagesIn(papers.id);
    expect(posted).toHaveLength(1);
    const message = posted[0];
    expect(message?.text).toBe("Today's picks · 26 Nov");
    const body = { blocks: message?.blocks };
    expect(titlesIn(body)).toHaveLength(5);
    expect(titlesIn(body)).toEqual(titlesIn(preview.response));
    expect(message?.args.unfurl_links).toBe("false");
    // The post carries its delivery key, which Slack keeps and conversations.history reads back.
    expect(message?.args.metadata).toEqual({
      event_type: "paper_picks_delivery",
      event_payload: { key: `digest:slack:${papers.id}@2026-11-26` },
    });
    const status = await slack.command(people.admin, papers, "/digest", "status");
    expect(String(status.response.text)).toContain("Last delivery: 2026-11-26, 5 papers");
  });

  it("sends topic alerts by direct message", async () => {
    slack = await startSlackHarness(mode, { now: morning });
    await slack.command(people.member, slack.channels.papers, "/papers", "subscribe model");
    await slack.bot.app.services.scheduler.runDue(at("09:00"));
    expect(slack.fake.callsOf("conversations.open").map((call) => call.args.users)).toEqual([
      people.member.id,
    ]);
    const dm = slack.fake.workspace.dms.get(people.member.id) ?? "";
    const [alert] = slack.fake.workspace.messagesIn(dm);
    expect(alert?.text).toMatch(/^New on your topics · 26 Nov: \d+ papers?/);
    expect(titlesIn({ blocks: alert?.blocks }).length).toBeGreaterThan(0);
    expect(alert?.args.metadata).toEqual({
      event_type: "paper_picks_delivery",
      event_payload: { key: `digest:slack:user:${people.member.id}@2026-11-26` },
    });
    // A paper in an alert offers papers like it.
    expect(buttonsIn(alert?.blocks ?? []).some(({ button }) => button.text.text === "More like this")).toBe(
      true,
    );
  });

  it("tells a user whose alerts paused after their next command's answer, on its response_url", async () => {
    slack = await startSlackHarness(mode, { now: morning });
    const { papers } = slack.channels;
    await slack.command(people.member, papers, "/papers", "subscribe model");
    const key = userTarget({ platform: "slack", userId: people.member.id });
    await slack.bot.app.services.store.subscriptions.update(key, (record) => ({
      ...record,
      alertsPausedReason: "the bot could not send you a direct message",
    }));

    const next = await slack.command(people.member, papers, "/papers", "search model");
    expect(readableText(next.response)).not.toContain("Your topic alerts were paused");
    const notice = await slack.fake.nextResponse(next.responseUrl, 1);
    expect(readableText(notice)).toContain("Your topic alerts were paused");
    expect(notice.response_type).toBe("ephemeral");
    expect(notice.replace_original).toBe(false);
    expect((await slack.bot.app.services.store.subscriptions.get(key))?.alertsPausedReason).toBeUndefined();
  });

  it("waits out a 429 with Retry-After and posts the digest exactly once", async () => {
    slack = await startSlackHarness(mode, { now: morning });
    const { papers } = slack.channels;
    await slack.command(people.admin, papers, "/digest", "setup");
    slack.fake.fail("chat.postMessage", { status: 429, retryAfter: "1" });
    const report = await slack.bot.app.services.scheduler.runDue(at("09:00"));
    expect(report.failed).toEqual([]);
    expect(slack.fake.callsOf("chat.postMessage")).toHaveLength(2);
    expect(slack.fake.workspace.messagesIn(papers.id)).toHaveLength(1);
  });

  it("stops the digest of an archived channel after 3 tries and tells the admin who set it up", async () => {
    slack = await startSlackHarness(mode, { now: morning });
    const { papers } = slack.channels;
    await slack.command(people.admin, papers, "/digest", "setup");
    papers.archived = true;
    const { scheduler } = slack.bot.app.services;
    for (const time of ["09:00", "09:15", "09:30", "09:45"]) await scheduler.runDue(at(time));
    const tries = slack.fake.callsOf("chat.postMessage").filter((call) => call.args.channel === papers.id);
    expect(tries).toHaveLength(3);

    const adminDm = slack.fake.workspace.dms.get(people.admin.id) ?? "";
    const [notice] = slack.fake.workspace.messagesIn(adminDm);
    expect(notice?.text).toContain("stopped after 3 failed tries");
    expect(notice?.text).toContain("unarchive it");

    papers.archived = false;
    const status = await slack.command(people.admin, papers, "/digest", "status");
    expect(readableText(status.response)).toContain(
      "Stopped: Slack refused to post to slack:C0PAPERS1: is_archived",
    );
  });

  it("counts a channel the bot was removed from as gone (not_in_channel)", async () => {
    slack = await startSlackHarness(mode, { now: morning });
    const { papers } = slack.channels;
    await slack.command(people.admin, papers, "/digest", "setup");
    papers.botIsMember = false;
    await slack.bot.app.services.scheduler.runDue(at("09:00"));
    papers.botIsMember = true;
    const status = await slack.command(people.admin, papers, "/digest", "status");
    expect(String(status.response.text)).toContain("Failures in a row: 1.");
  });
});
