import { StoreError } from "./errors.ts";
import { RecordCollection, type RecordKind } from "./record-collection.ts";
import { type SavedPaper, type SavedPapers, savedPapersSchema } from "./schemas.ts";
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
 * changed under its key's lock, so two saves at once both land.
 */
export class SavedPaperStore extends RecordCollection<SavedPapers> {
  /** Saves `paperId` for the person, creating their record on first use; saving twice keeps the first time. */
  async save(userKey: string, paperId: string): Promise<SaveResult> {
    parseUserKey(userKey);
    const result = await this.modify(userKey, (current) => {
      if (current?.papers.some((saved) => saved.paperId === paperId)) return undefined;
      if ((current?.papers.length ?? 0) >= MAX_SAVED_PER_USER) return undefined;
      const base = current ?? { ...userRecordBase(userKey, this.calls.nowIso()), papers: [] };
      return { ...base, papers: [...base.papers, { paperId, savedAt: this.calls.nowIso() }] };
    });
    if (result.after === undefined)
      throw new StoreError(`store: saving a paper for "${userKey}" wrote nothing`);
    const count = result.after.papers.length;
    if (result.written) return { outcome: "saved", count };
    const already = result.before?.papers.some((saved) => saved.paperId === paperId) ?? false;
    return { outcome: already ? "already-saved" : "full", count };
  }

  /** `false` when the person had not saved it. */
  async unsave(userKey: string, paperId: string): Promise<boolean> {
    parseUserKey(userKey);
    const result = await this.modify(userKey, (current) => {
      if (!current?.papers.some((saved) => saved.paperId === paperId)) return undefined;
      return { ...current, papers: current.papers.filter((saved) => saved.paperId !== paperId) };
    });
    return result.written;
  }

  /** The person's saved papers, newest first. */
  async newestFirst(userKey: string): Promise<readonly SavedPaper[]> {
    parseUserKey(userKey);
    const saved = await this.get(userKey);
    return [...(saved?.papers ?? [])].reverse();
  }
}
