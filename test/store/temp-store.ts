import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import KeyvSqlite from "@keyv/sqlite";
import { afterEach } from "vitest";
import { openStore, type Store, type StoreOptions } from "../../src/store/index.ts";

/** Real SQLite files in fresh temp folders, removed after each test, with their stores closed. */
export function useTempStores() {
  const dirs: string[] = [];
  const stores: Store[] = [];
  const rawAdapters: KeyvSqlite[] = [];

  afterEach(async () => {
    await Promise.allSettled(stores.splice(0).map((store) => store.close()));
    await Promise.allSettled(rawAdapters.splice(0).map((adapter) => adapter.disconnect()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "paper-picks-store-"));
    dirs.push(dir);
    return dir;
  }

  /** A new store on a new file; `file` is its path, for reopening and raw access. */
  async function newStore(options: StoreOptions = {}): Promise<{ store: Store; file: string; url: string }> {
    const file = join(await tempDir(), "state.sqlite");
    const url = `sqlite://${file}`;
    return { store: await open(url, options), file, url };
  }

  async function open(url: string, options: StoreOptions = {}): Promise<Store> {
    const store = await openStore(url, options);
    stores.push(store);
    return store;
  }

  /**
   * Reads and writes rows behind the store's back, as a hand edit or a damaged file would. It uses
   * the store's own driver on purpose: better-sqlite3 bundles a second copy of SQLite, and two
   * copies in one process do not see each other's POSIX locks (closing one drops the other's).
   */
  function raw(file: string) {
    const adapter = new KeyvSqlite({ uri: `sqlite://${file}` });
    rawAdapters.push(adapter);
    return {
      put: async (key: string, value: string): Promise<void> => {
        await adapter.set(key, value);
      },
      get: (key: string): Promise<string | undefined> => adapter.get<string>(key),
      /** Any statement, for the tables the store keeps beside keyv's (ledger days, claims). */
      sql: (statement: string, parameters: readonly unknown[] = []): Promise<unknown[]> =>
        adapter.query(statement, [...parameters]),
    };
  }

  return { tempDir, newStore, open, raw };
}

export const fixedNow = new Date("2025-03-04T05:06:07.000Z");
