import type KeyvSqlite from "@keyv/sqlite";
import type { LedgerBackend } from "./ledger.ts";

type Query = KeyvSqlite["query"];

const table = "paper_picks_deliveries";
/** @keyv/sqlite's table, where the old layout kept a target's whole ledger in the row `ledger:<target>`. */
const keyvTable = "keyv";

/**
 * The ledger's day records in the store's SQLite file: one row per (target, local date), the
 * primary key, so a target's history is one index range and "only if absent" is the constraint
 * itself. WITHOUT ROWID keeps each target's rows together in the primary key's b-tree.
 */
export async function sqliteLedger(query: Query, keyPrefix: string): Promise<LedgerBackend> {
  await query(
    `CREATE TABLE IF NOT EXISTS ${table}(
       target TEXT NOT NULL, local_date TEXT NOT NULL, delivery TEXT NOT NULL,
       PRIMARY KEY(target, local_date)
     ) WITHOUT ROWID`,
  );
  const full = (target: string) => `${keyPrefix}${target}`;
  const legacyKey = (target: string) => `${keyPrefix}ledger:${target}`;
  return {
    async read(target) {
      // One statement reads both layouts from one snapshot, so a move by another process is never half seen.
      const rows = (await query(
        `SELECT local_date, delivery AS json FROM ${table} WHERE target = ?
         UNION ALL SELECT NULL, value FROM ${keyvTable} WHERE key = ?`,
        [full(target), legacyKey(target)],
      )) as { local_date: string | null; json: string }[];
      const days = rows.flatMap((row) =>
        row.local_date === null ? [] : [{ localDate: row.local_date, json: row.json }],
      );
      return { days, legacy: rows.find((row) => row.local_date === null)?.json };
    },
    async findDay(target, localDate) {
      const rows = (await query(
        `SELECT delivery AS json FROM ${table} WHERE target = ? AND local_date = ?
         UNION ALL SELECT NULL FROM ${keyvTable} WHERE key = ?`,
        [full(target), localDate, legacyKey(target)],
      )) as { json: string | null }[];
      const day = rows.find((row) => row.json !== null)?.json;
      return { ...(day != null && { json: day }), legacy: rows.some((row) => row.json === null) };
    },
    async readLegacy(target) {
      const rows = (await query(`SELECT value FROM ${keyvTable} WHERE key = ?`, [legacyKey(target)])) as {
        value: string;
      }[];
      return rows[0]?.value;
    },
    async insert(target, localDate, json) {
      const rows = await query(
        `INSERT INTO ${table}(target, local_date, delivery) VALUES(?, ?, ?)
         ON CONFLICT DO NOTHING RETURNING local_date`,
        [full(target), localDate, json],
      );
      return rows.length === 1;
    },
    async migrate(target, days, legacy) {
      // All the days in one statement (all or none); "WHERE true" tells SQLite's parser that
      // ON CONFLICT belongs to the INSERT, not to a join. Then the old row goes, unless it changed.
      await query(
        `INSERT INTO ${table}(target, local_date, delivery)
         SELECT ?, json_extract(value, '$.localDate'), value FROM json_each(?) WHERE true
         ON CONFLICT DO NOTHING`,
        [full(target), JSON.stringify(days)],
      );
      await query(`DELETE FROM ${keyvTable} WHERE key = ? AND value = ?`, [legacyKey(target), legacy]);
    },
  };
}
