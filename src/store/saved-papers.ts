import type { Keyv } from "keyv";
import { log } from "../log.ts";
import { StoreError } from "./errors.ts";
import type { PaperSaverStore } from "./paper-savers.ts";
import { RecordCollection, type RecordKind } from "./record-collection.ts";
import { type SavedPaper, type SavedPapers, savedPapersSchema } from "./schemas.ts";
import type { StoreCalls } from "./store-calls.ts";
import { parseUserKey, userRecordBase } from "./user-key.ts";

/** The most papers one person keeps saved: a reading list, not an archive; the record stays small. */
export const MAX_SAVED_PER_USER = 5000;

export const savedPapersKind: RecordKind<SavedPapers> = {
  name: "saved papers",
  schema: savedPapersSchema,
  keyOf: (saved) => saved.user,
  stamp: (saved, nowIso) => ({ ...saved, updatedAt: nowIso }),
};

export type SaveResult =
  | { readonly outcome: "saved" | "already-saved"; readonly count: number }
  /** The person already keeps MAX_SAVED_PER_USER papers. */
  | { readonly outcome: "full"; readonly count: number };

/**
 * Each person's saved papers, keyed by their target key (`slack:user:U1`), one record per person
 * changed under its key's lock, so two saves at once both land. Each save and unsave also tells
 * `savers` (who keeps each paper), after the person's own record is written: theirs is the record
 * of truth, and a failed count is logged, repaired by the next save or unsave of that paper by that
 * person, and never undoes the save.
 */
export class SavedPaperStore extends RecordCollection<SavedPapers> {
  constructor(
    keyv: Keyv<unknown>,
    kind: RecordKind<SavedPapers>,
    calls: StoreCalls,
    private readonly savers: PaperSaverStore,
  ) {
    super(keyv, kind, calls);
  }

  /** Saves `paperId` for the person, creating their record on first use; saving twice keeps the first time. */
  async save(userKey: string, paperId: string): Promise<SaveResult> {
    parseUserKey(userKey);
    return this.inTurn(userKey, () => this.saveNow(userKey, paperId));
  }

  private async saveNow(userKey: string, paperId: string): Promise<SaveResult> {
    const result = await this.modify(userKey, (current) => {
      if (current?.papers.some((saved) => saved.paperId === paperId)) return undefined;
      if ((current?.papers.length ?? 0) >= MAX_SAVED_PER_USER) return undefined;
      const base = current ?? { ...userRecordBase(userKey, this.calls.nowIso()), papers: [] };
      return { ...base, papers: [...base.papers, { paperId, savedAt: this.calls.nowIso() }] };
    });
    if (result.after === undefined)
      throw new StoreError(`store: saving a paper for "${userKey}" wrote nothing`);
    const count = result.after.papers.length;
    const already = result.before?.papers.some((saved) => saved.paperId === paperId) ?? false;
    if (result.written || already) await this.countSaver("add", paperId, userKey);
    if (result.written) return { outcome: "saved", count };
    return { outcome: already ? "already-saved" : "full", count };
  }

  /** `false` when the person had not saved it. */
  async unsave(userKey: string, paperId: string): Promise<boolean> {
    parseUserKey(userKey);
    return this.inTurn(userKey, async () => {
      const result = await this.modify(userKey, (current) => {
        if (!current?.papers.some((saved) => saved.paperId === paperId)) return undefined;
        return { ...current, papers: current.papers.filter((saved) => saved.paperId !== paperId) };
      });
      await this.countSaver("remove", paperId, userKey);
      return result.written;
    });
  }

  /** The person's saved papers, newest first. */
  async newestFirst(userKey: string): Promise<readonly SavedPaper[]> {
    parseUserKey(userKey);
    const saved = await this.get(userKey);
    return [...(saved?.papers ?? [])].reverse();
  }

  /**
   * One person's saves and unsaves one after another, each with its count: a save and an unsave
   * of one paper at once then count in the order their records were written.
   */
  private inTurn<T>(userKey: string, task: () => Promise<T>): Promise<T> {
    return this.calls.mutex.run(`saved and counted\u0000${userKey}`, task);
  }

  private async countSaver(change: "add" | "remove", paperId: string, userKey: string): Promise<void> {
    try {
      await this.savers[change](paperId, userKey);
    } catch (error) {
      log.warn({ err: error, paperId, change }, "store: could not count a paper's savers");
    }
  }
}
