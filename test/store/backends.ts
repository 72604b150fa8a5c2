import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import KeyvRedis from "@keyv/redis";
import pg from "pg";
import { afterAll, afterEach } from "vitest";
import { openStore, type Store, type StoreOptions } from "../../src/store/index.ts";

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
  let shared: string | undefined;

  afterEach(async () => {
    await Promise.allSettled(stores.splice(0).map((store) => store.close()));
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

  return { open };
}

async function removeKeys(backend: Backend, prefixes: readonly string[]): Promise<void> {
  if (backend.name === "redis") {
    const adapter = new KeyvRedis(backend.url);
    // Only the two commands cleaning needs; node-redis's client type is a union too wide to call them on.
    const client = (await adapter.getClient()) as unknown as {
      scan(
        cursor: string,
        options: { MATCH: string; COUNT: number },
      ): Promise<{ cursor: unknown; keys: string[] }>;
      del(keys: string[]): Promise<number>;
    };
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
    }
    await pool.end();
  }
}
