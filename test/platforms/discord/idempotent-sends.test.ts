import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildCatalog, LiveCatalog } from "../../../src/catalog/index.ts";
import { loadCorpus } from "../../../src/corpus/index.ts";
import { OutcomeUnknownError } from "../../../src/digest/delivery-error.ts";
import { DigestService, deliveryKey } from "../../../src/digest/digest-service.ts";
import { Outbox } from "../../../src/digest/outbox.ts";
import type { SenderTraits, SendMessage } from "../../../src/platforms/contract.ts";
import { discordDeliveryRef, discordNonce } from "../../../src/platforms/discord/sender.ts";
import { defaultChannelSettings } from "../../../src/store/index.ts";
import { failures } from "../../fakes/discord/failures.ts";
import type { RecordedRequest } from "../../fakes/discord/fake-discord.ts";
import { useTempStores } from "../../store/temp-store.ts";
import { ADMIN_PERMISSIONS, ada, admin, type DiscordBot, readable, startDiscordBot } from "./discord-bot.ts";

let running: DiscordBot | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const morning = () => new Date("2026-11-26T08:00:00Z");
const MESSAGE_POST = /^\/channels\/\d+\/messages$/;

function messagePosts(requests: readonly RecordedRequest[]) {
  return requests.filter((request) => request.method === "POST" && MESSAGE_POST.test(request.path));
}

describe("a digest whose answer from Discord was lost", () => {
  it("is resent under the same nonce: the channel has it once and the ledger has its id", async () => {
    running = await startDiscordBot({ now: morning });
    const { fake, bot } = running;
    const answer = await fake.command(
      fake.member(admin, { channel: "papers", permissions: ADMIN_PERMISSIONS }),
      {
        command: "digest",
        path: ["setup"],
      },
    );
    expect(readable(answer.data)).toContain("daily picks in #papers");
    const channel = fake.channel("papers").id;
    // Discord creates the message, then the connection closes before the answer arrives.
    fake.failNext("POST", MESSAGE_POST, failures.answerDropped());

    const report = await bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));

    expect(report.failed).toEqual([]);
    const posted = fake.messagesIn(channel);
    expect(posted).toHaveLength(1);
    const key = deliveryKey(`discord:${channel}`, "2026-11-26");
    expect(posted[0]?.body.content).toBe(`Today's picks · 26 Nov\n${discordDeliveryRef(key)}`);
    const tries = messagePosts(fake.requests);
    expect(tries.map((request) => request.status)).toEqual([0, 200]);
    const nonce = discordNonce(key);
    for (const request of tries) expect(request.body).toMatchObject({ nonce, enforce_nonce: true });
    const history = await bot.app.services.store.ledger.history(`discord:${channel}`);
    expect(history.map((entry) => [entry.localDate, entry.messageId])).toEqual([
      ["2026-11-26", posted[0]?.id],
    ]);
  });

  it("does the same for a topic alert sent by direct message", async () => {
    running = await startDiscordBot({ now: morning });
    const { fake, bot } = running;
    await fake.command(fake.member(ada), {
      command: "papers",
      path: ["subscribe"],
      options: { topic: "diffusion" },
    });
    fake.failNext("POST", MESSAGE_POST, failures.answerDropped());

    const report = await bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));

    expect(report.failed).toEqual([]);
    const alerts = fake.messagesIn(String(fake.dmChannelOf(ada.id)));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body.content).toMatch(/^New on your topics · 26 Nov/);
    const history = await bot.app.services.store.ledger.history(`discord:user:${ada.id}`);
    expect(history.map((entry) => entry.messageId)).toEqual([alerts[0]?.id]);
  });
});

describe("the nonce of a delivery", () => {
  const channel = "discord:1100000000000000012";

  it("fits Discord's 25 characters, and is the same for the same target and day in every try", () => {
    const nonce = discordNonce(deliveryKey(channel, "2026-11-26"));
    expect(nonce.length).toBeLessThanOrEqual(25);
    expect(discordNonce(deliveryKey(channel, "2026-11-26"))).toBe(nonce);
  });

  it("differs for another day and for another target", () => {
    const nonce = discordNonce(deliveryKey(channel, "2026-11-26"));
    expect(discordNonce(deliveryKey(channel, "2026-11-27"))).not.toBe(nonce);
    expect(discordNonce(deliveryKey("discord:1100000000000000011", "2026-11-26"))).not.toBe(nonce);
  });
});

describe("a send with an unknown outcome, by what the platform promises", () => {
  const { newStore } = useTempStores();
  let catalog: LiveCatalog;
  beforeAll(async () => {
    catalog = new LiveCatalog(buildCatalog((await loadCorpus("data/papers.txt")).papers));
  });

  const target = "discord:1";
  const day = "2026-11-26";

  /** A platform whose first send gets no answer; the keys it was given, one per try. */
  async function deliverThroughOutbox(traits: SenderTraits) {
    const keys: (string | undefined)[] = [];
    const send: SendMessage = async (_target, _message, options) => {
      keys.push(options?.idempotencyKey);
      if (keys.length === 1) throw new OutcomeUnknownError("the post timed out before Discord answered");
      return { messageId: `m${keys.length}` };
    };
    const outbox = new Outbox();
    outbox.register("discord", send, traits);
    const { store } = await newStore();
    await store.channels.put(
      defaultChannelSettings({ platform: "discord", channelId: "1", setupBy: "admin" }),
    );
    const waits: number[] = [];
    const service = new DigestService({
      catalog,
      store,
      send: outbox.send,
      defaults: { time: "09:00", timezone: "UTC", size: 5 },
      retries: { sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    });
    const outcome = await service.deliver(target, day).then(
      (delivered) => delivered.status,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    return { outcome, keys, waits, store };
  }

  it("is resent under the same key where the platform dedupes it", async () => {
    const { outcome, keys, waits, store } = await deliverThroughOutbox({ idempotentForMs: 120_000 });
    expect(outcome).toBe("delivered");
    expect(keys).toEqual([deliveryKey(target, day), deliveryKey(target, day)]);
    expect(waits).toEqual([750]);
    expect((await store.ledger.history(target)).map((entry) => entry.messageId)).toEqual(["m2"]);
  });

  it("is not resent where the platform has no idempotency key (as on Slack)", async () => {
    const { outcome, keys } = await deliverThroughOutbox({});
    expect(outcome).toContain("timed out");
    expect(keys).toHaveLength(1);
  });

  it("is not resent when the resend would come after the platform's dedupe window", async () => {
    const { outcome, keys } = await deliverThroughOutbox({ idempotentForMs: 500 });
    expect(outcome).toContain("timed out");
    expect(keys).toHaveLength(1);
  });
});
