import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/corpus/index.ts";
import { arxivAtom, arxivRdf, arxivRss, ownRecords } from "../../fakes/paper-feeds/feed-fixtures.ts";
import { ABSTRACT, feedServer, testSources, workDir } from "./source-setup.ts";

// A v2 in two categories, with the ACM class and the repeated primary that arXiv's Atom API also lists.
const LISTED = {
  id: "2507.10001v2",
  title: "Retrieval for Long Contexts",
  abstract: ABSTRACT,
  authors: ["Ada Lovelace"],
  categories: ["cs.CL", "cs.IR", "cs.CL", "I.2.7"],
  published: "2025-07-10T09:00:00Z",
  updated: "2025-07-14T17:00:00Z",
};
const VISION = {
  id: "2507.10002v1",
  title: "Seeing Far",
  abstract: ABSTRACT,
  authors: ["Alan Turing"],
  categories: ["cs.CV"],
  published: "2025-07-13T09:00:00Z",
  updated: "2025-07-13T09:00:00Z",
};

describe("arXiv categories and updated dates", () => {
  it("keeps them from the Atom API, primary first and once each, and reads them back from the cache after a restart", async () => {
    const server = await feedServer();
    server.serve("/api/query", { body: arxivAtom([LISTED, VISION]) });
    const { cwd, cacheDir } = await workDir();
    const url = server.url("/api/query");

    const fetched = await loadCorpus(url, { cwd, sources: testSources(cacheDir) });

    expect(fetched.papers).toMatchObject([
      {
        id: "2507.10001",
        categories: ["cs.CL", "cs.IR"],
        publishedAt: "2025-07-10T09:00:00.000Z",
        updatedAt: "2025-07-14T17:00:00.000Z",
      },
      { id: "2507.10002", categories: ["cs.CV"], updatedAt: "2025-07-13T09:00:00.000Z" },
    ]);

    // A restart while arXiv is down: new sources on the same cache folder, no fetch needed.
    server.serve("/api/query", { status: 503, body: "down" });
    const restarted = await loadCorpus(url, { cwd, sources: testSources(cacheDir) });

    expect(server.requestsFor("/api/query")).toHaveLength(1);
    expect(restarted.papers).toEqual(fetched.papers);
  });

  it("reads an RSS listing's categories; a replacement's announce day is its update, not its publication", async () => {
    const server = await feedServer();
    server.serve("/rss/cs", {
      body: arxivRss([
        { ...LISTED, id: "2507.10001v1", categories: ["cs.CL", "cs.IR"] },
        { ...VISION, id: "2506.00003v3", announceType: "replace" },
      ]),
    });
    const { cwd, cacheDir } = await workDir();

    const { papers } = await loadCorpus(server.url("/rss/cs"), { cwd, sources: testSources(cacheDir) });

    expect(papers).toMatchObject([
      { id: "2507.10001", categories: ["cs.CL", "cs.IR"], publishedAt: "2025-07-14T04:00:00.000Z" },
      { id: "2506.00003", categories: ["cs.CV"], updatedAt: "2025-07-14T04:00:00.000Z" },
    ]);
    expect(papers[0]?.updatedAt).toBeUndefined();
    expect(papers[1]?.publishedAt).toBeUndefined();
  });

  it("takes the primary category from an RSS 1.0 title, and an UPDATED one as a new version", async () => {
    const server = await feedServer();
    server.serve("/rss/cs.CL", {
      body: arxivRdf([
        { ...LISTED, id: "2101.00001v1", title: "Old Style" },
        { ...VISION, id: "2012.00002v2", title: "Replaced", announceType: "replace" },
      ]),
    });
    const { cwd, cacheDir } = await workDir();

    const { papers } = await loadCorpus(server.url("/rss/cs.CL"), { cwd, sources: testSources(cacheDir) });

    expect(papers).toEqual([
      expect.objectContaining({
        title: "Old Style.",
        categories: ["cs.CL"],
        publishedAt: "2021-01-05T01:30:00.000Z",
      }),
      expect.objectContaining({
        title: "Replaced.",
        categories: ["cs.CV"],
        updatedAt: "2021-01-05T01:30:00.000Z",
      }),
    ]);
    expect(papers[1]?.publishedAt).toBeUndefined();
  });

  it("accepts them in our own records, as a list or as arXiv's space-separated string", async () => {
    const server = await feedServer();
    const records = JSON.parse(
      ownRecords(
        [
          { ...LISTED, id: "2507.10001" },
          { ...VISION, id: "2507.10002" },
        ],
        "json",
      ),
    ) as Record<string, unknown>[];
    // arXiv's metadata snapshot writes categories as one string.
    const withString = records.map((record, index) =>
      index === 1 ? { ...record, categories: "cs.CV cs.LG" } : record,
    );
    server.serve("/picks.json", { body: JSON.stringify(withString) });
    const { cwd, cacheDir } = await workDir();

    const { papers } = await loadCorpus(server.url("/picks.json"), { cwd, sources: testSources(cacheDir) });

    expect(papers).toMatchObject([
      { categories: ["cs.CL", "cs.IR"], updatedAt: "2025-07-14T17:00:00.000Z" },
      { categories: ["cs.CV", "cs.LG"], publishedAt: "2025-07-13T09:00:00.000Z" },
    ]);
  });
});

describe("npm start -- --once against an arXiv feed", () => {
  it("names SOURCE_CONTACT to the feed, finds cat:cs.CL papers only, shows their categories, and answers from the cache after a restart", async () => {
    const server = await feedServer();
    server.serve("/api/query", { body: arxivAtom([LISTED, VISION]) });
    const { cwd } = await workDir();
    const env = {
      CORPUS: server.url("/api/query"),
      SOURCE_CONTACT: "ops@example.org",
      STORE_URL: `sqlite://${path.join(cwd, "store.sqlite")}`,
    };

    const first = await runOnce(cwd, env, "/papers search cat:cs.CL");

    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(server.requests[0]?.headers["user-agent"]).toMatch(
      /^paper-picks\/\d+\.\d+\.\d+ \(research-paper digest bot; ops@example\.org\)$/,
    );
    expect(titles(first.stdout)).toEqual(["Retrieval for Long Contexts"]);
    expect(first.stdout).toContain("Ada Lovelace · cs.CL · cs.IR · updated 2025-07-14 · id 2507.10001");

    server.serve("/api/query", { status: 503, body: "down" });
    const second = await runOnce(cwd, env, "/papers search cat:cs");

    expect(second.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(titles(second.stdout).sort()).toEqual(["Retrieval for Long Contexts", "Seeing Far"]);
    // A v1 updated the day it came out shows no "updated".
    expect(second.stdout).toContain("Alan Turing · cs.CV · id 2507.10002");
    // Two start-ups of the real bot: generous on a loaded two-core machine.
  }, 90_000);
});

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The real entry point in a child process, run in `cwd` (where it keeps data/cache), as `npm start -- --once`. */
function runOnce(
  cwd: string,
  env: Record<string, string>,
  line: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", tsx, path.join(projectRoot, "src", "main.ts"), "--once", line],
      { cwd, env: { ...process.env, LOG_LEVEL: "", CORPUS_WATCH: "false", ...env }, stdio: "pipe" },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

function titles(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => /^\d+\. /.test(line))
    .map((line) => line.replace(/^\d+\. /, ""));
}
