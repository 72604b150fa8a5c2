import type { LedgerBackend } from "./ledger.ts";

type Query = (sql: string, values?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

const table = "paper_picks_deliveries";
/** The keyv table, where the old layout kept a target's whole ledger in the row `ledger:<target>`. */
const keyvTable = "keyv";

/** Creates the day-record table; run at open, with the other tables. */
export const createPostgresLedgerTable = `CREATE TABLE IF NOT EXISTS ${table}(
  target TEXT NOT NULL, local_date TEXT NOT NULL, delivery TEXT NOT NULL,
  PRIMARY KEY (target, local_date))`;

/**
 * The ledger's day records in PostgreSQL: one row per (target, local date), the primary key, so
 * a target's history is one index range scan (an equality on its first column, whatever the
 * database's collation) and "only if absent" is `ON CONFLICT DO NOTHING` on that key.
 */
export function postgresLedger(query: Query, keyPrefix: string): LedgerBackend {
  const full = (target: string) => `${keyPrefix}${target}`;
  const legacyKey = (target: string) => `${keyPrefix}ledger:${target}`;
  return {
    async read(target) {
      // One statement, one snapshot: a move by another process is seen entirely or not at all.
      const rows = await query(
        `SELECT local_date, delivery AS json FROM ${table} WHERE target = $1
         UNION ALL SELECT NULL, value FROM ${keyvTable} WHERE key = $2`,
        [full(target), legacyKey(target)],
      );
      const days: { localDate: string; json: string }[] = [];
      let legacy: string | undefined;
      for (const row of rows) {
        if (row.local_date === null) legacy = String(row.json);
        else days.push({ localDate: String(row.local_date), json: String(row.json) });
      }
      return { days, legacy };
    },
    async findDay(target, localDate) {
      const rows = await query(
        `SELECT delivery AS json FROM ${table} WHERE target = $1 AND local_date = $2
         UNION ALL SELECT NULL FROM ${keyvTable} WHERE key = $3`,
        [full(target), localDate, legacyKey(target)],
      );
      const day = rows.find((row) => row.json !== null)?.json;
      return { ...(day != null && { json: String(day) }), legacy: rows.some((row) => row.json === null) };
    },
    async readLegacy(target) {
      const rows = await query(`SELECT value FROM ${keyvTable} WHERE key = $1`, [legacyKey(target)]);
      const value = rows[0]?.value;
      return value === undefined || value === null ? undefined : String(value);
    },
    async insert(target, localDate, json) {
      const rows = await query(
        `INSERT INTO ${table}(target, local_date, delivery) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING local_date`,
        [full(target), localDate, json],
      );
      return rows.length === 1;
    },
    async migrate(target, days, legacy) {
      // One statement, so one transaction: the days land and the old row goes together.
      await query(
        `WITH moved AS (
           INSERT INTO ${table}(target, local_date, delivery)
           SELECT $1, day->>'localDate', day::text FROM json_array_elements($2::json) AS day
           ON CONFLICT DO NOTHING
         )
         DELETE FROM ${keyvTable} WHERE key = $3 AND value = $4`,
        [full(target), JSON.stringify(days), legacyKey(target), legacy],
      );
    },
  };
}
