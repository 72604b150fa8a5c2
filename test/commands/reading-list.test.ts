import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleInvoker } from "../../src/platforms/console/console-channel.ts";
import type { Invoker } from "../../src/platforms/contract.ts";
import { readBibtex, readRis } from "../citations/parse-back.ts";
import { memberInvoker, startTestApp, type TestApp } from "../support/test-app.ts";

/** Another member of the console channel, not an admin. */
const otherMember: Invoker = { ...memberInvoker, userId: "other", userName: "olive" };
/** The member, writing to the bot in a direct message. */
const inDm: Invoker = { ...memberInvoker, channelId: "dm-member", isDirectMessage: true };

const PAPERS = 1000;
const paperId = (i: number) => `2503.${String(i).padStart(5, "0")}`;

let bot: TestApp;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "paper-picks-reading-list-"));
  const records = Array.from({ length: PAPERS }, (_, i) => ({
    id: paperId(i),
    title: `Reading list paper number ${i}`,
    abstract: `An abstract long enough to be a paper's, number ${i}.`,
    authors: [i % 2 === 0 ? "Ada Lovelace" : "Grace Hopper"],
    publishedAt: "2025-03-01T00:00:00Z",
  }));
  await writeFile(join(dir, "papers.jsonl"), records.map((record) => JSON.stringify(record)).join("\n"));
  bot = await startTestApp({ env: { CORPUS: join(dir, "papers.jsonl") } });
});
afterAll(async () => {
  await bot.close();
  await rm(dir, { recursive: true, force: true });
});

const listed = async () =>
  (await bot.app.services.store.readingLists.inOrder("console")).map((e) => e.paperId);
const clear = async () => {
  await bot.app.services.store.readingLists.delete("console");
};

describe("/digest list", () => {
  it("anyone adds; the list shows who added each and how many people saved it, in the order added", async () => {
    await clear();
    const added = await bot.run(`/digest list add ${paperId(1)}`, memberInvoker);
    expect(added.ephemeral).toBe(true);
    expect(added.text).toBe(
      "Added “Reading list paper number 1” to the reading list of #console (1 paper). /digest list shows it.",
    );
    await bot.run(`/digest list add ${paperId(2)}`, otherMember);
    await bot.run(`/papers save ${paperId(1)}`, memberInvoker);
    await bot.run(`/papers save ${paperId(1)}`, otherMember);
    await bot.run(`/papers save ${paperId(2)}`, consoleInvoker);

    const list = await bot.run("/digest list", otherMember);
    expect(list.ephemeral).toBe(true);
    expect(list.text).toBe("Reading list of #console 1–2 of 2, in the order added.");
    expect(list.cards.map((card) => card.paperId)).toEqual([paperId(1), paperId(2)]);
    expect(list.cards[0]?.reason).toMatch(/^added by member \d{1,2} [A-Z][a-z]{2} · saved by 2 people$/);
    expect(list.cards[1]?.reason).toMatch(/^added by olive .* · saved by 1 person$/);

    await bot.run(`/papers unsave ${paperId(1)}`, otherMember);
    expect((await bot.run("/digest list")).cards[0]?.reason).toMatch(/saved by 1 person$/);
  });

  it("answers adding twice, an unknown id and removing what is not listed clearly, losing nothing", async () => {
    await clear();
    await bot.run(`/digest list add ${paperId(3)}`, memberInvoker);
    const twice = await bot.run(`/digest list add ${paperId(3)}`, otherMember);
    expect(twice.ephemeral).toBe(true);
    expect(twice.text).toMatch(
      /^“Reading list paper number 3” is already on the reading list of #console \(added by member .*\); nothing changed\./,
    );
    const unknown = await bot.run("/digest list add 9999.99999", memberInvoker);
    expect(unknown.ephemeral).toBe(true);
    expect(unknown.text).toContain("No paper has the id “9999.99999”");
    const notListed = await bot.run(`/digest list remove ${paperId(4)}`, memberInvoker);
    expect(notListed.ephemeral).toBe(true);
    expect(notListed.text).toBe(
      `“${paperId(4)}” is not on the reading list of #console. /digest list shows what is.`,
    );
    const badId = await bot.run("/digest list add <@everyone>", memberInvoker);
    expect(badId.text).toMatch(/id must be a paper id/);
    expect(await listed()).toEqual([paperId(3)]);
    expect((await bot.run("/digest list")).cards[0]?.reason).toMatch(/^added by member /);
  });

  it("lets whoever added a paper, or an admin, remove it, and refuses anyone else", async () => {
    await clear();
    await bot.run(`/digest list add ${paperId(5)}`, memberInvoker);
    await bot.run(`/digest list add ${paperId(6)}`, memberInvoker);
    await bot.run(`/digest list add ${paperId(7)}`, otherMember);

    const refused = await bot.run(`/digest list remove ${paperId(5)}`, otherMember);
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toMatch(
      /^\/digest list remove is for whoever added the paper \(member did\) and for server and workspace admins/,
    );
    expect(await listed()).toEqual([paperId(5), paperId(6), paperId(7)]);

    expect((await bot.run(`/digest list remove ${paperId(5)}`, memberInvoker)).text).toBe(
      `Removed “${paperId(5)}” from the reading list of #console (2 papers left).`,
    );
    // The console's user is the channel's admin.
    expect((await bot.run(`/digest list remove ${paperId(7)}`, consoleInvoker)).text).toMatch(/^Removed/);
    expect(await listed()).toEqual([paperId(6)]);
  });

  it("says in a direct message that it needs a channel, and changes nothing", async () => {
    await clear();
    for (const line of [
      "/digest list",
      `/digest list add ${paperId(8)}`,
      `/digest list remove ${paperId(8)}`,
      "/papers export bibtex from:channel",
    ]) {
      const answer = await bot.run(line, inDm);
      expect(answer.ephemeral, line).toBe(true);
      expect(answer.text, line).toMatch(
        /needs a channel, not a direct message\. Run it in the channel you mean\./,
      );
    }
    expect(await bot.app.services.store.readingLists.list()).toEqual([]);
  });

  it("pages a list of 1,000 papers ten at a time, in the order added", async () => {
    await clear();
    const at = "2026-12-07T10:00:00.000Z";
    await bot.app.services.store.readingLists.put({
      schemaVersion: 1,
      channel: "console",
      platform: "console",
      channelId: "console",
      papers: Array.from({ length: PAPERS }, (_, i) => ({
        paperId: paperId(i),
        addedBy: "member",
        addedByName: "member",
        addedAt: at,
      })),
      updatedAt: at,
    });
    const first = await bot.run("/digest list", memberInvoker);
    expect(first.text).toBe("Reading list of #console 1–10 of 1000, in the order added.");
    expect(first.buttons.map((button) => button.label)).toEqual(["Next ▶"]);
    const second = await bot.run(first.buttons[0]?.command ?? "", memberInvoker);
    expect(second.cards.map((card) => card.paperId)).toEqual(
      Array.from({ length: 10 }, (_, i) => paperId(10 + i)),
    );
    const last = await bot.run("/digest list page:100", memberInvoker);
    expect(last.text).toBe("Reading list of #console 991–1000 of 1000, in the order added.");
    expect(last.buttons.map((button) => button.label)).toEqual(["◀ Prev"]);
    expect((await bot.run("/digest list page:101")).text).toBe(
      "The reading list of #console has 1000 papers; page 101 is past the end.",
    );
    expect((await bot.run("/digest list page:0")).text).toMatch(/page must be a whole number from 1 to 200/);
  });

  it("lands adds made at once by different people", async () => {
    await clear();
    const people = [memberInvoker, otherMember, consoleInvoker];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        bot.run(`/digest list add ${paperId(100 + i)}`, people[i % 3] as Invoker),
      ),
    );
    expect(new Set(await listed())).toEqual(new Set(Array.from({ length: 12 }, (_, i) => paperId(100 + i))));
  });
});

describe("/papers export from:channel", () => {
  it("says so when the list is empty, and exports the list in the order added, read back by parsers", async () => {
    await clear();
    const empty = await bot.run("/papers export bibtex from:channel", memberInvoker);
    expect(empty.ephemeral).toBe(true);
    expect(empty.attachment).toBeUndefined();
    expect(empty.text).toBe(
      "The reading list of #console is empty, so there is nothing to export; /digest list add <id> first.",
    );

    for (const i of [12, 10, 11]) await bot.run(`/digest list add ${paperId(i)}`, otherMember);
    const bib = await bot.run("/papers export bibtex from:channel", memberInvoker);
    expect(bib.ephemeral).toBe(true);
    expect(bib.text).toBe(
      "The reading list of #console, 3 listed papers, as BibTeX, in the order added: reading-list.bib.",
    );
    expect(bib.attachment?.filename).toBe("reading-list.bib");
    expect(readBibtex(bib.attachment?.text ?? "").map((entry) => entry.fields.title)).toEqual([
      "Reading list paper number 12",
      "Reading list paper number 10",
      "Reading list paper number 11",
    ]);
    const ris = await bot.run("/papers export ris from:channel", consoleInvoker);
    expect(readRis(ris.attachment?.text ?? "").map((item) => item.title)).toEqual([
      "Reading list paper number 12",
      "Reading list paper number 10",
      "Reading list paper number 11",
    ]);
    // from:saved is still each person's own list.
    expect((await bot.run("/papers export bibtex", otherMember)).text).toContain("Nothing saved yet");
  });
});
