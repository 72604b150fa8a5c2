import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ownRecords } from "../../fakes/paper-feeds/feed-fixtures.ts";
import { ABSTRACT, feedServer, testSources, workDir } from "./source-setup.ts";

const FIRST = { id: "2507.00001", title: "First Paper", abstract: ABSTRACT };

describe("a source's failure streak on disk", () => {
  it("survives a restart, and a recovery removes it", async () => {
    const server = await feedServer();
    server.serve("/daily", { body: ownRecords([FIRST], "json") });
    const { cacheDir } = await workDir();
    const url = server.url("/daily");
    await testSources(cacheDir).read(url);
    server.serve("/daily", { status: 503 });
    const before = testSources(cacheDir);
    await before.refresh([url]);
    const failingSince = before.status()[0]?.failingSince;
    expect(failingSince).toBeInstanceOf(Date);

    const restarted = testSources(cacheDir);
    const read = await restarted.read(url);
    expect(read.stale).toBe(true);
    expect(restarted.status()[0]).toMatchObject({ failingSince, consecutiveFailures: 1 });

    server.serve("/daily", { body: ownRecords([FIRST], "json") });
    await restarted.refresh([url]);
    expect(restarted.status()[0]?.failingSince).toBeUndefined();
    expect((await readdir(cacheDir)).filter((name) => name.endsWith(".failing.json"))).toEqual([]);
  });

  it("ignores a damaged streak file and serves the cached papers", async () => {
    const server = await feedServer();
    server.serve("/daily", { body: ownRecords([FIRST], "json") });
    const { cacheDir } = await workDir();
    const url = server.url("/daily");
    await testSources(cacheDir).read(url);
    const meta = (await readdir(cacheDir)).find((name) => name.endsWith(".json")) ?? "";
    await writeFile(path.join(cacheDir, meta.replace(/\.json$/, ".failing.json")), "{not json");

    const restarted = testSources(cacheDir);
    const read = await restarted.read(url);
    expect(read.papers.map((paper) => paper.title)).toEqual(["First Paper"]);
    expect(read.stale).toBe(false);
    expect(restarted.status()[0]?.failingSince).toBeUndefined();
  });
});
