import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "../../src/core/message.ts";
import { channelTarget } from "../../src/digest/targets.ts";
import { consoleChannels, consoleInvoker } from "../../src/platforms/console/console-channel.ts";
import type { Invoker } from "../../src/platforms/contract.ts";
import { memberInvoker, startTestApp, type TestApp } from "../support/test-app.ts";

let bot: TestApp | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const channelKey = channelTarget("console", consoleInvoker.channelId);
const person = (name: string): Invoker => ({ ...memberInvoker, userId: name, userName: name });

/** A press of a card's button on the channel's digest post, as the platforms report one. */
function pressOnPost(app: TestApp, line: string, invoker: Invoker): Promise<Message> {
  return app.app.router.runLine(line, {
    invoker,
    channels: consoleChannels,
    services: app.app.services,
    post: { id: "digest-post", cards: 5 },
  });
}

async function digestBot(): Promise<TestApp> {
  bot = await startTestApp({ now: () => new Date("2026-11-26T08:00:00Z") });
  await bot.run("/digest setup");
  await bot.run("/digest size 5");
  return bot;
}

const previewIds = async (app: TestApp) =>
  (await app.run("/digest preview")).cards.map((card) => card.paperId);

describe("a channel's digest learns from the 👍/👎 on its posts", () => {
  it("blends what the channel liked into its picks, and says which liked paper each is like", async () => {
    const app = await digestBot();
    const trending = await previewIds(app);
    const [liked] = (await app.run("/papers search speculative decoding limit:1")).cards;
    if (!liked?.paperId) throw new Error("no speculative decoding paper in the seed");
    const answer = await pressOnPost(app, `/papers rate ${liked.paperId} up`, person("ada"));
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(/It also counts toward this channel's digest\.$/);

    const preview = await app.run("/digest preview");
    const ids = preview.cards.map((card) => card.paperId);
    expect(ids).not.toEqual(trending);
    const because = preview.cards.filter((card) =>
      card.reason?.includes(`like “${liked.title.slice(0, 20)}`),
    );
    expect(because.length).toBeGreaterThan(0);
    for (const card of because) expect(card.reason).toMatch(/, rated 👍 here$/);
    const onTopic = preview.cards.filter((card) =>
      /decod|draft|speculat/i.test(`${card.title} ${card.snippet}`),
    );
    expect(onTopic.length).toBeGreaterThanOrEqual(2);
    expect((await app.run("/digest status")).text).toContain(
      "from 1 paper rated 👍 and 0 papers rated 👎 here",
    );
  });

  it("counts only presses on the channel's posts, one vote per person, and 👍 and 👎 cancel out", async () => {
    const app = await digestBot();
    const [id] = (await app.run("/papers search kv cache limit:1")).cards.map((card) => card.paperId);
    // Typed, or pressed on an answer only the presser sees: the person's own rating only.
    await app.run(`/papers rate ${id} up`, person("ada"));
    expect(await app.app.services.store.channelVotes.ratings(channelKey)).toEqual([]);

    await pressOnPost(app, `/papers rate ${id} up`, person("ada"));
    await pressOnPost(app, `/papers rate ${id} up`, person("ada"));
    expect(await app.app.services.store.channelVotes.ratings(channelKey)).toEqual([
      { paperId: id, value: "up" },
    ]);
    await pressOnPost(app, `/papers rate ${id} down`, person("grace"));
    expect(await app.app.services.store.channelVotes.ratings(channelKey)).toEqual([]);
    await pressOnPost(app, `/papers rate ${id} down`, person("ada"));
    expect(await app.app.services.store.channelVotes.ratings(channelKey)).toEqual([
      { paperId: id, value: "down" },
    ]);
    // Clearing a rating takes it back from the channel where it was given.
    await app.run(`/papers rate ${id} clear`, person("grace"));
    await app.run(`/papers rate ${id} clear`, person("ada"));
    expect(await app.app.services.store.channelVotes.ratings(channelKey)).toEqual([]);
  });

  it("takes a person's votes out of every channel with /papers forget", async () => {
    const app = await digestBot();
    const ids = (await app.run("/papers search diffusion limit:2")).cards.map((card) => String(card.paperId));
    await pressOnPost(app, `/papers rate ${ids[0]} up`, person("ada"));
    await pressOnPost(app, `/papers rate ${ids[1]} up`, person("grace"));
    expect((await app.run("/papers forget confirm:yes", person("ada"))).text).toBe(
      "Deleted all your ratings.",
    );
    expect(await app.app.services.store.channelVotes.ratings(channelKey)).toEqual([
      { paperId: ids[1], value: "up" },
    ]);
  });

  it("goes back to trending alone with /digest learn off, for admins only", async () => {
    const app = await digestBot();
    const trending = await previewIds(app);
    const [liked] = (await app.run("/papers search speculative decoding limit:1")).cards;
    await pressOnPost(app, `/papers rate ${liked?.paperId} up`, person("ada"));
    expect(await previewIds(app)).not.toEqual(trending);

    const refused = await app.run("/digest learn off", memberInvoker);
    expect(refused.text).toContain("/digest learn is for server and workspace admins");
    const off = await app.run("/digest learn off");
    expect(off.text).toMatch(/^Learning is off: the picks follow trending alone/);
    expect(await previewIds(app)).toEqual(trending);
    expect((await app.run("/digest status")).text).toContain("Learning is off");
    // The votes stay: turning learning on again picks them up.
    expect((await app.run("/digest learn on")).text).toContain("from 1 paper rated 👍");
    expect(await previewIds(app)).not.toEqual(trending);

    const bad = await app.run("/digest learn maybe");
    expect(bad.ephemeral).toBe(true);
    expect(bad.text).toContain("must be one of on, off");
  });
});
