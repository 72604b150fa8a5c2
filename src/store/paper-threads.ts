import { parseTargetKey } from "../core/target.ts";
import { StoreError } from "./errors.ts";
import { RecordCollection, type RecordKind } from "./record-collection.ts";
import { type PaperThread, paperThreadSchema } from "./schemas.ts";

/** The key of (channel, paper): one thread per paper per channel. */
export function paperThreadKey(channelKey: string, paperId: string): string {
  return `${channelKey} ${paperId}`;
}

export const paperThreadsKind: RecordKind<PaperThread> = {
  name: "threads",
  schema: paperThreadSchema,
  keyOf: (thread) => thread.key,
  stamp: (thread, nowIso) => ({ ...thread, updatedAt: nowIso }),
};

export interface NewPaperThread {
  readonly channel: string;
  readonly paperId: string;
  readonly threadId: string;
  readonly postId?: string;
}

/**
 * Which platform thread belongs to which (channel, paper), on every backend alike. A record is
 * replaced only when the caller says the thread it names is gone (`replace`), so of two threads
 * opened at once for the same paper the first one recorded is the one everyone joins.
 */
export class PaperThreadStore extends RecordCollection<PaperThread> {
  /** The thread of `paperId` in the channel, if one was recorded. */
  async find(channelKey: string, paperId: string): Promise<PaperThread | undefined> {
    channelOf(channelKey);
    return this.get(paperThreadKey(channelKey, paperId));
  }

  /**
   * Records the thread; when another is recorded already (and `replace` does not name it as gone),
   * that one is kept and returned: the thread to send people to.
   */
  async remember(thread: NewPaperThread, replace?: string): Promise<PaperThread> {
    channelOf(thread.channel);
    const key = paperThreadKey(thread.channel, thread.paperId);
    const nowIso = this.calls.nowIso();
    const result = await this.modify(key, (current) => {
      if (current && current.threadId !== replace) return undefined;
      return {
        schemaVersion: 1,
        key,
        channel: thread.channel,
        paperId: thread.paperId,
        threadId: thread.threadId,
        ...(thread.postId !== undefined && { postId: thread.postId }),
        createdAt: nowIso,
        updatedAt: nowIso,
      };
    });
    if (result.after === undefined) throw new StoreError(`store: recording thread "${key}" wrote nothing`);
    return result.after;
  }
}

function channelOf(channelKey: string): void {
  if (parseTargetKey(channelKey)?.kind !== "channel")
    throw new StoreError(`store: "${channelKey}" is not a channel key such as discord:42`);
}
