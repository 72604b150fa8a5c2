import { afterEach, describe, expect, it } from "vitest";
import { consoleInvoker } from "../../src/platforms/console/console-channel.ts";
import { defaultChannelSettings } from "../../src/store/index.ts";
import { memberInvoker, startTestApp, type TestApp } from "../support/test-app.ts";

let bot: TestApp | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** A bot whose clock reads `iso`, so "today" and "due" are fixed. */
async function botAt(iso: string, storeDir?: string): Promise<TestApp> {
  bot = await startTestApp({ now: () => new Date(iso), ...(storeDir !== undefined && { storeDir }) });
  return bot;
}

describe("/digest for admins only", () => {
  it("refuses a member and changes nothing", async () => {
    const { run, app } = await botAt("2026-11-26T08:00:00Z");
    const answer = await run("/digest setup", memberInvoker);
    expect(answer.text).toContain("/digest setup is for server and workspace admins");
    expect(await app.services.store.channels.list()).toEqual([]);
  });

  it("asks for setup before anything else", async () => {
    const { run } = await botAt("2026-11-26T08:00:00Z");
    expect((await run("/digest status")).text).toContain("Run /digest setup");
  });
});

describe("/digest settings", () => {
  it("sets up the channel with defaults, then time, zone, size and topics", async () => {
    const { run } = await botAt("2026-11-26T08:00:00Z");
    const setup = await run("/digest setup");
    expect(setup.text).toContain("#console at 09:00 UTC, 5 papers a day; next on Thu 26 Nov at 09:00");

    const time = await run("/digest time 7:30 Europe/Berlin");
    expect(time.text).toContain("#console at 07:30 Europe/Berlin");
    // 08:00 UTC is 09:00 in Berlin: today's 07:30 has passed, so the next post is tomorrow.
    expect(time.text).toContain("next on Fri 27 Nov at 07:30");

    expect((await run("/digest size 3")).text).toContain("3 papers a day");
    expect((await run("/digest topics add kv cache")).text).toContain("on “kv cache”");
    const status = await run("/digest status");
    expect(status.text).toContain("#console at 07:30 Europe/Berlin, 3 papers a day, on “kv cache”");
    expect(status.text).toContain("Last delivery: none yet.");
  });

  it("names the wrong option and shows the right form", async () => {
    const { run } = await botAt("2026-11-26T08:00:00Z");
    await run("/digest setup");
    const zone = await run("/digest time 08:30 Mars/Olympus");
    expect(zone.text).toContain("timezone must be an IANA time zone");
    expect(zone.text).toContain("Usage: /digest time <HH:MM>");
    expect((await run("/digest time 25:00")).text).toContain("time must be a 24-hour time");
    const tooBig = await run("/digest size 11");
    expect(tooBig.text).toContain("size must be a whole number from 1 to 10");
    expect(tooBig.text).toContain("Usage: /digest size <1-10>");
    expect((await run("/digest setup #general")).text).toContain("The console has one channel");
    expect((await run("/digest topics remove transformers")).text).toContain(
      "is not one of this digest's topics",
    );
  });

  it("says 1 paper, not 1 papers, for a digest of one", async () => {
    const { run } = await botAt("2026-11-26T10:00:00Z");
    await run("/digest setup");
    expect((await run("/digest size 1")).text).toContain("1 paper a day;");
    expect((await run("/digest now")).text).toBe("Posted today's picks in #console: 1 paper.");
  });

  it("pauses and resumes", async () => {
    const { run } = await botAt("2026-11-26T08:00:00Z");
    await run("/digest setup");
    expect((await run("/digest pause")).text).toContain("paused (/digest resume to restart)");
    expect((await run("/digest now")).text).toContain("paused");
    expect((await run("/digest resume")).text).toContain("next on Thu 26 Nov at 09:00");
  });
});

describe("/digest preview and now", () => {
  it("previews privately, posts once a day, and never repeats a paper the next day", async () => {
    const { run, sent } = await botAt("2026-11-26T10:00:00Z");
    await run("/digest setup");
    const preview = await run("/digest preview");
    expect(preview.ephemeral).toBe(true);
    expect(preview.cards).toHaveLength(5);
    expect(preview.cards[0]?.reason).toBe("#1 on today's list");
    expect(sent).toHaveLength(0);

    expect((await run("/digest now")).text).toContain("Posted today's picks in #console: 5 papers");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.target).toBe("console");
    expect(sent[0]?.message.text).toBe("Today's picks · 26 Nov");
    expect(sent[0]?.message.cards.map((card) => card.paperId)).toEqual(
      preview.cards.map((card) => card.paperId),
    );

    expect((await run("/digest now")).text).toContain("already in #console");
    expect(sent).toHaveLength(1);

    // After today's post the preview shows tomorrow's, which shares no paper with today's.
    const tomorrow = await run("/digest preview");
    const today = new Set(sent[0]?.message.cards.map((card) => card.paperId));
    expect(tomorrow.cards.some((card) => today.has(card.paperId))).toBe(false);
  });
});

describe("/digest preview before setup", () => {
  it("shows today's picks with the defaults and how to set it up, writing nothing", async () => {
    const { run, app, sent } = await botAt("2026-11-26T10:00:00Z");
    const before = await run("/digest preview");
    expect(before.ephemeral).toBe(true);
    expect(before.text).toContain("no daily digest is set up here yet");
    expect(before.text).toContain("#console would get 5 papers a day at 09:00 UTC, on any topic");
    expect(before.text).toContain("Run /digest setup to start it.");
    expect(before.text).toContain("Today's picks · 26 Nov");
    expect(await app.services.store.channels.list()).toEqual([]);
    expect(sent).toHaveLength(0);

    // What setting up with the defaults then previews is exactly that.
    await run("/digest setup");
    const after = await run("/digest preview");
    expect(after.cards.map((card) => card.paperId)).toEqual(before.cards.map((card) => card.paperId));
    expect(before.cards).toHaveLength(5);
  });

  it("still lists the server's digests when there are several elsewhere", async () => {
    const { run, app } = await botAt("2026-11-26T10:00:00Z");
    // The console has one channel: a Slack workspace with two digests, asked from a third channel.
    const at = new Date("2026-11-26T10:00:00Z");
    for (const [channelId, channelName] of [
      ["C0PAPERS1", "papers"],
      ["C0ML00001", "ml"],
    ] as const) {
      const channel = {
        platform: "slack",
        channelId,
        channelName,
        guildId: "T0TEAM001",
        setupBy: "U1",
      } as const;
      await app.services.store.channels.put(defaultChannelSettings(channel, at));
    }
    const lobby = {
      ...consoleInvoker,
      platform: "slack",
      guildId: "T0TEAM001",
      channelId: "C0LOBBY01",
    } as const;
    const answer = await run("/digest preview", lobby);
    expect(answer.text).toBe(
      "This server has digests in #papers, #ml. Run the command in the channel whose digest you mean.",
    );
  });
});

describe("the schedule", () => {
  it("posts a due digest once, and makes up a missed run after a restart the same day", async () => {
    const first = await botAt("2026-11-26T08:00:00Z");
    await first.run("/digest setup");
    const dir = first.storeUrl.replace(/^sqlite:\/\//, "").replace(/\/store\.sqlite$/, "");
    await first.app.services.scheduler.runDue(new Date("2026-11-26T08:30:00Z"));
    expect(first.sent).toHaveLength(0);
    await first.app.stop();
    bot = undefined;

    // Down at 09:00, back at 11:00: today's digest comes once, at start-up.
    const second = await botAt("2026-11-26T11:00:00Z", dir);
    await second.app.start();
    expect(second.sent).toHaveLength(1);
    await second.app.services.scheduler.runDue(new Date("2026-11-26T11:15:00Z"));
    expect(second.sent).toHaveLength(1);
    expect((await second.run("/digest status")).text).toContain("Last delivery: 2026-11-26, 5 papers");
  });

  it("sends a subscriber the new papers on their topics, once a day, from the next alert time", async () => {
    const { run, sent, app } = await botAt("2026-11-26T08:00:00Z");
    await run("/papers subscribe kv cache", memberInvoker);
    await app.services.scheduler.runDue(new Date("2026-11-26T08:30:00Z"));
    expect(sent).toHaveLength(0);
    await app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));
    await app.services.scheduler.runDue(new Date("2026-11-26T09:15:00Z"));
    const alerts = sent.filter((entry) => entry.target === "console:user:member");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message.text).toMatch(/^New on your topics · 26 Nov: 5 papers/);
    for (const card of alerts[0]?.message.cards ?? []) expect(card.reason).toContain("matches “kv cache”");

    // The next day brings only papers not sent before.
    await app.services.scheduler.runDue(new Date("2026-11-27T09:00:00Z"));
    const second = sent.filter((entry) => entry.target === "console:user:member")[1];
    const first = new Set(alerts[0]?.message.cards.map((card) => card.paperId));
    expect(second?.message.cards.length).toBeGreaterThan(0);
    expect(second?.message.cards.some((card) => first.has(card.paperId))).toBe(false);
  });

  it("does not post a digest set up after today's time until tomorrow", async () => {
    const { run, sent, app } = await botAt("2026-11-26T10:00:00Z");
    expect((await run("/digest setup")).text).toContain("next on Fri 27 Nov at 09:00");
    await app.services.scheduler.runDue(new Date("2026-11-26T10:15:00Z"));
    expect(sent).toHaveLength(0);
    await app.services.scheduler.runDue(new Date("2026-11-27T09:00:00Z"));
    expect(sent.map((entry) => entry.message.text)).toEqual(["Today's picks · 27 Nov"]);
  });
});
