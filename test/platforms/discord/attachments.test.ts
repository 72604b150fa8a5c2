import { afterEach, describe, expect, it } from "vitest";
import { readBibtex } from "../../citations/parse-back.ts";
import type { UploadedFile } from "../../fakes/discord/request-body.ts";
import { ada, type DiscordBot, EPHEMERAL, grace, startDiscordBot } from "./discord-bot.ts";

let running: DiscordBot | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** The first export loads citation-js and uploads a multipart file: seconds on a busy CI machine. */
const EXPORT_ANSWER_MS = 20_000;

async function exportAs(bot: DiscordBot, user: typeof ada, format: string) {
  return bot.fake.command(
    bot.fake.member(user),
    { command: "papers", path: ["export"], options: { format } },
    EXPORT_ANSWER_MS,
  );
}

async function saveFirst(bot: DiscordBot, user: typeof ada, query: string): Promise<string> {
  const [paper] = (await bot.bot.run(`/papers search ${query} limit:1`)).cards;
  await bot.fake.command(bot.fake.member(user), {
    command: "papers",
    path: ["save"],
    options: { id: paper?.paperId ?? "" },
  });
  return paper?.title ?? "";
}

describe("/papers export on Discord", () => {
  it("replies privately with the file attached, uploaded as multipart like any Discord file", async () => {
    running = await startDiscordBot();
    const title = await saveFirst(running, ada, "diffusion");
    const answer = await exportAs(running, ada, "bibtex");
    expect(answer.type).toBe(4);
    expect(answer.data.flags).toBe(EPHEMERAL);
    expect(answer.data.content).toBe("Your 1 saved paper as BibTeX, newest first: saved-papers.bib.");
    const [file] = answer.data.attachments as UploadedFile[];
    expect(file?.filename).toBe("saved-papers.bib");
    expect(readBibtex(file?.text ?? "").map((entry) => entry.fields.title)).toEqual([title]);
  });

  it("attaches the file to the answer edited in after a deferral too", async () => {
    running = await startDiscordBot({ deferAfterMs: 0 });
    await saveFirst(running, grace, "kv cache");
    const answer = await exportAs(running, grace, "csl-json");
    expect(answer.type).toBe(5);
    const [file] = answer.data.attachments as UploadedFile[];
    expect(file?.filename).toBe("saved-papers.json");
    expect(JSON.parse(file?.text ?? "")).toHaveLength(1);
  });

  it("answers an empty list in words, with no file", async () => {
    running = await startDiscordBot();
    const answer = await exportAs(running, ada, "ris");
    expect(answer.data.content).toContain("Nothing saved yet; /papers save <id> first");
    expect(answer.data.attachments ?? []).toEqual([]);
  });
});
