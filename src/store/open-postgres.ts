import KeyvPostgres from "@keyv/postgres";
import type { Keyv } from "keyv";
import pg, { type Pool } from "pg";
import { log } from "../log.ts";
import { type ClaimBackend, COMPLETED_CLAIM_RETENTION_MS } from "./claims.ts";
import { describeError, StoreOpenError } from "./errors.ts";
import { createPostgresLedgerTable, postgresLedger } from "./ledger-postgres.ts";
import type { ServerOptions } from "./open-redis.ts";
import type { OpenedKeyvs } from "./open-sqlite.ts";
import { recordKeyv } from "./record-keyv.ts";
import { withTimeout } from "./timeout.ts";

type Query = (sql: string, values?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

const keyvTable = "keyv";
const claimsTable = "paper_picks_claims";
const pageSize = 1000;

/**
 * @keyv/postgres 2.2 with two things changed, both through its documented extension points:
 * - its pool is one module-wide `pg.Pool`, replaced when another URL is opened and ended by
 *   ANY adapter's disconnect(), so two stores in one process would close each other's
 *   connections; here every store owns its pool and ends it itself;
 * - its iterator swallows a failed query (emits "error" and stops), which would turn a lost
 *   connection into a silently short listing of channels; here the failure reaches the caller.
 */
class OwnPoolKeyvPostgres extends KeyvPostgres {
  override async connect(): Promise<Query> {
    const pool = (this.opts as { ownPool: Pool }).ownPool;
    return async (sql, values) =>
      (await pool.query<Record<string, unknown>>(sql, values ? [...values] : [])).rows;
  }

  override async disconnect(): Promise<void> {}

  override async *iterator(namespace?: string): AsyncGenerator<string[], void, unknown> {
    const pattern = `${(namespace ?? "").replace(/[%_\\]/g, "\\$&")}${namespace ? ":" : ""}%`;
    let after: string | undefined;
    for (;;) {
      // Keyset pages (key > last key seen) stay correct while rows are added or removed meanwhile.
      const rows: Record<string, unknown>[] =
        after === undefined
          ? await this.query(`SELECT key, value FROM ${keyvTable} WHERE key LIKE $1 ORDER BY key LIMIT $2`, [
              pattern,
              pageSize,
            ])
          : await this.query(
              `SELECT key, value FROM ${keyvTable} WHERE key LIKE $1 AND key > $2 ORDER BY key LIMIT $3`,
              [pattern, after, pageSize],
            );
      for (const row of rows) yield [String(row.key), String(row.value)];
      if (rows.length < pageSize) return;
      after = String(rows.at(-1)?.key);
    }
  }
}

/**
 * One Keyv per namespace (rows `<prefix><namespace>:<key>` in table `keyv`, as @keyv/postgres
 * lays them out) over one pool, and the claims and the ledger's day records in tables of their own. With no server,
 * @keyv/postgres answers `set()` with `false` (FACTS.md); opening runs a query first, so a bad
 * URL or a server that is down fails here, in one line.
 */
export async function openPostgresKeyvs<const Namespace extends string>(
  url: string,
  namespaces: readonly Namespace[],
  options: ServerOptions,
  storeUrl: string,
): Promise<OpenedKeyvs<Namespace>> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: options.timeoutMs });
  // An idle connection dropped by the server is an "error" event; unheard, it would end the process.
  pool.on("error", (error) => log.warn({ err: error }, "store: a PostgreSQL connection failed"));
  const close = async () => {
    await pool.end().catch(() => undefined);
  };
  const query: Query = async (sql, values) =>
    (await pool.query<Record<string, unknown>>(sql, values ? [...values] : [])).rows;
  try {
    await withTimeout(
      (async () => {
        await createTable(
          query,
          `CREATE TABLE IF NOT EXISTS ${keyvTable}(key VARCHAR(255) PRIMARY KEY, value TEXT)`,
        );
        await createTable(
          query,
          `CREATE TABLE IF NOT EXISTS ${claimsTable}(key TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)`,
        );
        await createTable(query, createPostgresLedgerTable);
      })(),
      options.timeoutMs,
      "connecting",
    );
  } catch (error) {
    await close();
    throw new StoreOpenError(
      `STORE_URL "${storeUrl}": cannot use the PostgreSQL database: ${describeError(error)}`,
    );
  }

  const keyvs = {} as Record<Namespace, Keyv<unknown>>;
  for (const namespace of namespaces) {
    const adapter = new OwnPoolKeyvPostgres({ uri: url, table: keyvTable, ownPool: pool } as never);
    adapter.on("error", () => undefined);
    keyvs[namespace] = recordKeyv(adapter, `${options.keyPrefix}${namespace}`);
  }
  return {
    keyvs,
    claims: postgresClaims(query, options.keyPrefix),
    ledger: postgresLedger(query, options.keyPrefix),
    close,
  };
}

/**
 * Each operation is one statement. The claim is `INSERT … ON CONFLICT DO UPDATE … WHERE the lease
 * has run out`: PostgreSQL locks the conflicting row and re-checks the condition on its latest
 * version, so of many concurrent claimers exactly one gets a row back. Lease times are the
 * server's clock, the one clock every process sharing it agrees on.
 */
function postgresClaims(query: Query, keyPrefix: string): ClaimBackend {
  const full = (key: string) => `${keyPrefix}${key}`;
  return {
    async claim(key, holder, leaseMs) {
      const rows = await query(
        `INSERT INTO ${claimsTable} AS c (key, holder, expires_at)
         VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE c.expires_at <= clock_timestamp()
         RETURNING c.holder`,
        [full(key), holder, leaseMs],
      );
      return rows.length === 1;
    },
    async complete(key, holder) {
      const rows = await query(
        `UPDATE ${claimsTable} SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
         WHERE key = $1 AND holder = $2 RETURNING key`,
        [full(key), holder, COMPLETED_CLAIM_RETENTION_MS],
      );
      return rows.length === 1;
    },
    async release(key, holder) {
      const rows = await query(`DELETE FROM ${claimsTable} WHERE key = $1 AND holder = $2 RETURNING key`, [
        full(key),
        holder,
      ]);
      return rows.length === 1;
    },
    async removeExpired() {
      const rows = await query(
        `DELETE FROM ${claimsTable} WHERE starts_with(key, $1) AND expires_at <= clock_timestamp() RETURNING key`,
        [keyPrefix],
      );
      return rows.length;
    },
    async close() {},
  };
}

/** Two processes creating the same table at once can collide in the catalog; the table is there either way. */
async function createTable(query: Query, sql: string): Promise<void> {
  try {
    await query(sql);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "23505" && code !== "42P07") throw error;
  }
}
