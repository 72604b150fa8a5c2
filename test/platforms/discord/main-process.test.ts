import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { plainLines, startBotProcess } from "../../support/bot-process.ts";
import { ada, readable } from "./discord-bot.ts";

let fake: FakeDiscord | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
  dir = undefined;
});

describe("npm start with DISCORD_TOKEN", () => {
  it("connects, registers the commands, answers /papers search, and stops cleanly on SIGTERM", async () => {
    fake = await FakeDiscord.start();
    dir = await mkdtemp(join(tmpdir(), "paper-picks-discord-main-"));
    const bot = startBotProcess({
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      STORE_URL: `sqlite://${join(dir, "store.sqlite")}`,
    });
    const running = fake;
    const registered = await running.waitFor(() => running.commands.global, 20_000, "command registration");
    expect((registered as { name: string }[]).map((command) => command.name).sort()).toEqual([
      "digest",
      "papers",
    ]);

    const answer = await running.command(running.member(ada), {
      command: "papers",
      path: ["search"],
      options: { query: "kv cache" },
    });
    expect(readable(answer.data)).toMatch(/Results 1–5 of \d+ for “kv cache”/);

    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
  });

  it("stops with one line naming DISCORD_TOKEN when Discord refuses it", async () => {
    fake = await FakeDiscord.start();
    dir = await mkdtemp(join(tmpdir(), "paper-picks-discord-main-"));
    const wrong = "MTQwMDAwMDAwMDAwMDAwMDAwMQ.GwRong.abcdefghijklmnopqrstuvwxyz0123";
    const bot = startBotProcess({
      DISCORD_TOKEN: wrong,
      DISCORD_API_URL: fake.apiUrl,
      STORE_URL: `sqlite://${join(dir, "store.sqlite")}`,
    });
    expect(await bot.exited).toBe(1);
    // Besides the JSON log lines a service writes, exactly one line for a person to read.
    const plain = plainLines(bot.stderr());
    expect(plain).toHaveLength(1);
    expect(plain[0]).toContain("DISCORD_TOKEN");
    expect(bot.stderr()).not.toContain(wrong);
  });
});
