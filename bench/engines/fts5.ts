import path from "node:path";
import Database from "better-sqlite3";
import { type Engine, TOP_K } from "./engine.ts";
import { queryParts } from "./translate.ts";

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;

export const fts5: Engine = {
  name: "SQLite FTS5 (better-sqlite3 12)",
  notes:
    "on-disk FTS5, porter tokenizer, bm25(2.5,1,1), AND, last-word prefix, phrases, authors: column; no typo tolerance",
  build(papers, workDir) {
    const db = new Database(path.join(workDir, "fts5.sqlite"));
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.exec(
      "CREATE VIRTUAL TABLE papers USING fts5(title, abstract, authors, tokenize = 'porter unicode61')",
    );
    const insert = db.prepare("INSERT INTO papers(rowid, title, abstract, authors) VALUES (?, ?, ?, ?)");
    const insertAll = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const paper = papers[i];
        if (paper !== undefined) insert.run(i + 1, paper.title, paper.abstract, paper.authors.join(", "));
      }
    });
    for (let from = 0; from < papers.length; from += 50_000)
      insertAll(from, Math.min(papers.length, from + 50_000));
    db.exec("INSERT INTO papers(papers) VALUES ('optimize')");
    const select = db.prepare(
      `SELECT rowid FROM papers WHERE papers MATCH ? ORDER BY bm25(papers, 2.5, 1, 1) LIMIT ${TOP_K}`,
    );
    return (query) => {
      const parts = queryParts(query);
      const terms = parts.words.map((word, i) =>
        parts.lastWordIsPrefix && i === parts.words.length - 1 ? `${quote(word)}*` : quote(word),
      );
      for (const phrase of parts.phrases) terms.push(quote(phrase.join(" ")));
      for (const author of parts.authors) terms.push(`authors:${quote(author.join(" "))}`);
      if (terms.length === 0) return 0;
      return select.all(terms.join(" AND ")).length;
    };
  },
};
