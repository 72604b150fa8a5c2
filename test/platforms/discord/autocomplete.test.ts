import { afterAll, beforeAll, expect, it } from "vitest";
import { ada, type DiscordBot, grace, startDiscordBot } from "./discord-bot.ts";

let running: DiscordBot;
beforeAll(async () => {
  running = await startDiscordBot();
});
afterAll(() => running.close());

type Choice = { name: string; value: string };

it("suggests paper titles while typing a search", async () => {
  const answer = await running.fake.autocomplete(running.fake.member(ada), {
    command: "papers",
    path: ["search"],
    options: { query: "diffus" },
    focused: "query",
  });
  expect(answer.type).toBe(8);
  const choices = answer.data.choices as Choice[];
  expect(choices.length).toBeGreaterThan(0);
  expect(choices.length).toBeLessThanOrEqual(25);
  for (const choice of choices) expect(choice.name.length).toBeLessThanOrEqual(100);
  expect(choices.some((choice) => /diffusion/i.test(choice.name))).toBe(true);
});

it("suggests only the user's own topics when unsubscribing", async () => {
  const subscribe = (user: typeof ada, topic: string) =>
    running.fake.command(running.fake.member(user), {
      command: "papers",
      path: ["subscribe"],
      options: { topic },
    });
  await subscribe(ada, "kv cache");
  await subscribe(ada, "speculative decoding");
  await subscribe(grace, "kv quantization");
  const answer = await running.fake.autocomplete(running.fake.member(ada), {
    command: "papers",
    path: ["unsubscribe"],
    options: { topic: "kv" },
    focused: "topic",
  });
  expect((answer.data.choices as Choice[]).map((choice) => choice.value)).toEqual(["kv cache"]);
});
