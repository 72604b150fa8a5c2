import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crc32 } from "../../src/snapshot/crc32.ts";
import { FINGERPRINT_FILE, SNAPSHOT_FILE } from "../../src/snapshot/index.ts";
import { MAGIC } from "../../src/snapshot/sections.ts";
import { collectLines, snapshotsIn, startUp, tempCorpus } from "./snapshot-helpers.ts";

let corpus: Awaited<ReturnType<typeof tempCorpus>>;
let good: Buffer;
let fingerprint: { corpus: unknown; snapshot: { bytes: number; crc32: string } };
const indexFile = () => path.join(corpus.dir, "data", "cache", "index", SNAPSHOT_FILE);
const fingerprintFile = () => path.join(corpus.dir, "data", "cache", "index", FINGERPRINT_FILE);

beforeAll(async () => {
  corpus = await tempCorpus();
  await startUp(snapshotsIn(corpus.dir, collectLines()), corpus.file, corpus.dir);
  good = await readFile(indexFile());
  fingerprint = JSON.parse(await readFile(fingerprintFile(), "utf8"));
});
afterAll(async () => {
  await corpus.cleanup();
});

/**
 * Puts `bytes` in place of the index with a fingerprint file that matches them (`sealed`), so the
 * checksum passes and the decoder itself meets them, or with the good file's seal (the checksum's job).
 */
async function startWith(bytes: Uint8Array, sealed: boolean) {
  const seal = sealed
    ? { bytes: bytes.byteLength, crc32: crc32(bytes).toString(16).padStart(8, "0") }
    : fingerprint.snapshot;
  await writeFile(indexFile(), bytes);
  await writeFile(fingerprintFile(), JSON.stringify({ ...fingerprint, snapshot: seal }));
  const lines = collectLines();
  const snapshots = snapshotsIn(corpus.dir, lines, { delayMs: 60_000 });
  const starting = await snapshots.start(corpus.file);
  await snapshots.close();
  return { starting, lines };
}

describe("the snapshot decoder on arbitrary bytes", () => {
  it("never throws: arbitrary bytes, sealed as if written so, rebuild with one warning", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), async (random, withMagic) => {
        const bytes = withMagic ? Buffer.concat([MAGIC, random]) : random;
        const { starting, lines } = await startWith(bytes, true);
        expect(starting.restored).toBeUndefined();
        expect(lines.warnings).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });

  it("never throws on a good snapshot with bytes changed and resealed; it loads or rebuilds", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        async (edits) => {
          const bytes = Buffer.from(good);
          for (const [at, xor] of edits)
            bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ xor;
          const { starting, lines } = await startWith(bytes, true);
          if (starting.restored === undefined) expect(lines.warnings).toHaveLength(1);
          else starting.restored.catalog.index.search("kv cache");
        },
      ),
      { numRuns: 60 },
    );
  });

  it("always rebuilds when changed bytes meet the checksum (or the header check before it)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const bytes = Buffer.from(good);
        bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ xor;
        const { starting, lines } = await startWith(bytes, false);
        expect(starting.restored).toBeUndefined();
        expect(lines.warnings).toEqual([
          expect.stringMatching(/checksum|not a snapshot|header|sections end/),
        ]);
      }),
      { numRuns: 40 },
    );
  });
});
