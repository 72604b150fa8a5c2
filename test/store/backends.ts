import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import KeyvPostgres from "@keyv/postgres";
import KeyvRedis from "@keyv/redis";
import KeyvSqlite from "@keyv/sqlite";
import type { Keyv } from "keyv";
import pg from "pg";
import { afterAll, afterEach } from "vitest";
import { type Delivery, openStore, type Store, type StoreOptions } from "../../src/store/index.ts";
import { recordKeyv } from "../../src/store/record-keyv.ts";

/**
 * The backends the shared store suite runs on: SQLite always; Redis and PostgreSQL when
 * REDIS_URL / DATABASE_URL name a server (.ci/run sets both). Each test run works under its own
 * key prefix, so parallel runs on one server never see each other's records, and removes its
 * keys and rows when it is done.
 */
export interface Backend {
  readonly name: "sqlite" | "redis" | "postgres";
  /** Undefined when the backend is not available here: its suite is skipped. */
  readonly url: string | undefined;
}

export const backends: readonly Backend[] = [
  { name: "sqlite", url: "sqlite" },
  { name: "redis", url: process.env.REDIS_URL || undefined },
  { name: "postgres", url: process.env.DATABASE_URL || undefined },
];

/**
 * `open()` gives a store on the backend; every call within one test reaches the SAME database
 * (one SQLite file, one key prefix on the server), the way two processes sharing a store do.
 */
export function useBackendStores(backend: Backend) {
  const stores: Store[] = [];
  const dirs: string[] = [];
  const prefixes: string[] = [];
  const rawConnections: { disconnect(): Promise<void> }[] = [];
  let shared: string | undefined;

  afterEach(async () => {
    await Promise.allSettled(stores.splice(0).map((store) => store.close()));
    await Promise.allSettled(rawConnections.splice(0).map((connection) => connection.disconnect()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    shared = undefined;
  });
  afterAll(async () => {
    if (backend.url === undefined || prefixes.length === 0) return;
    await removeKeys(backend, prefixes.splice(0));
  });

  async function location(): Promise<{ url: string; keyPrefix: string }> {
    if (shared === undefined) {
      if (backend.name === "sqlite") {
        const dir = await mkdtemp(join(tmpdir(), "paper-picks-backend-"));
        dirs.push(dir);
        shared = `sqlite://${join(dir, "state.sqlite")}`;
      } else {
        shared = `test-${randomUUID().slice(0, 8)}-`;
        prefixes.push(shared);
      }
    }
    return backend.name === "sqlite"
      ? { url: shared, keyPrefix: "" }
      : { url: backend.url ?? "", keyPrefix: shared };
  }

  async function open(options: StoreOptions = {}): Promise<Store> {
    const { url, keyPrefix } = await location();
    const store = await openStore(url, { keyPrefix, ...options });
    stores.push(store);
    return store;
  }

  /**
   * Reaches the test's database behind the store's back: writes a ledger in the layout stores
   * had before day records (one keyv record per target, through keyv, exactly as those stores
   * wrote it), and lists the claim keys that are physically stored.
   */
  async function raw() {
    const { url, keyPrefix } = await location();
    const oldLedgerKeyv = (): Keyv<unknown> => {
      if (backend.name === "sqlite") {
        const adapter = new KeyvSqlite({ uri: url });
        rawConnections.push(adapter);
        return recordKeyv(adapter, "ledger");
      }
      if (backend.name === "redis") {
        const adapter = new KeyvRedis(url, { throwOnErrors: true });
        rawConnections.push(adapter);
        return recordKeyv(adapter, `${keyPrefix}ledger`, { useKeyPrefix: false });
      }
      const adapter = new KeyvPostgres({ uri: url, table: "keyv" });
      rawConnections.push(adapter);
      return recordKeyv(adapter, `${keyPrefix}ledger`);
    };
    const keyv = oldLedgerKeyv();
    return {
      writeOldLedger: async (target: string, deliveries: readonly Delivery[]): Promise<void> => {
        if (!(await keyv.set(target, { schemaVersion: 1, target, deliveries })))
          throw new Error("the old-layout write failed");
      },
      oldLedger: (target: string): Promise<unknown> => keyv.get(target),
      /** A claim as stores wrote it before claim states: a holder and an expiry (SQLite: in the old table). */
      writeOldClaim: (key: string, holder: string, leaseMs: number): Promise<void> =>
        writeOldClaim(backend, url, keyPrefix, { key, holder, leaseMs }),
      storedClaimKeys: async (): Promise<string[]> => {
        const keys = await claimKeys(backend, url, keyPrefix);
        return keys.map((key) => key.slice(keyPrefix.length)).sort();
      },
    };
  }

  return { open, raw };
}

/** The claim keys stored for `keyPrefix`, as the backend holds them (with the prefix). */
async function claimKeys(backend: Backend, url: string, keyPrefix: string): Promise<string[]> {
  if (backend.name === "sqlite") {
    const adapter = new KeyvSqlite({ uri: url });
    try {
      const rows = (await adapter.query("SELECT key FROM paper_picks_claims")) as { key: string }[];
      return rows.map((row) => row.key);
    } finally {
      await adapter.disconnect();
    }
  }
  if (backend.name === "redis") {
    const adapter = new KeyvRedis(url);
    const client = (await adapter.getClient()) as unknown as RedisScanClient;
    try {
      const keys: string[] = [];
      let cursor = "0";
      do {
        const page = await client.scan(cursor, { MATCH: `${keyPrefix}claims::*`, COUNT: 1000 });
        keys.push(...page.keys.map((key) => key.replace("claims::", "")));
        cursor = String(page.cursor);
      } while (cursor !== "0");
      return [...new Set(keys)];
    } finally {
      await adapter.disconnect();
    }
  }
  const pool = new pg.Pool({ connectionString: url });
  try {
    const result = await pool.query<{ key: string }>("SELECT key FROM paper_picks_claims WHERE key LIKE $1", [
      `${keyPrefix}%`,
    ]);
    return result.rows.map((row) => row.key);
  } finally {
    await pool.end();
  }
}

async function writeOldClaim(
  backend: Backend,
  url: string,
  keyPrefix: string,
  claim: { key: string; holder: string; leaseMs: number },
): Promise<void> {
  const key = `${keyPrefix}${claim.key}`;
  if (backend.name === "sqlite") {
    const adapter = new KeyvSqlite({ uri: url });
    try {
      await adapter.query(
        "CREATE TABLE IF NOT EXISTS paper_picks_claims(key TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL)",
      );
      await adapter.query("INSERT INTO paper_picks_claims(key, holder, expires_at) VALUES(?, ?, ?)", [
        key,
        claim.holder,
        Date.now() + claim.leaseMs,
      ]);
    } finally {
      await adapter.disconnect();
    }
    return;
  }
  if (backend.name === "redis") {
    const adapter = new KeyvRedis(url);
    const client = (await adapter.getClient()) as unknown as {
      set(key: string, value: string, options: { PX: number }): Promise<unknown>;
    };
    try {
      await client.set(`${keyPrefix}claims::${claim.key}`, claim.holder, { PX: claim.leaseMs });
    } finally {
      await adapter.disconnect();
    }
    return;
  }
  const pool = new pg.Pool({ connectionString: url });
  try {
    await pool.query(
      "INSERT INTO paper_picks_claims(key, holder, expires_at) VALUES($1, $2, clock_timestamp() + $3 * interval '1 millisecond')",
      [key, claim.holder, claim.leaseMs],
    );
  } finally {
    await pool.end();
  }
}

/** Only the two commands the helpers need; node-redis's client type is a union too wide to call them on. */
interface RedisScanClient {
  scan(
    cursor: string,
    options: { MATCH: string; COUNT: number },
  ): Promise<{ cursor: unknown; keys: string[] }>;
  del(keys: string[]): Promise<number>;
}

async function removeKeys(backend: Backend, prefixes: readonly string[]): Promise<void> {
  if (backend.name === "redis") {
    const adapter = new KeyvRedis(backend.url);
    const client = (await adapter.getClient()) as unknown as RedisScanClient;
    for (const prefix of prefixes) {
      let cursor = "0";
      do {
        const page = await client.scan(cursor, { MATCH: `${prefix}*`, COUNT: 1000 });
        if (page.keys.length > 0) await client.del(page.keys);
        cursor = String(page.cursor);
      } while (cursor !== "0");
    }
    await adapter.disconnect();
  }
  if (backend.name === "postgres") {
    const pool = new pg.Pool({ connectionString: backend.url ?? "" });
    for (const prefix of prefixes) {
      await pool.query("DELETE FROM keyv WHERE key LIKE $1", [`${prefix}%`]);
      await pool.query("DELETE FROM paper_picks_claims WHERE key LIKE $1", [`${prefix}%`]);
      await pool.query("DELETE FROM paper_picks_deliveries WHERE target LIKE $1", [`${prefix}%`]);
    }
    await pool.end();
  }
}
