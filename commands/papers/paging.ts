import { wholeNumber } from "../../src/command-kit/options.ts";
import type { MessageButton } from "../../src/core/message.ts";

/** Past this many pages people search again rather than page on; it also bounds the index's offset. */
export const MAX_PAGE = 100;

/** The `limit` and `page` options of a paged answer, to spread into a subcommand's options after its own. */
export const pagingOptions = {
  limit: wholeNumber({ description: "Results per page", min: 1, max: 10 }).default(5),
  page: wholeNumber({ description: "Which page of results", min: 1, max: MAX_PAGE }).default(1),
};

export interface Page {
  /** 1-based positions of the first and last result shown. */
  readonly first: number;
  readonly last: number;
  /** "◀ Prev" and "Next ▶" where there is a page that way; each reruns the command for that page. */
  readonly buttons: MessageButton[];
}

/**
 * Where a page of `shown` results sits among `total`, with buttons that rerun `commandFor(page)`.
 * `commandFor` must keep every other option of the command line the user ran.
 */
export function pageOf(
  paging: { readonly page: number; readonly limit: number },
  shown: number,
  total: number,
  commandFor: (page: number) => string,
  maxPage = MAX_PAGE,
): Page {
  const { page, limit } = paging;
  const first = (page - 1) * limit + 1;
  const last = first + shown - 1;
  const buttons: MessageButton[] = [];
  if (page > 1) buttons.push({ label: "◀ Prev", command: commandFor(page - 1) });
  if (last < total && page < maxPage) buttons.push({ label: "Next ▶", command: commandFor(page + 1) });
  return { first, last, buttons };
}

/** How many results to skip for a page. */
export function pageOffset(paging: { readonly page: number; readonly limit: number }): number {
  return (paging.page - 1) * paging.limit;
}
