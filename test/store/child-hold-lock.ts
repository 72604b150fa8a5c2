// Run by open-store.test.ts: another process that holds the database's write lock until its stdin closes.
// It must be a separate process: within one process, SQLite locks do not exclude each other across drivers.
import Database from "better-sqlite3";

const db = new Database(process.argv[2] ?? "");
db.exec("BEGIN EXCLUSIVE");
process.stdout.write("locked\n");
process.stdin.resume();
process.stdin.on("end", () => {
  db.exec("ROLLBACK");
  db.close();
});
