import type KeyvSqlite from "@keyv/sqlite";
import {
  type ClaimBackend,
  type ClaimRecord,
  COMPLETED_CLAIM_RETENTION_MS,
  claimStateOf,
  keptForMs,
  LAPSED_PAGE,
} from "./claims.ts";

type Query = KeyvSqlite["query"];

const table = "paper_picks_claims";

/** Columns added with the claim states; a table from before gets them, its rows read as legacy. */
const stateColumns = [
  "state TEXT",
  "sending_at INTEGER",
  "message_id TEXT",
  "detail TEXT",
  "takeovers INTEGER NOT NULL DEFAULT 0",
  "keep_until INTEGER",
];

interface Row {
  holder: string;
  state: string | null;
  expires_at: number;
  sending_at: number | null;
  message_id: string | null;
  detail: string | null;
  takeovers: number;
}

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
  const columns = new Set(
    ((await query(`PRAGMA table_info(${table})`)) as { name: string }[]).map((c) => c.name),
  );
  for (const column of stateColumns) {
    const name = column.split(" ")[0] as string;
    if (!columns.has(name)) await addColumn(query, column);
  }
  const full = (key: string) => `${keyPrefix}${key}`;
  return {
    async take(key, holder, leaseMs) {
      const now = Date.now();
      // Inserts, or takes over a claim whose lease (or keeping) has run out; RETURNING yields a
      // row only then. A *sending* claim stays sending, so its new holder reconciles.
      const rows = (await query(
        `INSERT INTO ${table}(key, holder, expires_at, state, keep_until) VALUES(?, ?, ?, 'claimed', ?)
         ON CONFLICT(key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
           keep_until = CASE WHEN ${table}.state = 'sending'
             THEN max(${table}.keep_until, excluded.keep_until) ELSE excluded.keep_until END,
           state = CASE WHEN ${table}.state = 'sending' THEN 'sending' ELSE 'claimed' END,
           sending_at = CASE WHEN ${table}.state = 'sending' THEN ${table}.sending_at END,
           detail = CASE WHEN ${table}.state = 'sending' THEN ${table}.detail END,
           takeovers = CASE WHEN ${table}.state = 'sending' THEN ${table}.takeovers + 1 ELSE 0 END,
           message_id = NULL
         WHERE ${table}.expires_at <= ?
         RETURNING state, sending_at, detail, takeovers`,
        [full(key), holder, now + leaseMs, now + keptForMs(leaseMs), now],
      )) as Pick<Row, "state" | "sending_at" | "detail" | "takeovers">[];
      const row = rows[0];
      if (!row) return undefined;
      if (row.state !== "sending") return { state: "claimed" };
      return {
        state: "sending",
        sendingAt: Number(row.sending_at),
        detail: row.detail ?? undefined,
        takeovers: row.takeovers,
      };
    },
    async renew(key, holder, leaseMs) {
      const now = Date.now();
      const rows = await query(
        `UPDATE ${table} SET expires_at = ?, keep_until = max(coalesce(keep_until, 0), ?)
         WHERE key = ? AND holder = ? AND state IN ('claimed', 'sending') RETURNING key`,
        [now + leaseMs, now + keptForMs(leaseMs), full(key), holder],
      );
      return rows.length === 1;
    },
    async markSending(key, holder, leaseMs, detail) {
      const now = Date.now();
      const rows = await query(
        `UPDATE ${table} SET state = 'sending', sending_at = coalesce(sending_at, ?), expires_at = ?, detail = ?,
           keep_until = coalesce(sending_at, ?) + ?
         WHERE key = ? AND holder = ? AND state IN ('claimed', 'sending') RETURNING key`,
        [now, now + leaseMs, detail, now, COMPLETED_CLAIM_RETENTION_MS, full(key), holder],
      );
      return rows.length === 1;
    },
    async complete(key, holder, messageId) {
      const rows = await query(
        `UPDATE ${table} SET state = 'sent', expires_at = ?1, keep_until = ?1, message_id = ?2
         WHERE key = ?3 AND holder = ?4 RETURNING key`,
        [Date.now() + COMPLETED_CLAIM_RETENTION_MS, messageId ?? null, full(key), holder],
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
    async read(key) {
      const rows = (await query(
        `SELECT holder, state, expires_at, sending_at, message_id, detail, takeovers FROM ${table} WHERE key = ?`,
        [full(key)],
      )) as Row[];
      const row = rows[0];
      return row && toRecord(row);
    },
    async lapsed() {
      const now = Date.now();
      const rows = (await query(
        `SELECT key FROM ${table} WHERE substr(key, 1, ?1) = ?2 AND expires_at <= ?3
           AND state IN ('claimed', 'sending') AND keep_until > ?3
         ORDER BY expires_at LIMIT ?4`,
        [keyPrefix.length, keyPrefix, now, LAPSED_PAGE],
      )) as { key: string }[];
      return rows.map((row) => row.key.slice(keyPrefix.length));
    },
    async removeExpired() {
      const rows = await query(
        `DELETE FROM ${table} WHERE substr(key, 1, ?1) = ?2 AND expires_at <= ?3
           AND coalesce(keep_until, expires_at) <= ?3
         RETURNING key`,
        [keyPrefix.length, keyPrefix, Date.now()],
      );
      return rows.length;
    },
    // The connection belongs to the keyv adapter it came from, which closes it.
    async close() {},
  };
}

/** Two processes opening an old file at once may both add a column; one of them finds it there. */
async function addColumn(query: Query, column: string): Promise<void> {
  try {
    await query(`ALTER TABLE ${table} ADD COLUMN ${column}`);
  } catch (error) {
    if (!/duplicate column/i.test(String((error as Error).message))) throw error;
  }
}

function toRecord(row: Row): ClaimRecord {
  return {
    holder: row.holder,
    state: claimStateOf(row.state),
    expiresAt: Number(row.expires_at),
    ...(row.sending_at !== null && { sendingAt: Number(row.sending_at) }),
    ...(row.message_id !== null && { messageId: row.message_id }),
    ...(row.detail !== null && { detail: row.detail }),
    takeovers: Number(row.takeovers),
  };
}
