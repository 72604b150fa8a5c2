import { log } from "../log.ts";
import { UnreadableRecordError } from "./errors.ts";
import { RecordCollection, type RecordKind } from "./record-collection.ts";
import type { PaperSavers, SavedPapers } from "./schemas.ts";
import { paperSaversSchema } from "./schemas.ts";

/**
 * The key of the record saying every saved list was counted once (`countOnce`); no paper id can
 * take it, since ids are letters, digits, ".", "_" and "-".
 */
const COUNTED = "(counted)";

export const paperSaversKind: RecordKind<PaperSavers> = {
  name: "savers",
  schema: paperSaversSchema,
  keyOf: (record) => record.paperId,
  stamp: (record, nowIso) => ({ ...record, updatedAt: nowIso }),
};

/**
 * For each paper, the people who keep it saved: what "saved by N people" counts, one read per
 * paper however many people save papers. SavedPaperStore changes it with each save and unsave,
 * under the paper's own lock; adding and removing a person are idempotent, so repeating a change
 * (a retry, a person saving again) never counts anyone twice.
 */
export class PaperSaverStore extends RecordCollection<PaperSavers> {
  async add(paperId: string, userKey: string): Promise<void> {
    await this.modify(paperId, (current) => {
      if (current?.savers.includes(userKey)) return undefined;
      const base = current ?? {
        schemaVersion: 1 as const,
        paperId,
        savers: [],
        updatedAt: this.calls.nowIso(),
      };
      return { ...base, savers: [...base.savers, userKey] };
    });
  }

  async remove(paperId: string, userKey: string): Promise<void> {
    await this.modify(paperId, (current) => {
      if (!current?.savers.includes(userKey)) return undefined;
      return { ...current, savers: current.savers.filter((saver) => saver !== userKey) };
    });
  }

  /**
   * How many people keep each paper saved, in the order asked; one read per paper, all at once. An
   * unreadable record counts 0 (and is logged): a count is never worth failing a list for.
   */
  async counts(paperIds: readonly string[]): Promise<number[]> {
    return Promise.all(
      paperIds.map(async (paperId) => {
        try {
          return (await this.get(paperId))?.savers.length ?? 0;
        } catch (error) {
          if (!(error instanceof UnreadableRecordError)) throw error;
          log.warn({ paperId, problem: error.problem }, "store: counting 0 savers for an unreadable record");
          return 0;
        }
      }),
    );
  }

  /**
   * Counts the savers of every paper from every person's saved list, once per store: saves made
   * before savers were kept count too. Adding a saver is idempotent, so processes that count at
   * once, or a count cut short and run again, count nobody twice. A person who unsaves a paper
   * while the count runs may be counted until they next save or unsave it.
   */
  async countOnce(listSaved: () => Promise<readonly SavedPapers[]>): Promise<void> {
    if (await this.get(COUNTED)) return;
    const byPaper = new Map<string, Set<string>>();
    for (const saved of await listSaved()) {
      for (const { paperId } of saved.papers) {
        const savers = byPaper.get(paperId) ?? new Set<string>();
        savers.add(saved.user);
        byPaper.set(paperId, savers);
      }
    }
    for (const [paperId, savers] of byPaper) {
      await this.modify(paperId, (current) => {
        const missing = [...savers].filter((saver) => !current?.savers.includes(saver));
        if (missing.length === 0) return undefined;
        const base = current ?? {
          schemaVersion: 1 as const,
          paperId,
          savers: [],
          updatedAt: this.calls.nowIso(),
        };
        return { ...base, savers: [...base.savers, ...missing] };
      });
    }
    await this.put({ schemaVersion: 1, paperId: COUNTED, savers: [], updatedAt: this.calls.nowIso() });
  }
}
