import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ParityCase, parityCases, SEED_TITLE } from "./parity/cases.ts";
import { startConsoleAdapter } from "./parity/console-adapter.ts";
import { startDiscordAdapter } from "./parity/discord-adapter.ts";
import type { PlatformAdapter, SeenAnswer, StartAdapter } from "./parity/platform-adapter.ts";
import { startSlackAdapter } from "./parity/slack-adapter.ts";

/**
 * The same command gives the same papers in the same order on every platform. The console's
 * answer is the reference; every platform, driven as its users drive it, must show exactly those
 * papers. Adding a platform is one adapter and one row here.
 */
const platforms: { readonly name: string; readonly start: StartAdapter }[] = [
  { name: "console", start: startConsoleAdapter },
  { name: "Discord", start: startDiscordAdapter },
  { name: "Slack over Socket Mode", start: (now) => startSlackAdapter("socket", now) },
  { name: "Slack over HTTP", start: (now) => startSlackAdapter("http", now) },
];

// Every platform sees the same day, so digest picks are comparable.
const now = () => new Date("2026-11-26T08:00:00Z");

let seedId = "";
const reference = new Map<ParityCase, SeenAnswer>();

async function runCase(platform: PlatformAdapter, testCase: ParityCase): Promise<SeenAnswer> {
  for (const line of testCase.before ?? []) await platform.run(line, testCase.as);
  return platform.run(testCase.line.replaceAll("{seed}", seedId), testCase.as);
}

beforeAll(async () => {
  const consoleAdapter = await startConsoleAdapter(now);
  try {
    const seed = consoleAdapter.bot.app.services.catalog.current.papers.find(
      (paper) => paper.title === SEED_TITLE,
    );
    if (!seed) throw new Error(`the seed corpus has no “${SEED_TITLE}”`);
    seedId = seed.id;
    for (const testCase of parityCases) reference.set(testCase, await runCase(consoleAdapter, testCase));
  } finally {
    await consoleAdapter.close();
  }
});

describe("the console's reference answers", () => {
  it.each(parityCases)("$name shows the expected number of papers", (testCase) => {
    const answer = reference.get(testCase);
    expect(answer?.paperIds).toHaveLength(testCase.papers);
    // Distinct papers: a repeated card would make "same order" meaningless.
    expect(new Set(answer?.paperIds).size).toBe(testCase.papers);
    if (testCase.says) expect(answer?.text).toMatch(testCase.says);
  });
});

describe.each(platforms)("$name", ({ start }) => {
  let platform: PlatformAdapter | undefined;
  beforeAll(async () => {
    platform = await start(now);
  });
  afterAll(() => platform?.close());

  it.each(parityCases)("$name: the same papers in the same order as the console", async (testCase) => {
    if (!platform) throw new Error("the platform did not start");
    const seen = await runCase(platform, testCase);
    expect(seen.paperIds).toEqual(reference.get(testCase)?.paperIds);
    if (testCase.says) expect(seen.text).toMatch(testCase.says);
  });
});
