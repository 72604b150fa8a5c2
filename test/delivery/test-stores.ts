import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import KeyvRedis from "@keyv/redis";
import pg from "pg";

/**
 * A store of its own for one test, given to bot processes as STORE_URL. The backend suite
 * isolates runs with a key prefix, but a bot process has no setting for one, so here the
 * isolation is in the URL itself: a fresh SQLite file, a Redis logical database reserved for the
 * test, or a PostgreSQL database created for it (@keyv/postgres names its table `public.keyv`,
 * so a schema on the search path would not isolate it). Parallel test files, and parallel runs
 * on one server, never see each other's channels, claims or ledger.
 */
export type StoreKind = "sqlite" | "redis" | "postgres";

export interface TestStore {
  readonly kind: StoreKind;
  /** STORE_URL for the bot processes and for openStore() in the test. */
  readonly url: string;
  /** Deletes everything the test wrote (the file, the database's keys, the database). */
  remove(): Promise<void>;
}

/** The servers the store suite uses (.ci/run sets both); a kind whose variable is unset is skipped. */
export const serverUrls: Readonly<Record<Exclude<StoreKind, "sqlite">, string | undefined>> = {
  redis: process.env.REDIS_URL || undefined,
  postgres: process.env.DATABASE_URL || undefined,
};

export function storeAvailable(kind: StoreKind): boolean {
  return kind === "sqlite" || serverUrls[kind] !== undefined;
}

export async function createTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === "sqlite") {
    const dir = await mkdtemp(join(tmpdir(), "paper-picks-delivery-"));
    return {
      kind,
      url: `sqlite://${join(dir, "store.sqlite")}`,
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const server = serverUrls[kind];
  if (server === undefined) throw new Error(`no ${kind} server configured for the delivery tests`);
  return kind === "redis" ? reserveRedisDatabase(server) : createPostgresDatabase(server);
}

/** The few node-redis commands used here; its client type is a union too wide to call them on. */
interface RedisCommands {
  set(
    key: string,
    value: string,
    options: { condition: "NX"; expiration: { type: "PX"; value: number } },
  ): Promise<string | null>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
  dbSize(): Promise<number>;
  flushDb(): Promise<string>;
  scan(
    cursor: string,
    options: { MATCH: string; COUNT: number },
  ): Promise<{ cursor: unknown; keys: string[] }>;
}

/** Held while a test uses the database; expires on its own if the test process dies. */
const RESERVED_KEY = "paper-picks-delivery-test:reserved";
/** Stays after the test: a database with it (and no reservation) holds only leftovers of these tests. */
const OWNER_KEY = "paper-picks-delivery-test:owner";
const RESERVATION_MS = 10 * 60 * 1000;

/**
 * Takes a logical database nobody uses (empty, or holding only leftovers of these tests), from
 * 15 down, and marks it reserved. Database 0, where the backend suite and a developer's own data
 * live, is never touched.
 */
async function reserveRedisDatabase(server: string): Promise<TestStore> {
  const token = randomUUID();
  for (let database = 15; database >= 1; database--) {
    const url = redisDatabaseUrl(server, database);
    const reserved = await withRedis(url, async (redis) => {
      const taken = await redis.set(RESERVED_KEY, token, {
        condition: "NX",
        expiration: { type: "PX", value: RESERVATION_MS },
      });
      if (taken !== "OK") return false;
      const ours = (await redis.dbSize()) === 1 || (await redis.get(OWNER_KEY)) !== null;
      if (!ours) {
        await redis.del(RESERVED_KEY);
        return false;
      }
      await deleteAllBut(redis, RESERVED_KEY);
      await redis.set(OWNER_KEY, "paper-picks delivery tests", {
        condition: "NX",
        expiration: { type: "PX", value: 24 * 60 * 60 * 1000 },
      });
      return true;
    }).catch(() => false);
    if (reserved) {
      return {
        kind: "redis",
        url,
        // Reserved empty for this test: everything in it is the test's.
        remove: () => withRedis(url, async (redis) => void (await redis.flushDb())),
      };
    }
  }
  throw new Error(`no free Redis logical database (1-15) on ${server} for the delivery tests`);
}

/** Clears what an earlier run of these tests left, keeping the reservation just taken. */
async function deleteAllBut(redis: RedisCommands, kept: string): Promise<void> {
  let cursor = "0";
  do {
    const page = await redis.scan(cursor, { MATCH: "*", COUNT: 1000 });
    for (const key of page.keys) if (key !== kept) await redis.del(key);
    cursor = String(page.cursor);
  } while (cursor !== "0");
}

function redisDatabaseUrl(server: string, database: number): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withRedis<T>(url: string, use: (redis: RedisCommands) => Promise<T>): Promise<T> {
  const adapter = new KeyvRedis(url, { throwOnConnectError: true, throwOnErrors: true });
  adapter.on("error", () => undefined);
  try {
    return await use((await adapter.getClient()) as unknown as RedisCommands);
  } finally {
    await adapter.disconnect().catch(() => undefined);
  }
}

/** A database of its own, dropped (with any connection a killed bot left behind) at the end. */
async function createPostgresDatabase(server: string): Promise<TestStore> {
  const name = `paper_picks_delivery_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await withPostgres(server, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    url: url.toString(),
    remove: () =>
      withPostgres(server, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withPostgres(server: string, use: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await use(client);
  } finally {
    await client.end();
  }
}
