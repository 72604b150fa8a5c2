import type { Message } from "../../src/core/message.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { plural } from "../../src/core/text.ts";
import type { Services } from "../../src/services.ts";
import { pageOf } from "./paging.ts";

/** Entries per page of a person's own list: one card each, the most embeds a Discord message holds. */
export const PER_PAGE = 10;

/** How a person's own list (saved papers, ratings) is worded. */
export interface PersonalList<T extends { readonly paperId: string }> {
  /** Newest first. */
  readonly entries: readonly T[];
  readonly page: number;
  readonly lastPage: number;
  /** "/papers saved": the command the paging buttons run. */
  readonly command: string;
  /** "saved paper": what one entry is called. */
  readonly noun: string;
  /** What the list says when it is empty, and how to start one. */
  readonly empty: string;
  /** "Your saved papers": the head of a page. */
  readonly title: string;
  /** Said after the page's range, e.g. how to delete the list. */
  readonly after?: string;
  /** The words on an entry's card ("saved 7 Dec", "👍 7 Dec"). */
  describe(entry: T): string;
}

/**
 * One page of a person's own list, privately: a card per entry whose paper is still in the
 * corpus (its `describe` as the card's reason), a line per entry whose paper has left it, and
 * paging buttons. Pages past the end and an empty list are said in words.
 */
export function personalListPage<T extends { readonly paperId: string }>(
  services: Services,
  list: PersonalList<T>,
): Message {
  const answer = (text: string): Message => ({ text, cards: [], buttons: [], ephemeral: true });
  const { entries, page } = list;
  if (entries.length === 0) return answer(list.empty);
  const shown = entries.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  if (shown.length === 0)
    return answer(`You have ${plural(entries.length, list.noun)}; page ${page} is past the end.`);
  const { byId } = services.catalog.current;
  const gone: string[] = [];
  const cards = shown.flatMap((entry) => {
    const paper = byId.get(entry.paperId);
    if (paper) return [paperCard(paper, { reason: list.describe(entry) })];
    gone.push(`${entry.paperId} (${list.describe(entry)}) is no longer in the corpus.`);
    return [];
  });
  const paging = pageOf(
    { page, limit: PER_PAGE },
    shown.length,
    entries.length,
    (to) => `${list.command} page:${to}`,
    list.lastPage,
  );
  const after = list.after ? ` ${list.after}` : "";
  const goneNote = gone.length > 0 ? `\n${gone.join("\n")}` : "";
  return {
    text: `${list.title} ${paging.first}–${paging.last} of ${entries.length}, newest first.${after}${goneNote}`,
    cards,
    buttons: paging.buttons,
    ephemeral: true,
  };
}
