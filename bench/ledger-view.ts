/**
 * How fast a target's delivery history reads (`ledger.view`, done by every delivery and by
 * `/digest status`) when the target has a year of deliveries, on each store backend, among
 * BENCH_LEDGER_TARGETS other targets with a year each. Also: recording one day, and moving one
 * old-layout record (a whole year in one keyv row, as stores before day records kept it) into
 * day records, and, for comparison, reading such an old-layout record straight through keyv.
 *
 *   npx tsx bench/ledger-view.ts                              # SQLite only
 *   REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/ledger-view.ts
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import KeyvPostgres from "@keyv/postgres";
import KeyvRedis from "@keyv/redis";
import KeyvSqlite from "@keyv/sqlite";
import type { Keyv } from "keyv";
import pg from "pg";
import { type Delivery, openStore } from "../src/store/index.ts";
import { recordKeyv } from "../src/store/record-keyv.ts";
import { ledgerSchema } from "../src/store/schemas.ts";

const DAYS = 365;
const OTHER_TARGETS = Number(process.env.BENCH_LEDGER_TARGETS ?? 1000);
const READS = 300;

interface Backend {
  readonly name: string;
  readonly url: string;
  readonly keyPrefix: string;
  /** A keyv on the old ledger namespace, written exactly as stores before day records wrote it. */
  oldLedger(): { keyv: Keyv<unknown>; close(): Promise<void> };
  cleanUp(): Promise<void>;
}

const year: Delivery[] = Array.from({ length: DAYS }, (_, i) => {
  const localDate = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
  const paperIds = Array.from({ length: 5 }, (_, p) => `25${String(i).padStart(3, "0")}.${10000 + p}`);
  return {
    localDate,
    paperIds,
    deliveredAt: `${localDate}T09:00:00.000Z`,
    kind: "digest",
    messageId: `m${i}`,
  };
});

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timeEach(times: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work(i);
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b);
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const summary = (sorted: readonly number[]) =>
  `p50 ${fmt(percentile(sorted, 50))} ms, p95 ${fmt(percentile(sorted, 95))} ms`;

async function run(backend: Backend): Promise<void> {
  const old = backend.oldLedger();
  const targets = Array.from({ length: OTHER_TARGETS + 1 }, (_, i) => `slack:C${i}`);
  // Every target starts as an old-layout record: one keyv write each, then moved by its first read.
  for (let i = 0; i < targets.length; i += 50)
    await Promise.all(
      targets
        .slice(i, i + 50)
        .map((target) => old.keyv.set(target, { schemaVersion: 1, target, deliveries: year })),
    );
  const oldRead = await timeEach(READS, async () => {
    const value = await old.keyv.get("slack:C0");
    return ledgerSchema.parse(value).deliveries.length;
  });

  const store = await openStore(backend.url, { keyPrefix: backend.keyPrefix });
  try {
    const moves = await timeEach(targets.length, (i) => store.ledger.view(targets[i] as string));
    const measured = "slack:C0";
    if ((await store.ledger.view(measured)).deliveries.length !== DAYS) throw new Error("lost days");
    const reads = await timeEach(READS, () => store.ledger.view(measured));
    const records = await timeEach(50, (i) =>
      store.ledger.record(`slack:C${i}`, { ...(year[0] as Delivery), localDate: "2026-01-01" }),
    );
    console.log(
      `${backend.name.padEnd(8)} view() of ${DAYS} days among ${targets.length} targets: ${summary(reads)}` +
        ` | record(): ${summary(records)} | first read, moving a ${DAYS}-day old record: ${summary(moves)}` +
        ` | old layout, keyv get + parse: ${summary(oldRead)}`,
    );
  } finally {
    await store.close();
    await old.close();
    await backend.cleanUp();
  }
}

async function sqlite(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), "paper-picks-ledger-bench-"));
  const url = `sqlite://${join(dir, "state.sqlite")}`;
  return {
    name: "sqlite",
    url,
    keyPrefix: "",
    oldLedger() {
      const adapter = new KeyvSqlite({ uri: url });
      return { keyv: recordKeyv(adapter, "ledger"), close: () => adapter.disconnect() };
    },
    cleanUp: () => rm(dir, { recursive: true, force: true }),
  };
}

function redis(url: string): Backend {
  const keyPrefix = `bench-${randomUUID().slice(0, 8)}-`;
  return {
    name: "redis",
    url,
    keyPrefix,
    oldLedger() {
      const adapter = new KeyvRedis(url);
      return {
        keyv: recordKeyv(adapter, `${keyPrefix}ledger`, { useKeyPrefix: false }),
        close: () => adapter.disconnect(),
      };
    },
    async cleanUp() {
      const adapter = new KeyvRedis(url);
      const client = (await adapter.getClient()) as unknown as {
        scan(
          cursor: string,
          options: { MATCH: string; COUNT: number },
        ): Promise<{ cursor: unknown; keys: string[] }>;
        del(keys: string[]): Promise<number>;
      };
      let cursor = "0";
      do {
        const page = await client.scan(cursor, { MATCH: `${keyPrefix}*`, COUNT: 1000 });
        if (page.keys.length > 0) await client.del(page.keys);
        cursor = String(page.cursor);
      } while (cursor !== "0");
      await adapter.disconnect();
    },
  };
}

function postgres(url: string): Backend {
  const keyPrefix = `bench-${randomUUID().slice(0, 8)}-`;
  return {
    name: "postgres",
    url,
    keyPrefix,
    oldLedger() {
      const adapter = new KeyvPostgres({ uri: url, table: "keyv" });
      return { keyv: recordKeyv(adapter, `${keyPrefix}ledger`), close: () => adapter.disconnect() };
    },
    async cleanUp() {
      const pool = new pg.Pool({ connectionString: url });
      await pool.query("DELETE FROM keyv WHERE key LIKE $1", [`${keyPrefix}%`]);
      await pool.query("DELETE FROM paper_picks_deliveries WHERE target LIKE $1", [`${keyPrefix}%`]);
      await pool.query("DELETE FROM paper_picks_claims WHERE key LIKE $1", [`${keyPrefix}%`]);
      await pool.end();
    },
  };
}

const backends: Backend[] = [await sqlite()];
if (process.env.REDIS_URL) backends.push(redis(process.env.REDIS_URL));
if (process.env.DATABASE_URL) backends.push(postgres(process.env.DATABASE_URL));
for (const backend of backends) await run(backend);
