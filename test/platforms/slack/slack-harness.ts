import { loadConfig } from "../../../src/config.ts";
import { type SlackPlatform, startSlack } from "../../../src/platforms/slack/index.ts";
import { type Delivery, httpDriver, type SlackDriver, socketDriver } from "../../fakes/slack/drivers.ts";
import { FakeSlack } from "../../fakes/slack/fake-slack.ts";
import { buttonPress, slashCommand } from "../../fakes/slack/payloads.ts";
import type { FakeSlackChannel, FakeSlackUser } from "../../fakes/slack/workspace.ts";
import { startTestApp, type TestApp } from "../../support/test-app.ts";

export type SlackMode = "socket" | "http";

export const BOT_TOKEN = "xoxb-1234-5678-fakebottoken";
export const APP_TOKEN = "xapp-1-A0FAKE-1234-fakeapptoken";
export const SIGNING_SECRET = "8f742231b10e8888abcd99aaaaaa85a5";

/** The people and channels of the fake workspace every Slack test starts from. */
export const people = {
  member: { id: "U0MEMBER1", name: "mia" },
  admin: { id: "U0ADMIN01", name: "ada", isAdmin: true },
  owner: { id: "U0OWNER01", name: "otto", isOwner: true },
  listed: { id: "U0LISTED1", name: "lee" },
} satisfies Record<string, FakeSlackUser>;

export interface Answered {
  readonly delivery: Delivery;
  /** The answer posted to the request's response_url. */
  readonly response: Record<string, unknown>;
  readonly responseUrl: string;
}

export interface SlackHarness {
  readonly mode: SlackMode;
  readonly fake: FakeSlack;
  readonly bot: TestApp;
  readonly platform: SlackPlatform;
  readonly driver: SlackDriver;
  readonly channels: {
    readonly papers: FakeSlackChannel;
    readonly uninvited: FakeSlackChannel;
    readonly secret: FakeSlackChannel;
  };
  /** Runs a slash command as `user` in `channel` and waits for its answer (5 s unless `timeoutMs`). */
  command(
    user: FakeSlackUser,
    channel: FakeSlackChannel,
    command: string,
    text: string,
    options?: { readonly timeoutMs?: number },
  ): Promise<Answered>;
  /** Presses a button of an earlier answer and waits for what it posts back. */
  press(
    user: FakeSlackUser,
    channel: FakeSlackChannel,
    blocks: readonly Record<string, unknown>[],
    label: string,
    options?: { readonly ephemeral?: boolean; readonly messageTs?: string; readonly nth?: number },
  ): Promise<Answered>;
  close(): Promise<void>;
}

/** The real core and real Bolt, connected to a fake Slack in one of the two connection modes. */
export async function startSlackHarness(
  mode: SlackMode,
  options: { readonly now?: () => Date; readonly env?: Record<string, string> } = {},
): Promise<SlackHarness> {
  const fake = await FakeSlack.start();
  for (const user of Object.values(people)) fake.workspace.addUser(user);
  const channels = {
    papers: fake.workspace.addChannel({ id: "C0PAPERS1", name: "papers", botIsMember: true }),
    uninvited: fake.workspace.addChannel({ id: "C0UNINVIT", name: "general", botIsMember: false }),
    secret: fake.workspace.addChannel({
      id: "G0SECRET1",
      name: "secret",
      botIsMember: false,
      isPrivate: true,
    }),
  };
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    SLACK_ADMIN_USER_IDS: people.listed.id,
    ...(mode === "socket" ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    ...options.env,
  };
  const bot = await startTestApp({ env, ...(options.now && { now: options.now }) });
  let platform: SlackPlatform;
  try {
    platform = await startSlack(bot.app, loadConfig({ ...env, STORE_URL: bot.storeUrl }), { port: 0 });
  } catch (error) {
    await bot.close();
    await fake.close();
    throw error;
  }
  const driver =
    mode === "socket"
      ? socketDriver(fake)
      : httpDriver(`http://127.0.0.1:${platform.port}/slack/events`, SIGNING_SECRET);

  return {
    mode,
    fake,
    bot,
    platform,
    driver,
    channels,
    async command(user, channel, command, text, commandOptions = {}) {
      const payload = slashCommand(fake, { user, channel }, command, text);
      const delivery = await driver.command(payload);
      const responseUrl = payload.response_url as string;
      const response = await fake.nextResponse(responseUrl, 0, commandOptions.timeoutMs);
      return { delivery, responseUrl, response };
    },
    async press(user, channel, blocks, label, pressOptions = {}) {
      const payload = buttonPress(fake, { user, channel }, blocks, label, pressOptions);
      const delivery = await driver.action(payload);
      const responseUrl = payload.response_url as string;
      return { delivery, responseUrl, response: await fake.nextResponse(responseUrl) };
    },
    async close() {
      await platform.stop();
      if (mode === "socket") await fake.socketsClosed();
      await bot.close();
      await fake.close();
    },
  };
}

/** All the text a person would read in an answer: the blocks' text fields, in order. */
export function readableText(body: Record<string, unknown>): string {
  const blocks = (body.blocks as Record<string, unknown>[] | undefined) ?? [];
  const texts: string[] = [];
  for (const block of blocks) {
    const text = block.text as { text?: string } | undefined;
    if (text?.text) texts.push(text.text);
    for (const element of (block.elements as { text?: unknown }[] | undefined) ?? []) {
      if (typeof element.text === "string") texts.push(element.text);
    }
  }
  return texts.join("\n");
}

/** Paper titles in the order the answer shows them (the bold first line of each paper section). */
export function titlesIn(body: Record<string, unknown>): string[] {
  const blocks = (body.blocks as { type: string; text?: { text?: string } }[] | undefined) ?? [];
  return blocks
    .map((block) => block.text?.text ?? "")
    .map((text) => /^\*(?:<[^|>]+\|)?([^*]+?)>?\*/.exec(text)?.[1])
    .filter((title): title is string => title !== undefined);
}
