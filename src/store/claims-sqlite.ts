import type KeyvSqlite from "@keyv/sqlite";
import { type ClaimBackend, COMPLETED_CLAIM_RETENTION_MS } from "./claims.ts";

type Query = KeyvSqlite["query"];

const table = "paper_picks_claims";

/**
 * Claims in the store's own SQLite file, through the same sqlite3 driver (and so the same copy
 * of SQLite and its file locks) as @keyv/sqlite. Every operation is ONE statement, which SQLite
 * runs atomically under the database write lock, across connections and processes alike. Lease
 * times are this machine's clock: every process on one SQLite file runs on one machine.
 */
export async function sqliteClaims(query: Query, keyPrefix: string): Promise<ClaimBackend> {
  await query(
    `CREATE TABLE IF NOT EXISTS ${table}(key TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL)`,
  );
  const full = (key: string) => `${keyPrefix}${key}`;
  return {
    async claim(key, holder, leaseMs) {
      const now = Date.now();
      // Inserts, or takes over a claim whose lease has run out; RETURNING yields a row only then.
      const rows = await query(
        `INSERT INTO ${table}(key, holder, expires_at) VALUES(?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE ${table}.expires_at <= ?
         RETURNING holder`,
        [full(key), holder, now + leaseMs, now],
      );
      return rows.length === 1;
    },
    async complete(key, holder) {
      const rows = await query(
        `UPDATE ${table} SET expires_at = ? WHERE key = ? AND holder = ? RETURNING key`,
        [Date.now() + COMPLETED_CLAIM_RETENTION_MS, full(key), holder],
      );
      return rows.length === 1;
    },
    async release(key, holder) {
      const rows = await query(`DELETE FROM ${table} WHERE key = ? AND holder = ? RETURNING key`, [
        full(key),
        holder,
      ]);
      return rows.length === 1;
    },
    async removeExpired() {
      const rows = await query(
        `DELETE FROM ${table} WHERE substr(key, 1, ?) = ? AND expires_at <= ? RETURNING key`,
        [keyPrefix.length, keyPrefix, Date.now()],
      );
      return rows.length;
    },
    // The connection belongs to the keyv adapter it came from, which closes it.
    async close() {},
  };
}
