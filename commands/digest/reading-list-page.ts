import type { Message } from "../../src/core/message.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { plural, shortDate } from "../../src/core/text.ts";
import type { Services } from "../../src/services.ts";
import type { ListedPaper } from "../../src/store/index.ts";
import { pageOf } from "../papers/paging.ts";
import { PER_PAGE } from "../papers/personal-list.ts";

/** Who added a listed paper and when, as its card says it. */
export function addedLine(entry: ListedPaper): string {
  return `added by ${entry.addedByName ?? "someone"} ${shortDate(entry.addedAt.slice(0, 10))}`;
}

function savedLine(savers: number): string {
  return savers === 0 ? "not saved by anyone yet" : `saved by ${plural(savers, "person", "people")}`;
}

/**
 * One page of a channel's reading list, privately, in the order added: a card per paper still in
 * the corpus saying who added it and how many people keep it saved, a line per paper that has left
 * the corpus, and paging buttons. An empty list and a page past the end are said in words.
 */
export async function readingListPage(
  services: Services,
  list: {
    readonly entries: readonly ListedPaper[];
    readonly page: number;
    readonly lastPage: number;
    /** "#papers", or "this channel". */
    readonly where: string;
  },
): Promise<Message> {
  const answer = (text: string): Message => ({ text, cards: [], buttons: [], ephemeral: true });
  const { entries, page, where } = list;
  if (entries.length === 0) {
    return answer(
      `The reading list of ${where} is empty. Add a paper with /digest list add <id> (ids appear under each search result).`,
    );
  }
  const shown = entries.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  if (shown.length === 0)
    return answer(
      `The reading list of ${where} has ${plural(entries.length, "paper")}; page ${page} is past the end.`,
    );
  const savers = await services.store.savers.counts(shown.map((entry) => entry.paperId));
  const { byId } = services.catalog.current;
  const gone: string[] = [];
  const cards = shown.flatMap((entry, index) => {
    const reason = `${addedLine(entry)} · ${savedLine(savers[index] ?? 0)}`;
    const paper = byId.get(entry.paperId);
    if (paper) return [paperCard(paper, { reason })];
    gone.push(`${entry.paperId} (${addedLine(entry)}) is no longer in the corpus.`);
    return [];
  });
  const paging = pageOf(
    { page, limit: PER_PAGE },
    shown.length,
    entries.length,
    (to) => `/digest list page:${to}`,
    list.lastPage,
  );
  const goneNote = gone.length > 0 ? `\n${gone.join("\n")}` : "";
  return {
    text: `Reading list of ${where} ${paging.first}–${paging.last} of ${entries.length}, in the order added.${goneNote}`,
    cards,
    buttons: paging.buttons,
    ephemeral: true,
  };
}
