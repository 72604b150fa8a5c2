import KeyvPostgres from "@keyv/postgres";
import type { Keyv } from "keyv";
import pg, { type Pool } from "pg";
import { log } from "../log.ts";
import { createPostgresClaimsTable, postgresClaims } from "./claims-postgres.ts";
import { describeError, StoreOpenError } from "./errors.ts";
import { createPostgresLedgerTable, postgresLedger } from "./ledger-postgres.ts";
import type { ServerOptions } from "./open-redis.ts";
import type { OpenedKeyvs } from "./open-sqlite.ts";
import { recordKeyv } from "./record-keyv.ts";
import { withTimeout } from "./timeout.ts";

type Query = (sql: string, values?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

const keyvTable = "keyv";
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
        for (const statement of createPostgresClaimsTable) await createTable(query, statement);
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

/** Two processes creating the same table (or column) at once can collide in the catalog; it is there either way. */
async function createTable(query: Query, sql: string): Promise<void> {
  try {
    await query(sql);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 23505/42P07: a table created at the same moment; 42701: a column added at the same moment.
    if (code !== "23505" && code !== "42P07" && code !== "42701") throw error;
  }
}
