import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { socketDriver } from "../../fakes/slack/drivers.ts";
import { FakeSlack } from "../../fakes/slack/fake-slack.ts";
import { slashCommand } from "../../fakes/slack/payloads.ts";
import { type BotProcess, plainLines, startBotProcess } from "../../support/bot-process.ts";
import { APP_TOKEN, BOT_TOKEN, people, readableText } from "./slack-harness.ts";

let fake: FakeSlack | undefined;
let dir: string | undefined;
let running: BotProcess | undefined;
afterEach(async () => {
  // A failed assertion must not leave the bot running.
  if (running && running.child.exitCode === null) {
    running.child.kill("SIGKILL");
    await running.exited;
  }
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  running = undefined;
  fake = undefined;
  dir = undefined;
});

async function startFake(): Promise<FakeSlack> {
  fake = await FakeSlack.start();
  fake.workspace.addUser(people.member);
  dir = await mkdtemp(join(tmpdir(), "paper-picks-slack-main-"));
  return fake;
}

describe("npm start with SLACK_BOT_TOKEN and SLACK_APP_TOKEN", () => {
  it("connects over Socket Mode, answers /papers search, and stops cleanly on SIGTERM", async () => {
    const slack = await startFake();
    const papers = slack.workspace.addChannel({ id: "C0PAPERS1", name: "papers", botIsMember: true });
    running = startBotProcess({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      STORE_URL: `sqlite://${join(dir as string, "store.sqlite")}`,
    });
    await slack.waitFor(() => slack.socketConnected || undefined, "the bot's Socket Mode connection", 20_000);
    expect(slack.callsOf("apps.connections.open")[0]?.token).toBe(APP_TOKEN);

    const payload = slashCommand(
      slack,
      { user: people.member, channel: papers },
      "/papers",
      "search kv cache",
    );
    const delivery = await socketDriver(slack).command(payload);
    expect(delivery.acked).toBe(true);
    const answer = await slack.nextResponse(payload.response_url as string);
    expect(readableText(answer)).toMatch(/Results 1–5 of \d+ for “kv cache”/);

    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(0);
    await slack.socketsClosed();
  });

  it("stops with one line naming SLACK_BOT_TOKEN when Slack rejects it", async () => {
    const slack = await startFake();
    const rejected = "xoxb-0000-1111-rejectedbottoken";
    slack.revokedTokens.add(rejected);
    running = startBotProcess({
      SLACK_BOT_TOKEN: rejected,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      STORE_URL: `sqlite://${join(dir as string, "store.sqlite")}`,
    });
    expect(await running.exited).toBe(1);
    // Besides the JSON log lines a service writes, exactly one line for a person to read.
    const plain = plainLines(running.stderr());
    expect(plain).toHaveLength(1);
    expect(plain[0]).toContain("SLACK_BOT_TOKEN");
    expect(running.stderr()).not.toContain(rejected);
    expect(slack.socketConnected).toBe(false);
  });
});
