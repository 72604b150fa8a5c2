import { fileURLToPath } from "node:url";
import type { TestContext } from "vitest";
import { localDateIn } from "../../src/schedule/local-time.ts";
import { type Delivery, defaultChannelSettings, openStore } from "../../src/store/index.ts";
import { FakeSlack } from "../fakes/slack/fake-slack.ts";
import type { PostedMessage } from "../fakes/slack/workspace.ts";
import { type BotProcess, killBotProcess, startBotProcess } from "../support/bot-process.ts";
import { createTestStore, type StoreKind, type TestStore } from "./test-stores.ts";

/**
 * What the delivery tests share: a fake Slack workspace with many channels, a store seeded with
 * their digest settings before any bot starts, real `src/main.ts` processes in Socket Mode, and
 * ways to read the outcome as a user sees it (the posts in each channel) and as the bot recorded
 * it (the ledger).
 */

export const APP_TOKEN = "xapp-1-A0FAKE-1234-fakeapptoken";
/** One bot token per process, so the fake can tell which process made each post. */
export const FIRST_TOKEN = "xoxb-1111-2222-firstprocess";
export const SECOND_TOKEN = "xoxb-3333-4444-secondprocess";
export const BOT_TOKENS = [FIRST_TOKEN, SECOND_TOKEN] as const;
export const ADMIN = { id: "U0ADMIN01", name: "ada", isAdmin: true };

/** `count` Slack channel ids, C0DLV0001 and up. */
export function channelIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `C0DLV${String(index + 1).padStart(4, "0")}`);
}

/**
 * A zone where it is about noon now: a digest at 00:00 there has passed today, so the catch-up
 * at start delivers it at once, and the local date cannot change while the test runs.
 */
export function middayZone(now: Date = new Date()): { readonly timezone: string; readonly today: string } {
  const offset = 12 - now.getUTCHours();
  // Etc/GMT-5 is UTC+5: the POSIX sign is the other way round.
  const timezone = offset === 0 ? "UTC" : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
  return { timezone, today: localDateIn(now, timezone) };
}

/** Writes each channel's digest settings (00:00 in `timezone`, set up by ADMIN) with the project's own store code. */
export async function seedChannels(
  storeUrl: string,
  ids: readonly string[],
  timezone: string,
): Promise<void> {
  const store = await openStore(storeUrl);
  try {
    await Promise.all(
      ids.map((id) =>
        store.channels.put(
          defaultChannelSettings({
            platform: "slack",
            channelId: id,
            channelName: id.toLowerCase(),
            setupBy: ADMIN.id,
            time: "00:00",
            timezone,
          }),
        ),
      ),
    );
  } finally {
    await store.close();
  }
}

/** Each channel's ledger, read after the bots have stopped. */
export async function readLedgers(
  storeUrl: string,
  ids: readonly string[],
): Promise<Map<string, readonly Delivery[]>> {
  const store = await openStore(storeUrl);
  try {
    const histories = await Promise.all(ids.map((id) => store.ledger.history(`slack:${id}`)));
    return new Map(ids.map((id, index) => [id, histories[index] ?? []]));
  } finally {
    await store.close();
  }
}

/** A fake Slack workspace where the bot is a member of every channel in `ids`. */
export async function fakeSlackWith(ids: readonly string[]): Promise<FakeSlack> {
  const fake = await FakeSlack.start();
  fake.workspace.addUser(ADMIN);
  for (const id of ids) fake.workspace.addChannel({ id, name: id.toLowerCase(), botIsMember: true });
  return fake;
}

/** Every post the workspace received, channel by channel. */
export function postsByChannel(fake: FakeSlack): Map<string, PostedMessage[]> {
  const byChannel = new Map<string, PostedMessage[]>();
  for (const post of fake.workspace.posted) {
    byChannel.set(post.channel, [...(byChannel.get(post.channel) ?? []), post]);
  }
  return byChannel;
}

/** The channels that did not get exactly one post, with how many they got: `[]` is the goal. */
export function notExactlyOnce(fake: FakeSlack, ids: readonly string[]): string[] {
  const byChannel = postsByChannel(fake);
  return ids
    .map((id) => ({ id, posts: byChannel.get(id)?.length ?? 0 }))
    .filter(({ posts }) => posts !== 1)
    .map(({ id, posts }) => `${id}: ${posts} posts`);
}

/** The channels that the process with `token` posted to (each chat.postMessage call it made). */
export function channelsPostedBy(fake: FakeSlack, token: string): string[] {
  return fake
    .callsOf("chat.postMessage")
    .filter((call) => call.token === token)
    .map((call) => String(call.args.channel));
}

/** Resolves once every channel has had a post; on timeout, names the ones still waiting. */
export async function everyChannelPosted(
  fake: FakeSlack,
  ids: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const missing = () => {
    const posted = new Set(fake.workspace.posted.map((post) => post.channel));
    return ids.filter((id) => !posted.has(id));
  };
  try {
    await fake.waitFor(
      () => (missing().length === 0 ? true : undefined),
      "a post in every channel",
      timeoutMs,
    );
  } catch {
    const left = missing();
    throw new Error(`${left.length} of ${ids.length} channels got no post: ${left.slice(0, 10).join(", ")}…`);
  }
}

/**
 * With answers held (fake.heldPosts.hold()), resolves with the posts made once their number has
 * stopped growing for `quietMs`: every delivery worker is then waiting for Slack's answer, and
 * none is between its claim and its send. Polls; the quiet period is a condition, not a sleep.
 */
export async function postsOnceStalled(
  fake: FakeSlack,
  quietMs: number,
  timeoutMs: number,
): Promise<PostedMessage[]> {
  const deadline = Date.now() + timeoutMs;
  await fake.waitFor(() => (fake.workspace.posted.length > 0 ? true : undefined), "a first post", timeoutMs);
  let count = fake.workspace.posted.length;
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline)
      throw new Error(`posts kept coming for ${timeoutMs} ms while answers were held`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (fake.workspace.posted.length !== count) {
      count = fake.workspace.posted.length;
      since = Date.now();
    }
  }
  return [...fake.workspace.posted];
}

/** The preload that says on stderr when SIGTERM arrived (see announce-sigterm.ts). */
export const ANNOUNCE_SIGTERM = fileURLToPath(new URL("./announce-sigterm.ts", import.meta.url));
export const SIGTERM_ANNOUNCEMENT = "delivery test: SIGTERM received";

/**
 * A rig for one test, ended when the test finishes whatever happened (bots killed if still
 * running, fake closed, store removed); when the test fails, the bots' last log lines are printed.
 */
export function useDeliveryRig(test: Pick<TestContext, "onTestFinished" | "onTestFailed">): DeliveryRig {
  const rig = new DeliveryRig();
  test.onTestFailed(() => rig.printLogTails());
  test.onTestFinished(() => rig.close());
  return rig;
}

/** Everything one test starts: bot processes, the fake Slack, the store. */
export class DeliveryRig {
  readonly bots: BotProcess[] = [];
  fake: FakeSlack | undefined;
  store: TestStore | undefined;

  async open(kind: StoreKind, ids: readonly string[]): Promise<{ fake: FakeSlack; store: TestStore }> {
    this.store = await createTestStore(kind);
    this.fake = await fakeSlackWith(ids);
    return { fake: this.fake, store: this.store };
  }

  /** A real bot process in Socket Mode against the fake, on the test's store. */
  startBot(
    token: string,
    options: { readonly imports?: readonly string[]; readonly env?: Record<string, string> } = {},
  ): BotProcess {
    if (!this.fake || !this.store) throw new Error("open() the rig before starting a bot");
    const bot = startBotProcess(
      {
        SLACK_BOT_TOKEN: token,
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: this.fake.apiUrl,
        STORE_URL: this.store.url,
        ...options.env,
      },
      options.imports ? { imports: options.imports } : {},
    );
    this.bots.push(bot);
    return bot;
  }

  printLogTails(lines = 15): void {
    for (const [index, bot] of this.bots.entries()) {
      const tail = bot.stderr().trimEnd().split("\n").slice(-lines).join("\n");
      console.error(
        `bot process ${index + 1} (exit ${bot.child.exitCode ?? bot.child.signalCode}), last lines:\n${tail}`,
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.bots.map(killBotProcess));
    await this.fake?.close();
    await this.store?.remove();
    this.fake = undefined;
    this.store = undefined;
  }
}
