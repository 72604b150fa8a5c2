import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import KeyvSqlite from "@keyv/sqlite";
import type { Keyv } from "keyv";
import type { ClaimBackend } from "./claims.ts";
import { sqliteClaims } from "./claims-sqlite.ts";
import { describeError, StoreOpenError } from "./errors.ts";
import type { LedgerBackend } from "./ledger.ts";
import { sqliteLedger } from "./ledger-sqlite.ts";
import { recordKeyv } from "./record-keyv.ts";
import { withTimeout } from "./timeout.ts";

export interface SqliteOptions {
  /** How long SQLite waits for another connection's lock before failing with SQLITE_BUSY. */
  readonly busyTimeoutMs: number;
  /** Upper bound for opening; a stuck open becomes an error. */
  readonly timeoutMs: number;
  /** Put before every namespace and claim key (empty by default: rows stay `<namespace>:<key>`). */
  readonly keyPrefix: string;
}

/** What every backend opens: one Keyv per namespace, the claims, the ledger, and one way to close it all. */
export interface OpenedKeyvs<Namespace extends string> {
  readonly keyvs: Record<Namespace, Keyv<unknown>>;
  readonly claims: ClaimBackend;
  readonly ledger: LedgerBackend;
  close(): Promise<void>;
}

/**
 * One Keyv per namespace, all in one SQLite file (table `keyv`, rows `<namespace>:<key>`), and
 * beside them the claims and the ledger's day records in tables of their own (claims-sqlite.ts,
 * ledger-sqlite.ts), written with single SQL statements because keyv has no atomic operation.
 *
 * Each namespace gets its own @keyv/sqlite adapter, hence its own connection: Keyv writes its
 * namespace onto the adapter and `iterator()` reads it back from there, so one adapter shared by
 * several Keyvs would list whichever namespace was set last.
 *
 * @keyv/sqlite 4 only creates the table; it leaves SQLite's defaults (rollback journal, the
 * driver's 1 s busy timeout). With several connections we switch the file to WAL, so that reads
 * never wait for a write, and keep synchronous=FULL, so that a write is on disk when it resolves.
 */
export async function openSqliteKeyvs<const Namespace extends string>(
  path: string,
  namespaces: readonly Namespace[],
  options: SqliteOptions,
  storeUrl: string,
): Promise<OpenedKeyvs<Namespace>> {
  const fail = (why: string) =>
    new StoreOpenError(`STORE_URL "${storeUrl}": cannot open the SQLite database ${path}: ${why}`);
  try {
    await createFolder(dirname(path));
  } catch (error) {
    throw fail(`cannot create its folder (${describeError(error)})`);
  }

  const adapters: KeyvSqlite[] = [];
  const keyvs = {} as Record<Namespace, Keyv<unknown>>;
  const close = async () => {
    await Promise.allSettled(adapters.map((adapter) => adapter.disconnect()));
  };
  try {
    for (const [index, namespace] of namespaces.entries()) {
      // iterationLimit: rows per page of `iterator()`; the default 10 turns a listing of N records into N/10 queries.
      const adapter = new KeyvSqlite({
        uri: `sqlite://${path}`,
        busyTimeout: options.busyTimeoutMs,
        iterationLimit: 1000,
      });
      adapters.push(adapter);
      keyvs[namespace] = recordKeyv(adapter, `${options.keyPrefix}${namespace}`);
      // The first query also surfaces open errors (not a database, no permission) from the adapter.
      if (index === 0)
        await withTimeout(adapter.query("PRAGMA journal_mode=WAL"), options.timeoutMs, "opening");
      await withTimeout(adapter.query("PRAGMA synchronous=FULL"), options.timeoutMs, "opening");
    }
  } catch (error) {
    await close();
    throw fail(describeError(error));
  }
  let claims: ClaimBackend;
  let ledger: LedgerBackend;
  try {
    // Claims share the first namespace's connection: one statement each, no connection of their own needed.
    const first = adapters[0];
    if (!first) throw new Error("no namespaces to open");
    claims = await withTimeout(sqliteClaims(first.query, options.keyPrefix), options.timeoutMs, "opening");
    // The ledger, read on every delivery and status, gets a connection of its own (the adapter
    // only as a connection: it also makes sure table `keyv`, where old-layout ledgers are, exists).
    const ledgerConnection = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: options.busyTimeoutMs });
    adapters.push(ledgerConnection);
    // Without a listener, the adapter's "error" event on a failed open would replace the driver's message.
    ledgerConnection.on("error", () => undefined);
    await withTimeout(ledgerConnection.query("PRAGMA synchronous=FULL"), options.timeoutMs, "opening");
    ledger = await withTimeout(
      sqliteLedger(ledgerConnection.query, options.keyPrefix),
      options.timeoutMs,
      "opening",
    );
  } catch (error) {
    await close();
    throw fail(describeError(error));
  }
  return { keyvs, claims, ledger, close };
}

/**
 * `mkdir -p`, by hand: Node 20's `mkdir(..., { recursive: true })` spins forever at full CPU when
 * the kernel answers ENOENT for a folder whose parent exists (any path under /proc).
 */
async function createFolder(folder: string): Promise<void> {
  const missing: string[] = [];
  for (let current = folder; ; current = dirname(current)) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(current)).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      missing.unshift(current);
      if (dirname(current) === current) break;
      continue;
    }
    if (!isFolder) throw new Error(`${current} is a file, not a folder`);
    break;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}
