import { appendFile, copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const NEW_PAPER =
  "\nQuasicrystalline Tokenizers for Aperiodic Sequence Modeling\n" +
  "We study tokenizers whose vocabularies tile the sequence aperiodically. Quasicrystalline tokenizers " +
  "improve compression on long-context benchmarks while keeping decoding cost unchanged.";

let bot: TestApp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await bot?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  bot = undefined;
  dir = undefined;
});

async function botOnCopyOfSeed(watch: boolean): Promise<{ bot: TestApp; corpus: string }> {
  dir = await mkdtemp(join(tmpdir(), "paper-picks-reload-"));
  const corpus = join(dir, "papers.txt");
  await copyFile("data/papers.txt", corpus);
  bot = await startTestApp({ env: { CORPUS: corpus, CORPUS_WATCH: String(watch) } });
  return { bot, corpus };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe("corpus reload", () => {
  it("finds a paper added to a corpus file, without a restart", async () => {
    const { bot, corpus } = await botOnCopyOfSeed(true);
    await bot.app.start();
    expect((await bot.run("/papers search quasicrystalline")).cards).toHaveLength(0);
    await appendFile(corpus, NEW_PAPER);
    const found = await eventually(
      async () => (await bot.run("/papers search quasicrystalline")).cards.length === 1,
    );
    expect(found).toBe(true);
    expect(bot.app.services.catalog.current.papers).toHaveLength(197);
  });

  it("keeps answering on the old papers while a reload builds the new ones", async () => {
    const { bot, corpus } = await botOnCopyOfSeed(false);
    await appendFile(corpus, NEW_PAPER);
    const inFlight = bot.run("/papers search kv cache");
    const reload = bot.app.reloadCorpus("test");
    const [answer] = await Promise.all([inFlight, reload]);
    expect(answer.cards).toHaveLength(5);
    expect((await bot.run("/papers search quasicrystalline")).cards).toHaveLength(1);
  });

  it("keeps the papers it has when the file turns to garbage", async () => {
    const { bot, corpus } = await botOnCopyOfSeed(false);
    await copyFile("/dev/null", corpus);
    await bot.app.reloadCorpus("test");
    expect(bot.app.services.catalog.current.papers).toHaveLength(196);
    expect((await bot.run("/papers search kv cache")).cards).toHaveLength(5);
  });
});
