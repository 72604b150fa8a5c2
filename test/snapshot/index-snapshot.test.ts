import { spawnSync } from "node:child_process";
import { appendFile, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildCatalog, LiveCatalog } from "../../src/catalog/index.ts";
import type { Paper } from "../../src/core/paper.ts";
import { loadCorpus } from "../../src/corpus/index.ts";
import { refreshSourcesOf } from "../../src/corpus/load-corpus.ts";
import { CorpusSources } from "../../src/corpus/sources/index.ts";
import { FINGERPRINT_FILE, SNAPSHOT_FILE } from "../../src/snapshot/index.ts";
import { answers, collectLines, snapshotsIn, startUp, tempCorpus } from "./snapshot-helpers.ts";

let corpus: Awaited<ReturnType<typeof tempCorpus>>;
beforeEach(async () => {
  corpus = await tempCorpus();
});
afterEach(async () => {
  await corpus.cleanup();
});

const indexDir = () => path.join(corpus.dir, "data", "cache", "index");

/** A start-up that writes the snapshot, then a fresh one that reads it; both with their warnings. */
async function writtenThenRead(spec = corpus.file) {
  const first = await startUp(snapshotsIn(corpus.dir, collectLines()), spec, corpus.dir);
  expect(first.fromSnapshot).toBe(false);
  const lines = collectLines();
  const second = await startUp(snapshotsIn(corpus.dir, lines), spec, corpus.dir);
  return { first, second, lines };
}

describe("index snapshot", () => {
  it("is written after a build and read back equal: same papers, files and search answers", async () => {
    const { first, second, lines } = await writtenThenRead();
    expect(second.fromSnapshot).toBe(true);
    expect(lines.warnings).toEqual([]);
    expect(second.catalog.papers).toEqual(first.catalog.papers);
    expect(second.corpus.files).toEqual(first.corpus.files);
    expect(second.corpus.papers).toBe(second.catalog.papers);
    // Abstracts are read from the snapshot's buffer on access; copies and JSON still carry them.
    const [restored, original] = [second.catalog.papers[3] as Paper, first.catalog.papers[3] as Paper];
    expect({ ...restored }.abstract).toBe(original.abstract);
    expect(JSON.parse(JSON.stringify(restored))).toEqual(JSON.parse(JSON.stringify(original)));
    expect(Object.keys(restored)).toEqual(Object.keys(original));
    expect(structuredClone(restored)).toEqual(original);
    expect([...second.catalog.byId.keys()]).toEqual([...first.catalog.byId.keys()]);
    expect(answers(second.catalog)).toEqual(answers(first.catalog));
    expect(second.catalog.index.similar(first.catalog.papers[0]?.id ?? "")).toEqual(
      first.catalog.index.similar(first.catalog.papers[0]?.id ?? ""),
    );
    expect(second.catalog.topics.matchAll("kv cache")).toEqual(first.catalog.topics.matchAll("kv cache"));
  });

  it("keeps the papers' extras, and papers without them stay without", async () => {
    const enriched = path.join(corpus.dir, "enriched.jsonl");
    const records = [
      {
        id: "2507.09082",
        title: "Flow from video models",
        abstract: "Optical flow.",
        tldr: "Flow, zero-shot.",
        tldrBy: "Hugging Face",
        codeUrl: "https://github.com/a/b",
        codeStars: 1234,
        projectUrl: "https://a.example/",
      },
      {
        id: "2501.00001",
        title: "A published paper",
        abstract: "Published.",
        arxivComment: "Accepted at NeurIPS 2025",
        journalRef: "Phys. Rev. D 76, 013009 (2007)",
        doi: "10.1103/PhysRevD.76.013009",
      },
      { id: "2501.00002", title: "A paper with none", abstract: "Plain." },
    ];
    await writeFile(enriched, records.map((record) => `${JSON.stringify(record)}\n`).join(""));
    const { first, second } = await writtenThenRead(`${corpus.file},${enriched}`);
    expect(second.fromSnapshot).toBe(true);
    const byId = (papers: readonly Paper[], id: string) => papers.find((paper) => paper.id === id);
    for (const id of ["2507.09082", "2501.00001", "2501.00002"]) {
      const [restored, original] = [byId(second.catalog.papers, id), byId(first.catalog.papers, id)];
      expect(restored?.extras).toEqual(original?.extras);
      expect(Object.keys(restored ?? {})).toEqual(Object.keys(original ?? {}));
    }
    expect(byId(second.catalog.papers, "2507.09082")?.extras?.codeStars).toBe(1234);
    expect(byId(second.catalog.papers, "2501.00001")?.extras?.doi).toBe("10.1103/PhysRevD.76.013009");
    expect(second.catalog.papers.filter((paper) => paper.extras !== undefined)).toHaveLength(2);
  });

  it("is not written for a corpus below the size threshold", async () => {
    await startUp(snapshotsIn(corpus.dir, collectLines(), { minPapers: 10_000 }), corpus.file, corpus.dir);
    await expect(readdir(indexDir())).rejects.toThrow();
  });

  it("rebuilds, with one warning, when a file's content changed under the same size and mtime", async () => {
    await writtenThenRead();
    const { size, mtime } = await stat(corpus.file);
    const text = await readFile(corpus.file, "utf8");
    // The same length: one letter of the first title swapped for another.
    const at = text.search(/[a-z]/);
    const other = text[at] === "a" ? "b" : "a";
    await writeFile(corpus.file, text.slice(0, at) + other + text.slice(at + 1));
    await utimes(corpus.file, mtime, mtime);
    expect((await stat(corpus.file)).size).toBe(size);
    const lines = collectLines();
    const again = await startUp(snapshotsIn(corpus.dir, lines), corpus.file, corpus.dir);
    expect(again.fromSnapshot).toBe(false);
    expect(lines.warnings).toHaveLength(1);
    expect(lines.warnings[0]).toMatch(/papers\.txt changed\); rebuilding/);
    // ...and the rebuild wrote a fresh snapshot, which the next start reads.
    expect(
      (await startUp(snapshotsIn(corpus.dir, collectLines()), corpus.file, corpus.dir)).fromSnapshot,
    ).toBe(true);
  });

  it("writes no snapshot when a file changed between its load and the write", async () => {
    const snapshots = snapshotsIn(corpus.dir, collectLines());
    const starting = await snapshots.start(corpus.file);
    const loaded = await loadCorpus(corpus.file, { cwd: corpus.dir });
    await appendFile(corpus.file, "\n");
    snapshots.track(loaded, starting.fingerprint);
    snapshots.offer(buildCatalog(loaded.papers));
    await snapshots.settled();
    expect(await readdir(indexDir()).catch(() => [])).not.toContain(FINGERPRINT_FILE);
  });

  it("rebuilds when only a file's mtime changed", async () => {
    await writtenThenRead();
    const later = new Date(Date.now() + 60_000);
    await utimes(corpus.file, later, later);
    const lines = collectLines();
    expect((await startUp(snapshotsIn(corpus.dir, lines), corpus.file, corpus.dir)).fromSnapshot).toBe(false);
    expect(lines.warnings).toHaveLength(1);
  });

  it("rebuilds when the format version changes", async () => {
    await writtenThenRead();
    const lines = collectLines();
    const bumped = snapshotsIn(corpus.dir, lines, { version: 999 });
    expect((await startUp(bumped, corpus.file, corpus.dir)).fromSnapshot).toBe(false);
    expect(lines.warnings).toEqual([expect.stringMatching(/format version/)]);
  });

  it("rebuilds when a source's cache changed", async () => {
    const url = "https://feeds.example.test/papers.jsonl";
    const cacheDir = path.join(corpus.dir, "data", "cache", "sources");
    const { cachePaths } = await import("../../src/corpus/sources/source-cache.ts");
    const paths = cachePaths(cacheDir, url);
    await mkdir(cacheDir, { recursive: true });
    const record = (id: string, title: string) =>
      `${JSON.stringify({ id, title, abstract: `An abstract about ${title}.`, authors: ["Ada Lovelace"], rank: 1 })}\n`;
    await writeFile(paths.papers, record("2501.00001", "Caching keys and values"));
    const meta = (bodyHash: string) =>
      JSON.stringify({
        url,
        validators: {},
        bodyHash,
        format: "jsonl",
        fetchedAt: "2026-12-01T00:00:00.000Z",
      });
    await writeFile(paths.meta, meta("one"));
    const spec = `${corpus.file},${url}`;
    const sources = () => new CorpusSources({ cacheDir });
    const first = await startUp(snapshotsIn(corpus.dir, collectLines()), spec, corpus.dir, sources());
    expect(first.catalog.byId.has("2501.00001")).toBe(true);
    const second = await startUp(snapshotsIn(corpus.dir, collectLines()), spec, corpus.dir, sources());
    expect(second.fromSnapshot).toBe(true);
    expect(second.corpus.files.map((file) => file.absolutePath)).toEqual([corpus.file, url]);

    await appendFile(paths.papers, record("2501.00002", "Speculative decoding drafts"));
    await writeFile(paths.meta, meta("two"));
    // A refresh of the source merges the same way into the restored corpus as into the cold one.
    const coldNext = await refreshSourcesOf(first.corpus, [url], sources());
    const warmNext = await refreshSourcesOf(second.corpus, [url], sources());
    expect(warmNext?.papers).toEqual(coldNext?.papers);
    expect(warmNext?.files).toEqual(coldNext?.files);
    expect(warmNext?.papers.map((paper) => paper.id)).toContain("2501.00002");
    const lines = collectLines();
    const third = await startUp(snapshotsIn(corpus.dir, lines), spec, corpus.dir, sources());
    expect(third.fromSnapshot).toBe(false);
    expect(lines.warnings).toEqual([expect.stringMatching(/cache of .* changed/)]);
    expect(third.catalog.byId.has("2501.00002")).toBe(true);
  });

  describe("a damaged snapshot rebuilds with one warning", () => {
    const cases: Array<[string, (dir: string) => Promise<void>, RegExp]> = [
      [
        "index cut short",
        async (dir) => {
          const file = path.join(dir, SNAPSHOT_FILE);
          const bytes = await readFile(file);
          await writeFile(file, bytes.subarray(0, bytes.length - 1000));
        },
        /bytes, expected/,
      ],
      [
        "a bit flipped in the index",
        async (dir) => {
          const file = path.join(dir, SNAPSHOT_FILE);
          const bytes = await readFile(file);
          const at = Math.floor(bytes.length * 0.7);
          bytes[at] = (bytes[at] as number) ^ 0x10;
          await writeFile(file, bytes);
        },
        /checksum/,
      ],
      ["index missing", (dir) => rm(path.join(dir, SNAPSHOT_FILE)), /index\.bin is missing/],
      ["fingerprint missing", (dir) => rm(path.join(dir, FINGERPRINT_FILE)), /fingerprint\.json is missing/],
      [
        "fingerprint cut short",
        async (dir) => {
          const file = path.join(dir, FINGERPRINT_FILE);
          const text = await readFile(file, "utf8");
          await writeFile(file, text.slice(0, text.length / 2));
        },
        /not JSON/,
      ],
    ];
    for (const [name, damage, reason] of cases) {
      it(name, async () => {
        const { first } = await writtenThenRead();
        await damage(indexDir());
        const lines = collectLines();
        const again = await startUp(snapshotsIn(corpus.dir, lines), corpus.file, corpus.dir);
        expect(again.fromSnapshot).toBe(false);
        expect(lines.warnings).toHaveLength(1);
        expect(lines.warnings[0]).toMatch(reason);
        expect(answers(again.catalog)).toEqual(answers(first.catalog));
        // The rebuild wrote a good snapshot again.
        expect(
          (await startUp(snapshotsIn(corpus.dir, collectLines()), corpus.file, corpus.dir)).fromSnapshot,
        ).toBe(true);
      });
    }
  });

  it("survives a writer killed in the middle of a write: the old snapshot still loads", async () => {
    const { first } = await writtenThenRead();
    const before = await readFile(path.join(indexDir(), SNAPSHOT_FILE));
    // A child process writes half a snapshot through the atomic writer, then is killed (SIGKILL).
    const script = `
      import { replaceFileAtomically } from ${JSON.stringify(path.resolve("src/snapshot/snapshot-file.ts"))};
      await replaceFileAtomically(${JSON.stringify(path.join(indexDir(), SNAPSHOT_FILE))}, async (handle) => {
        await handle.write(Buffer.alloc(4096, 7));
        process.kill(process.pid, "SIGKILL");
      });
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(child.signal).toBe("SIGKILL");
    const leftovers = (await readdir(indexDir())).filter((name) => name.endsWith(".tmp"));
    expect(leftovers).toHaveLength(1);
    expect(await readFile(path.join(indexDir(), SNAPSHOT_FILE))).toEqual(before);

    const lines = collectLines();
    const again = await startUp(snapshotsIn(corpus.dir, lines), corpus.file, corpus.dir);
    expect(again.fromSnapshot).toBe(true);
    expect(lines.warnings).toEqual([]);
    expect(answers(again.catalog)).toEqual(answers(first.catalog));
  });

  it("never loads a pair whose index was replaced before its fingerprint (a kill between the renames)", async () => {
    await writtenThenRead();
    // A new index.bin renamed in place but its fingerprint.json never written: the seal does not match.
    const file = path.join(indexDir(), SNAPSHOT_FILE);
    const bytes = await readFile(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    await writeFile(file, bytes);
    const lines = collectLines();
    expect((await startUp(snapshotsIn(corpus.dir, lines), corpus.file, corpus.dir)).fromSnapshot).toBe(false);
    expect(lines.warnings).toHaveLength(1);
  });

  it("removes the temporary files of a dead writer at the next write", async () => {
    await mkdir(indexDir(), { recursive: true });
    const leftover = path.join(indexDir(), `${SNAPSHOT_FILE}.999999999.tmp`);
    await writeFile(leftover, "partial");
    await startUp(snapshotsIn(corpus.dir, collectLines()), corpus.file, corpus.dir);
    expect((await readdir(indexDir())).sort()).toEqual([FINGERPRINT_FILE, SNAPSHOT_FILE]);
  });

  it("warns once and runs on when the folder cannot be written", async () => {
    // A file where the folder should be: mkdir fails whoever runs the test (root included).
    await mkdir(path.join(corpus.dir, "data", "cache"), { recursive: true });
    await writeFile(indexDir(), "not a folder");
    const lines = collectLines();
    const snapshots = snapshotsIn(corpus.dir, lines);
    const started = await startUp(snapshots, corpus.file, corpus.dir);
    expect(started.catalog.papers.length).toBeGreaterThan(0);
    snapshots.offer({ ...started.catalog });
    await snapshots.settled();
    expect(lines.warnings.filter((line) => /cannot write/.test(line))).toHaveLength(1);
  });

  it("follows live merges once the delta is folded, and the merged catalog starts equal", async () => {
    const lines = collectLines();
    const snapshots = snapshotsIn(corpus.dir, lines);
    const started = await startUp(snapshots, corpus.file, corpus.dir);
    const live = new LiveCatalog(started.catalog, {
      foldPolicy: { share: 0, papers: 0 },
      onChange: (next) => snapshots.offer(next),
    });
    const extra: Paper = {
      id: "2512.99999",
      title: "Snapshot folding of kv cache indexes",
      abstract: "We fold a kv cache index into a snapshot on disk.",
      authors: ["Grace Hopper"],
      rank: 1,
      source: "merged",
    };
    const merged = [...started.corpus.papers, extra];
    const mergedCorpus = { ...started.corpus, papers: merged };
    const fingerprint = await snapshots.fingerprint(corpus.file);
    snapshots.track(mergedCorpus, fingerprint);
    await live.merge(merged);
    await live.settled();
    await snapshots.settled();
    expect(live.current.index.deltaSize).toBe(0);

    const restarted = await startUp(snapshotsIn(corpus.dir, collectLines()), corpus.file, corpus.dir);
    expect(restarted.fromSnapshot).toBe(true);
    expect(restarted.catalog.byId.get(extra.id)).toEqual(extra);
    expect(answers(restarted.catalog)).toEqual(answers(buildCatalog(merged)));
    expect(lines.warnings).toEqual([]);
  });

  it("takes merges and reloads from a snapshot start as from a cold one", async () => {
    const { first, second } = await writtenThenRead();
    const extra: Paper = {
      id: "2512.88888",
      title: "Speculative decoding from a snapshot",
      abstract: "Drafts verified against a kv cache restored from disk.",
      authors: ["Alan Turing"],
      rank: 1,
      source: "merged",
    };
    const cold = new LiveCatalog(first.catalog);
    const warm = new LiveCatalog(second.catalog);
    // The same refresh on both: a new paper, one removed, one with new upvotes.
    const change = (papers: readonly Paper[]) => [
      ...papers.slice(1).map((paper, i) => (i === 3 ? { ...paper, upvotes: 42 } : paper)),
      extra,
    ];
    await cold.merge(change(first.catalog.papers));
    await warm.merge(change(second.catalog.papers));
    expect(answers(warm.current)).toEqual(answers(cold.current));
    expect(warm.current.papers).toEqual(cold.current.papers);
    // A reload: loadCorpus with the snapshot's corpus as the previous load.
    const reloaded = await loadCorpus(corpus.file, { cwd: corpus.dir, previous: second.corpus });
    warm.replace(buildCatalog(reloaded.papers));
    expect(answers(warm.current)).toEqual(answers(first.catalog));
  });
});
