import { parseTargetKey } from "../core/target.ts";
import { StoreError } from "./errors.ts";
import { RecordCollection, type RecordKind } from "./record-collection.ts";
import { type ChannelReadingList, channelReadingListSchema, type ListedPaper } from "./schemas.ts";

/** The most papers one channel's reading list holds; a page of it is one read of a small record. */
export const MAX_LISTED_PER_CHANNEL = 2000;

export const readingListKind: RecordKind<ChannelReadingList> = {
  name: "reading lists",
  schema: channelReadingListSchema,
  keyOf: (list) => list.channel,
  stamp: (list, nowIso) => ({ ...list, updatedAt: nowIso }),
};

/** Who adds a paper: their user id, and the name shown beside it. */
export interface Adder {
  readonly userId: string;
  readonly userName?: string;
}

export type AddResult =
  | { readonly outcome: "added"; readonly count: number }
  /** Someone added it before; `entry` says who and when, and nothing changed. */
  | { readonly outcome: "already-listed"; readonly count: number; readonly entry: ListedPaper }
  /** The list already holds MAX_LISTED_PER_CHANNEL papers. */
  | { readonly outcome: "full"; readonly count: number };

export type RemoveResult =
  | { readonly outcome: "removed"; readonly entry: ListedPaper; readonly count: number }
  | { readonly outcome: "not-listed"; readonly count: number }
  /** `mayRemove` said no: the list is as it was. */
  | { readonly outcome: "refused"; readonly entry: ListedPaper };

/**
 * Each channel's reading list, keyed by the channel's target key (`discord:123`, `console`), one
 * record per channel changed under its key's lock, so two adds at once both land. A list is a set
 * in the order added: adding a listed paper again changes nothing.
 */
export class ReadingListStore extends RecordCollection<ChannelReadingList> {
  async add(channelKey: string, paperId: string, adder: Adder): Promise<AddResult> {
    const channel = parseChannelKey(channelKey);
    // One line of at most 100 characters; a blank name is shown as "someone".
    const shownName = (adder.userName ?? "").replace(/\s+/g, " ").trim().slice(0, 100);
    const result = await this.modify(channelKey, (current) => {
      if (current?.papers.some((listed) => listed.paperId === paperId)) return undefined;
      if ((current?.papers.length ?? 0) >= MAX_LISTED_PER_CHANNEL) return undefined;
      const base = current ?? {
        schemaVersion: 1 as const,
        channel: channelKey,
        platform: channel.platform,
        channelId: channel.id,
        papers: [],
        updatedAt: this.calls.nowIso(),
      };
      const entry: ListedPaper = {
        paperId,
        addedBy: adder.userId,
        ...(shownName !== "" && { addedByName: shownName }),
        addedAt: this.calls.nowIso(),
      };
      return { ...base, papers: [...base.papers, entry] };
    });
    const papers = result.after?.papers ?? [];
    if (result.written) return { outcome: "added", count: papers.length };
    const entry = papers.find((listed) => listed.paperId === paperId);
    if (entry) return { outcome: "already-listed", count: papers.length, entry };
    return { outcome: "full", count: papers.length };
  }

  /** Removes `paperId` when `mayRemove` allows it for its entry, decided under the list's lock. */
  async remove(
    channelKey: string,
    paperId: string,
    mayRemove: (entry: ListedPaper) => boolean,
  ): Promise<RemoveResult> {
    parseChannelKey(channelKey);
    let refused: ListedPaper | undefined;
    const result = await this.modify(channelKey, (current) => {
      const entry = current?.papers.find((listed) => listed.paperId === paperId);
      if (!current || !entry) return undefined;
      if (!mayRemove(entry)) {
        refused = entry;
        return undefined;
      }
      return { ...current, papers: current.papers.filter((listed) => listed.paperId !== paperId) };
    });
    if (refused) return { outcome: "refused", entry: refused };
    const entry = result.before?.papers.find((listed) => listed.paperId === paperId);
    const count = result.after?.papers.length ?? 0;
    if (result.written && entry) return { outcome: "removed", entry, count };
    return { outcome: "not-listed", count };
  }

  /** The channel's list, in the order its papers were added. */
  async inOrder(channelKey: string): Promise<readonly ListedPaper[]> {
    parseChannelKey(channelKey);
    return (await this.get(channelKey))?.papers ?? [];
  }
}

function parseChannelKey(channelKey: string) {
  const target = parseTargetKey(channelKey);
  if (target?.kind !== "channel")
    throw new StoreError(`store: "${channelKey}" is not a channel key such as discord:123`);
  return target;
}
