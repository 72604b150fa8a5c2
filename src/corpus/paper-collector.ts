import type { Paper } from "../core/paper.ts";
import { buildPaper, NamePool } from "./build-paper.ts";
import type { CorpusFormat } from "./detect-format.ts";
import type { ReaderEntry, ReaderWarning } from "./reader-result.ts";

/**
 * Which problem the "has no papers" message quotes first when a file yields nothing: lines without
 * words (found before pairing in the text format), then records a reader dropped, then records that
 * failed to become a paper. Readers report in file order within each kind.
 */
export type ProblemKind = "wordless-line" | "record" | "paper";
const KINDS: readonly ProblemKind[] = ["wordless-line", "record", "paper"];

export interface CorpusFileRead {
  readonly format: CorpusFormat;
  /** In the file's own order; rank is the 1-based position among the papers kept. */
  readonly papers: Paper[];
  readonly skipped: number;
  readonly warnings: ReaderWarning[];
}

/**
 * Turns the entries a reader finds into papers as they come, so a streamed file never exists as a list
 * of raw records, and keeps the warnings and the skip count the way every reader reports them.
 */
export class PaperCollector {
  readonly #source: string;
  readonly #names: NamePool;
  readonly #papers: Paper[] = [];
  readonly #warnings: ReaderWarning[] = [];
  readonly #firstOfKind = new Map<ProblemKind, ReaderWarning>();
  #skipped = 0;

  /** `source` is the file as shown to the operator; every paper shares this one string. */
  constructor(source: string, names = new NamePool()) {
    this.#source = source;
    this.#names = names;
  }

  /** A line or record dropped by a reader. */
  skip(line: number | undefined, message: string, kind: ProblemKind): void {
    this.#skipped++;
    this.#warn(line === undefined ? { message } : { line, message }, kind);
  }

  add(entry: ReaderEntry): void {
    const built = buildPaper(entry.raw, this.#papers.length + 1, this.#source, this.#names);
    const name = entry.label ?? "record";
    if ("problem" in built) {
      this.skip(entry.line, `${name} skipped: ${built.problem}`, "paper");
      return;
    }
    this.#papers.push(built.paper);
    for (const note of built.notes) this.#warn({ line: entry.line, message: `${name}: ${note}` }, "paper");
  }

  /** The file's papers and warnings (by line); throws `fail(why)` when no paper was found. */
  finish(format: CorpusFormat, fail: (why: string) => Error): CorpusFileRead {
    if (this.#papers.length === 0) {
      const skipped = this.#skipped;
      const detail =
        skipped === 0
          ? "no records"
          : skipped === 1
            ? "its one record or line was unusable"
            : `all ${skipped} records or lines were unusable`;
      throw fail(`has no papers (${format}: ${detail}${this.#firstProblem()})`);
    }
    const warnings = this.#warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { format, papers: this.#papers, skipped: this.#skipped, warnings };
  }

  #warn(warning: ReaderWarning, kind: ProblemKind): void {
    this.#warnings.push(warning);
    if (!this.#firstOfKind.has(kind)) this.#firstOfKind.set(kind, warning);
  }

  #firstProblem(): string {
    const first = KINDS.map((kind) => this.#firstOfKind.get(kind)).find((warning) => warning !== undefined);
    if (first === undefined) return "";
    return `; first at line ${first.line ?? "?"}: ${first.message.slice(0, 100)}`;
  }
}
