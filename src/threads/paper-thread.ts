import type { PaperCard } from "../core/message.ts";
import { log } from "../log.ts";
import type { ThreadOpener, ThreadOutcome, ThreadPost } from "../platforms/contract.ts";
import { KeyedMutex } from "../store/keyed-mutex.ts";
import type { PaperThreadStore } from "../store/paper-threads.ts";

export type DiscussOutcome =
  | (Extract<ThreadOutcome, { ok: true }> & {
      /** Whether this call opened the thread; false when it joined the one opened before. */
      readonly created: boolean;
    })
  | Extract<ThreadOutcome, { ok: false }>;

export interface ThreadPlace {
  /** The channel's target key, under which its threads are recorded. */
  readonly channelKey: string;
  /** The platform's id of the channel. */
  readonly channelId: string;
}

/**
 * Opens and joins in this process go one at a time per (channel, paper): two presses at once open
 * one thread. Across processes the store's first recorded thread wins and the loser joins it.
 */
const turns = new KeyedMutex();

/**
 * The thread of `card`'s paper in the channel: the one recorded for (channel, paper) when it still
 * exists (`userId` is brought into it), else a new one, recorded so that the next press joins it.
 */
export function discussPaper(
  store: PaperThreadStore,
  opener: ThreadOpener,
  place: ThreadPlace,
  card: PaperCard,
  options: { readonly post?: ThreadPost; readonly userId?: string } = {},
): Promise<DiscussOutcome> {
  return turns.run(`${place.channelKey} ${card.paperId}`, async () => {
    const existing = await store.find(place.channelKey, card.paperId);
    if (existing && options.userId !== undefined) {
      const joined = await opener.join(place.channelId, existing.threadId, options.userId);
      if (!("gone" in joined)) return joined.ok ? { ...joined, created: false } : joined;
    } else if (existing) {
      return { ok: true, threadId: existing.threadId, link: "", created: false };
    }
    const opened = await opener.open(place.channelId, card, options.post, options.userId);
    if (!opened.ok) return opened;
    const recorded = await store.remember(
      {
        channel: place.channelKey,
        paperId: card.paperId,
        threadId: opened.threadId,
        ...(options.post && { postId: options.post.id }),
      },
      existing?.threadId,
    );
    if (recorded.threadId === opened.threadId) return { ...opened, created: true };
    // Another process recorded its thread first: that one is the paper's, so everyone meets there.
    log.warn(
      { channel: place.channelKey, paper: card.paperId, kept: recorded.threadId, extra: opened.threadId },
      "two threads were opened for one paper at once; sending people to the first recorded",
    );
    if (options.userId === undefined)
      return { ok: true, threadId: recorded.threadId, link: "", created: false };
    const joined = await opener.join(place.channelId, recorded.threadId, options.userId);
    if ("gone" in joined) return { ...opened, created: true };
    return joined.ok ? { ...joined, created: false } : joined;
  });
}
