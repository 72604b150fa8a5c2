import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.ts";
import { startSlack } from "../../../src/platforms/slack/index.ts";
import { FakeSlack } from "../../fakes/slack/fake-slack.ts";
import { startTestApp, type TestApp } from "../../support/test-app.ts";
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET } from "./slack-harness.ts";

let bot: TestApp | undefined;
let fake: FakeSlack | undefined;
afterEach(async () => {
  await bot?.close();
  await fake?.close();
  bot = undefined;
  fake = undefined;
});

async function startWith(env: Record<string, string>): Promise<unknown> {
  fake = await FakeSlack.start();
  bot = await startTestApp();
  const config = loadConfig({ STORE_URL: bot.storeUrl, SLACK_API_URL: fake.apiUrl, ...env });
  return startSlack(bot.app, config, { port: 0 }).then(
    async (platform) => {
      await platform.stop();
      throw new Error("Slack started, but it should not have");
    },
    (error: unknown) => error,
  );
}

describe("starting the Slack platform", () => {
  it("stops with one line naming SLACK_BOT_TOKEN when it is missing", async () => {
    const error = await startWith({ SLACK_APP_TOKEN: APP_TOKEN });
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(/^SLACK_BOT_TOKEN: is required/);
    expect(fake?.calls).toEqual([]);
  });

  it("asks for SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) when neither mode is configured", async () => {
    const error = (await startWith({ SLACK_BOT_TOKEN: BOT_TOKEN })) as Error;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^SLACK_SIGNING_SECRET: is required when SLACK_APP_TOKEN is not set/);
    expect(error.message).not.toContain("\n");
  });

  it("names SLACK_BOT_TOKEN when Slack rejects it, without echoing it", async () => {
    const revoked = "xoxb-0000-revoked";
    fake = await FakeSlack.start();
    fake.revokedTokens.add(revoked);
    bot = await startTestApp();
    const config = loadConfig({
      STORE_URL: bot.storeUrl,
      SLACK_API_URL: fake.apiUrl,
      SLACK_BOT_TOKEN: revoked,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    });
    const error = await startSlack(bot.app, config, { port: 0 }).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^SLACK_BOT_TOKEN: Slack rejected it \(invalid_auth\)/);
    expect((error as Error).message).not.toContain(revoked);
  });

  it("names SLACK_APP_TOKEN when Slack refuses it for Socket Mode", async () => {
    const revoked = "xapp-1-A0FAKE-revoked";
    fake = await FakeSlack.start();
    fake.revokedTokens.add(revoked);
    bot = await startTestApp();
    const config = loadConfig({
      STORE_URL: bot.storeUrl,
      SLACK_API_URL: fake.apiUrl,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: revoked,
    });
    const error = await startSlack(bot.app, config).catch((caught: unknown) => caught as Error);
    expect((error as Error).message).toMatch(/^SLACK_APP_TOKEN: Slack rejected it \(invalid_auth\)/);
    expect(fake.socketConnected).toBe(false);
  });

  it("connects over Socket Mode, and stop() closes the socket", async () => {
    fake = await FakeSlack.start();
    bot = await startTestApp();
    const config = loadConfig({
      STORE_URL: bot.storeUrl,
      SLACK_API_URL: fake.apiUrl,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
    });
    const platform = await startSlack(bot.app, config);
    expect(platform.mode).toBe("socket");
    expect(fake.socketConnected).toBe(true);
    expect(fake.callsOf("apps.connections.open")[0]?.token).toBe(APP_TOKEN);
    expect(bot.app.outbox.has("slack")).toBe(true);
    await platform.stop();
    await fake.socketsClosed();
    expect(fake.connectionsOpened).toBe(1);
  });
});
