import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ada,
  buttonsOf,
  type DiscordBot,
  EPHEMERAL,
  grace,
  menusOf,
  readable,
  startDiscordBot,
} from "./discord-bot.ts";

let running: DiscordBot;
beforeAll(async () => {
  running = await startDiscordBot();
});
afterAll(() => running.close());

const search = (query: string) =>
  running.fake.command(running.fake.member(ada), { command: "papers", path: ["search"], options: { query } });
const button = (data: Record<string, unknown>, label: string) => {
  const found = buttonsOf(data).find((candidate) => candidate.label === label);
  if (!found)
    throw new Error(
      `no “${label}” button among ${buttonsOf(data)
        .map((b) => b.label)
        .join(", ")}`,
    );
  return found.custom_id;
};

describe("buttons", () => {
  it("Next and Prev page through results in place", async () => {
    const first = await search("language model");
    const next = await running.fake.press(running.fake.member(ada), button(first.data, "Next ▶"), first.data);
    // 7: the message the button is on is replaced, not answered with a new one.
    expect(next.type).toBe(7);
    expect(next.data.content).toMatch(/^Results 6–10 of/);
    const titles = (data: Record<string, unknown>) =>
      (data.embeds as { title: string }[]).map((embed) => embed.title);
    expect(titles(next.data)).not.toEqual(titles(first.data));

    const back = await running.fake.press(running.fake.member(ada), button(next.data, "◀ Prev"), next.data);
    expect(back.data.content).toMatch(/^Results 1–5 of/);
    expect(titles(back.data)).toEqual(titles(first.data));
  });

  it("More like this answers with papers similar to that one, privately", async () => {
    const first = await search("diffusion language model");
    const firstId = (first.data.embeds as { footer: { text: string } }[])[0]?.footer.text.replace(
      /^.*id /,
      "",
    );
    const [menu] = menusOf(first.data).filter((candidate) =>
      candidate.placeholder.startsWith("More like this"),
    );
    const option = menu?.options[0];
    if (!menu || !option) throw new Error("no More like this menu");
    const similar = await running.fake.choose(
      running.fake.member(grace),
      menu.custom_id,
      option.value,
      first.data,
    );
    expect(similar.type).toBe(4);
    expect(similar.data.flags).toBe(EPHEMERAL);
    const footers = (similar.data.embeds as { footer: { text: string } }[]).map((embed) => embed.footer.text);
    expect(footers.length).toBeGreaterThan(0);
    expect(footers.some((footer) => footer.endsWith(`id ${firstId}`))).toBe(false);
  });

  it("keeps every custom id within 100 characters, and a long query still pages", async () => {
    const long =
      "efficient long context attention for large language models with sparse retrieval and caching";
    const first = await search(long);
    const ids = buttonsOf(first.data).map((candidate) => candidate.custom_id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);
    const next = await running.fake.press(running.fake.member(ada), button(first.data, "Next ▶"), first.data);
    expect(next.data.content).toMatch(/^Results 6–10 of \d+ for “efficient long context/);
  });

  it("a long button from before a restart says it expired instead of guessing", async () => {
    const answer = await running.fake.press(running.fake.member(ada), "u:#zz", { content: "old" });
    expect(readable(answer.data)).toContain("This button has expired");
  });
});
