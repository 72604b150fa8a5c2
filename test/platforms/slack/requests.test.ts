import { afterEach, describe, expect, it } from "vitest";
import { buttonPress, slashCommand } from "../../fakes/slack/payloads.ts";
import { postSigned } from "../../fakes/slack/signed-request.ts";
import {
  people,
  SIGNING_SECRET,
  type SlackHarness,
  type SlackMode,
  startSlackHarness,
} from "./slack-harness.ts";

let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

/** Lets a copy that wrongly ran finish: a full round trip of another command, then a moment more. */
async function settle(harness: SlackHarness): Promise<void> {
  await harness.command(people.member, harness.channels.papers, "/papers", "help");
  await new Promise((resolve) => setTimeout(resolve, 150));
}

describe("requests to the HTTP receiver", () => {
  it("turns away a forged signature and a stale timestamp with 401, changing nothing", async () => {
    slack = await startSlackHarness("http");
    const { fake, platform } = slack;
    const url = `http://127.0.0.1:${platform.port}/slack/events`;
    const forged = slashCommand(
      fake,
      { user: people.member, channel: slack.channels.papers },
      "/papers",
      "subscribe kv cache",
    );
    const wrongSecret = await postSigned(url, forged, {
      secret: SIGNING_SECRET,
      signWith: "0123456789abcdef0123456789abcdef",
    });
    expect(wrongSecret.status).toBe(401);

    const stale = slashCommand(
      fake,
      { user: people.member, channel: slack.channels.papers },
      "/papers",
      "subscribe kv cache",
    );
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const old = await postSigned(url, stale, { secret: SIGNING_SECRET, timestamp: sixMinutesAgo });
    expect(old.status).toBe(401);

    // Five minutes either way: a correct signature dated six minutes ahead is refused too.
    const ahead = slashCommand(
      fake,
      { user: people.member, channel: slack.channels.papers },
      "/papers",
      "subscribe kv cache",
    );
    const sixMinutesAhead = Math.floor(Date.now() / 1000) + 6 * 60;
    expect(
      (await postSigned(url, ahead, { secret: SIGNING_SECRET, timestamp: sixMinutesAhead })).status,
    ).toBe(401);

    // A body changed after signing is forged too.
    const tampered = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": "1",
        "x-slack-signature": "v0=00",
      },
      body: new URLSearchParams(forged).toString(),
    });
    expect(tampered.status).toBe(401);

    // A good request afterwards is the only one that did anything.
    await slack.command(people.member, slack.channels.papers, "/papers", "subscriptions");
    expect(fake.responses).toHaveLength(1);
    expect(
      await slack.bot.app.services.store.subscriptions.get(`slack:user:${people.member.id}`),
    ).toBeUndefined();
  });
});

describe.each<SlackMode>(["socket", "http"])("a request Slack sends again, over %s", (mode) => {
  it("runs a retried slash command once, and acknowledges the copy", async () => {
    slack = await startSlackHarness(mode);
    const { fake } = slack;
    const payload = slashCommand(
      fake,
      { user: people.member, channel: slack.channels.papers },
      "/papers",
      "subscribe kv cache",
    );
    const first = await slack.driver.command(payload);
    const again = await first.retry(1);
    const third = await again.retry(2);
    expect([first.acked, again.acked, third.acked]).toEqual([true, true, true]);
    const answer = await fake.nextResponse(payload.response_url as string);
    expect(String(answer.text)).toContain("You now follow “kv cache”");
    await settle(slack);
    expect(fake.responsesTo(payload.response_url as string)).toHaveLength(1);
    const stored = await slack.bot.app.services.store.subscriptions.get(`slack:user:${people.member.id}`);
    expect(stored?.topics).toHaveLength(1);
  });

  it("runs a retried button press once", async () => {
    slack = await startSlackHarness(mode);
    const { fake, channels } = slack;
    const search = await slack.command(people.member, channels.papers, "/papers", "search model limit:2");
    const press = buttonPress(
      fake,
      { user: people.member, channel: channels.papers },
      search.response.blocks as Record<string, unknown>[],
      "Next ▶",
    );
    const first = await slack.driver.action(press);
    await first.retry(1);
    await fake.nextResponse(press.response_url as string);
    await settle(slack);
    expect(fake.responsesTo(press.response_url as string)).toHaveLength(1);
  });
});
