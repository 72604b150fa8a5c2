import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type CorpusWatcher, watchCorpus } from "../../src/corpus/index.ts";
import { seedText, tempCorpus } from "./temp-corpus.ts";

const ABSTRACT = "A method is proposed. It works better than the old one on every benchmark we tried.";
const DEBOUNCE_MS = 200;

const watchers: CorpusWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((watcher) => watcher.close()));
});

/** Starts watching and counts onChange calls. */
async function watchCounting(spec: string, cwd: string): Promise<{ calls: () => number }> {
  let calls = 0;
  const watcher = watchCorpus(spec, { cwd, debounceMs: DEBOUNCE_MS }, () => {
    calls++;
  });
  watchers.push(watcher);
  await watcher.ready;
  return { calls: () => calls };
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

describe("watchCorpus", () => {
  it("reports a change to a named file once, however many writes the save takes", async () => {
    const dir = await tempCorpus({ "papers.txt": seedText([["Paper A", ABSTRACT]]) });
    const { calls } = await watchCounting("papers.txt", dir);

    for (const title of ["Paper B", "Paper C", "Paper D"]) {
      await writeFile(path.join(dir, "papers.txt"), seedText([[title, ABSTRACT]]));
    }

    await waitFor(() => calls() >= 1);
    await sleep(DEBOUNCE_MS * 4);
    expect(calls()).toBe(1);
  });

  it("ignores other files next to a named file, such as the bot's SQLite store", async () => {
    const dir = await tempCorpus({ "papers.txt": seedText([["Paper A", ABSTRACT]]) });
    const { calls } = await watchCounting("papers.txt", dir);

    await writeFile(path.join(dir, "state.sqlite"), "not a corpus file");
    await writeFile(path.join(dir, "other.txt"), seedText([["Not Watched", ABSTRACT]]));
    await sleep(DEBOUNCE_MS * 5);
    expect(calls()).toBe(0);

    await writeFile(path.join(dir, "papers.txt"), seedText([["Paper B", ABSTRACT]]));
    await waitFor(() => calls() === 1);
  });

  it("reports a corpus file added to a watched folder, and a new file matching a glob", async () => {
    const dir = await tempCorpus({
      "corpus/a.txt": seedText([["Paper A", ABSTRACT]]),
      "days/1.json": JSON.stringify([{ title: "Paper B", abstract: ABSTRACT }]),
    });
    const { calls } = await watchCounting("corpus,days/*.json", dir);

    await mkdir(path.join(dir, "corpus/nested"));
    await writeFile(
      path.join(dir, "corpus/nested/new.jsonl"),
      `${JSON.stringify({ title: "C", abstract: "D" })}\n`,
    );
    await waitFor(() => calls() === 1);

    await writeFile(
      path.join(dir, "days/2.json"),
      JSON.stringify([{ title: "Paper E", abstract: ABSTRACT }]),
    );
    await waitFor(() => calls() === 2);
  });

  it("stops reporting once closed", async () => {
    const dir = await tempCorpus({ "papers.txt": seedText([["Paper A", ABSTRACT]]) });
    let calls = 0;
    const watcher = watchCorpus("papers.txt", { cwd: dir, debounceMs: DEBOUNCE_MS }, () => {
      calls++;
    });
    await watcher.ready;
    await watcher.close();

    await writeFile(path.join(dir, "papers.txt"), seedText([["Paper B", ABSTRACT]]));
    await sleep(DEBOUNCE_MS * 5);
    expect(calls).toBe(0);
  });
});
