import {
  type ClaimBackend,
  type ClaimRecord,
  COMPLETED_CLAIM_RETENTION_MS,
  claimStateOf,
  keptForMs,
  LAPSED_PAGE,
} from "./claims.ts";

type Query = (sql: string, values?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

const table = "paper_picks_claims";

/** The claims table; a table from before the claim states gets the new columns, its rows read as legacy. */
export const createPostgresClaimsTable = [
  `CREATE TABLE IF NOT EXISTS ${table}(key TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)`,
  `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS state TEXT,
     ADD COLUMN IF NOT EXISTS sending_at TIMESTAMPTZ,
     ADD COLUMN IF NOT EXISTS message_id TEXT,
     ADD COLUMN IF NOT EXISTS detail TEXT,
     ADD COLUMN IF NOT EXISTS takeovers INTEGER NOT NULL DEFAULT 0,
     ADD COLUMN IF NOT EXISTS keep_until TIMESTAMPTZ`,
];

const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
const later = (parameter: string) => `clock_timestamp() + ${parameter} * interval '1 millisecond'`;

/**
 * Each operation is one statement. The claim is `INSERT … ON CONFLICT DO UPDATE … WHERE the lease
 * has run out`: PostgreSQL locks the conflicting row and re-checks the condition on its latest
 * version, so of many concurrent claimers exactly one gets a row back. Lease times are the
 * server's clock, the one clock every process sharing it agrees on.
 */
export function postgresClaims(query: Query, keyPrefix: string): ClaimBackend {
  const full = (key: string) => `${keyPrefix}${key}`;
  return {
    async take(key, holder, leaseMs) {
      const rows = await query(
        `INSERT INTO ${table} AS c (key, holder, expires_at, state, keep_until)
         VALUES ($1, $2, ${later("$3")}, 'claimed', ${later("$4")})
         ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
           keep_until = CASE WHEN c.state = 'sending'
             THEN greatest(c.keep_until, excluded.keep_until) ELSE excluded.keep_until END,
           state = CASE WHEN c.state = 'sending' THEN 'sending' ELSE 'claimed' END,
           sending_at = CASE WHEN c.state = 'sending' THEN c.sending_at END,
           detail = CASE WHEN c.state = 'sending' THEN c.detail END,
           takeovers = CASE WHEN c.state = 'sending' THEN c.takeovers + 1 ELSE 0 END,
           message_id = NULL
         WHERE c.expires_at <= clock_timestamp()
         RETURNING c.state, ${ms("c.sending_at")} AS sending_at, c.detail, c.takeovers`,
        [full(key), holder, leaseMs, keptForMs(leaseMs)],
      );
      const row = rows[0];
      if (!row) return undefined;
      if (row.state !== "sending") return { state: "claimed" };
      return {
        state: "sending",
        sendingAt: Math.round(Number(row.sending_at)),
        detail: (row.detail as string | null) ?? undefined,
        takeovers: Number(row.takeovers),
      };
    },
    async renew(key, holder, leaseMs) {
      const rows = await query(
        `UPDATE ${table} SET expires_at = ${later("$3")}, keep_until = greatest(keep_until, ${later("$4")})
         WHERE key = $1 AND holder = $2 AND state IN ('claimed', 'sending') RETURNING key`,
        [full(key), holder, leaseMs, keptForMs(leaseMs)],
      );
      return rows.length === 1;
    },
    async markSending(key, holder, leaseMs, detail) {
      const rows = await query(
        `UPDATE ${table} SET state = 'sending', sending_at = coalesce(sending_at, clock_timestamp()),
           expires_at = ${later("$3")}, detail = $4,
           keep_until = coalesce(sending_at, clock_timestamp()) + $5 * interval '1 millisecond'
         WHERE key = $1 AND holder = $2 AND state IN ('claimed', 'sending') RETURNING key`,
        [full(key), holder, leaseMs, detail, COMPLETED_CLAIM_RETENTION_MS],
      );
      return rows.length === 1;
    },
    async complete(key, holder, messageId) {
      const rows = await query(
        `UPDATE ${table} SET state = 'sent', expires_at = ${later("$3")}, keep_until = ${later("$3")}, message_id = $4
         WHERE key = $1 AND holder = $2 RETURNING key`,
        [full(key), holder, COMPLETED_CLAIM_RETENTION_MS, messageId ?? null],
      );
      return rows.length === 1;
    },
    async release(key, holder) {
      const rows = await query(`DELETE FROM ${table} WHERE key = $1 AND holder = $2 RETURNING key`, [
        full(key),
        holder,
      ]);
      return rows.length === 1;
    },
    async read(key) {
      const rows = await query(
        `SELECT holder, state, ${ms("expires_at")} AS expires_at, ${ms("sending_at")} AS sending_at,
           message_id, detail, takeovers FROM ${table} WHERE key = $1`,
        [full(key)],
      );
      const row = rows[0];
      return row && toRecord(row);
    },
    async lapsed() {
      const rows = await query(
        `SELECT key FROM ${table} WHERE starts_with(key, $1) AND expires_at <= clock_timestamp()
           AND state IN ('claimed', 'sending') AND keep_until > clock_timestamp()
         ORDER BY expires_at LIMIT $2`,
        [keyPrefix, LAPSED_PAGE],
      );
      return rows.map((row) => String(row.key).slice(keyPrefix.length));
    },
    async removeExpired() {
      const rows = await query(
        `DELETE FROM ${table} WHERE starts_with(key, $1) AND expires_at <= clock_timestamp()
           AND coalesce(keep_until, expires_at) <= clock_timestamp()
         RETURNING key`,
        [keyPrefix],
      );
      return rows.length;
    },
    async close() {},
  };
}

function toRecord(row: Record<string, unknown>): ClaimRecord {
  return {
    holder: String(row.holder),
    state: claimStateOf(row.state),
    expiresAt: Math.round(Number(row.expires_at)),
    ...(row.sending_at !== null && { sendingAt: Math.round(Number(row.sending_at)) }),
    ...(row.message_id !== null && { messageId: String(row.message_id) }),
    ...(row.detail !== null && { detail: String(row.detail) }),
    takeovers: Number(row.takeovers),
  };
}
