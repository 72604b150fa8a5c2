import { afterEach, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { DiscordStartError, startDiscord } from "../../../src/platforms/discord/index.ts";
import { FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { startTestApp, type TestApp } from "../../support/test-app.ts";
import { ada, type DiscordBot, readable, startDiscordBot } from "./discord-bot.ts";

let running: DiscordBot | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

it("resumes the session after the gateway drops, and answers what arrived meanwhile", async () => {
  running = await startDiscordBot();
  const { fake } = running;
  fake.dropGateway();
  // Dispatched while the socket is down: Discord replays it on RESUME, and the bot answers it.
  const answer = await fake.command(fake.member(ada), {
    command: "papers",
    path: ["search"],
    options: { query: "diffusion" },
  });
  expect(readable(answer.data)).toMatch(/^Results 1–5/);
  expect(fake.gateway.resumes).toBe(1);
  expect(fake.gateway.identifies).toBe(1);
});

it("heartbeats at the interval Discord asks for and stays connected", async () => {
  running = await startDiscordBot({ heartbeatIntervalMs: 100 });
  const { fake } = running;
  await fake.waitFor(() => (fake.gateway.heartbeats >= 3 ? true : undefined), 3000, "three heartbeats");
  expect(fake.gateway.connections).toBe(1);
  const answer = await fake.command(fake.member(ada), { command: "papers", path: ["help"] });
  expect(readable(answer.data)).toContain("/papers");
});

it("registers commands in one server when DISCORD_GUILD_ID is set", async () => {
  running = await startDiscordBot({ guildId: "1100000000000000001" });
  expect(running.fake.commands.global).toBeUndefined();
  const registered = running.fake.commands.guilds.get("1100000000000000001") as { name: string }[];
  expect(registered.map((command) => command.name)).toEqual(["papers", "digest"]);
});

it("stops start-up on a wrong token with one line that names the variable and not the token", async () => {
  const fake = await FakeDiscord.start();
  const wrong = "MTIwMDAwMDAwMDAwMDAwMDAwMQ.Gwrong.aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  let bot: TestApp | undefined;
  try {
    bot = await startTestApp();
    const config = loadConfig({ DISCORD_TOKEN: wrong, DISCORD_API_URL: fake.apiUrl, CORPUS_WATCH: "false" });
    const failure = await startDiscord(bot.app, config).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DiscordStartError);
    const message = (failure as Error).message;
    expect(message).toContain("DISCORD_TOKEN was refused by Discord");
    expect(message).not.toContain(wrong);
    expect(message).not.toContain("\n");
    expect(fake.gateway.connections).toBe(0);
  } finally {
    await bot?.close();
    await fake.close();
  }
});

it("defers when the answer takes longer than the defer threshold, then edits the answer in", async () => {
  running = await startDiscordBot({ deferAfterMs: 0 });
  const { fake } = running;
  const answer = await fake.command(fake.member(ada), {
    command: "papers",
    path: ["search"],
    options: { query: "diffusion" },
  });
  // 5: "thinking…" first, privately; the results arrive as the edit of the original reply.
  expect(answer.type).toBe(5);
  expect(answer.record.callbacks[0]?.data?.flags).toBe(64);
  expect(readable(answer.data)).toMatch(/^Results 1–5/);
  expect(answer.data.allowed_mentions).toEqual({ parse: [] });
});
