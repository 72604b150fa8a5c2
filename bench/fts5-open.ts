/**
 * The SQLite FTS5 peer of bench/snapshot-startup.ts. `tsx bench/fts5-open.ts build <corpus.jsonl> <db>`
 * builds the database (not timed); `tsx bench/fts5-open.ts open <db> <query>` is what is timed: a
 * process that opens the database on disk and answers one query with its hits' titles, as a bot on
 * FTS5 would start and answer its first command.
 */
import { mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { readPapers } from "./corpus-file.ts";
import { fts5 } from "./engines/fts5.ts";

async function main(): Promise<void> {
  const [mode, a, b] = process.argv.slice(2);
  if (mode === "build" && a !== undefined && b !== undefined) {
    const work = `${b}.building`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    await fts5.build(await readPapers(a), work);
    renameSync(path.join(work, "fts5.sqlite"), b);
    rmSync(work, { recursive: true, force: true });
    process.stdout.write(`built ${b}\n`);
    return;
  }
  if (mode === "open" && a !== undefined && b !== undefined) {
    const db = new Database(a, { readonly: true });
    const words = b.split(/\s+/).filter(Boolean);
    const match = words.map((word) => `"${word.replaceAll('"', '""')}"`).join(" AND ");
    const rows = db
      .prepare("SELECT title FROM papers WHERE papers MATCH ? ORDER BY bm25(papers, 2.5, 1, 1) LIMIT 5")
      .all(match) as Array<{ title: string }>;
    process.stdout.write(`${rows.map((row) => row.title).join("\n")}\n`);
    db.close();
    return;
  }
  throw new Error("usage: tsx bench/fts5-open.ts build <corpus.jsonl> <db> | open <db> <query>");
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
