import { cardLinks, noteLine } from "./card-extras.ts";
import type { PaperCard } from "./message.ts";
import type { Paper } from "./paper.ts";
import { truncateAtWord } from "./text.ts";

const SNIPPET_LENGTH = 240;
/** A card's note line in a list; a paper shown in full has it whole. */
const NOTE_LENGTH = 280;
/** A card names this many categories and counts the rest: the primary and a few cross-lists say enough. */
const CARD_CATEGORIES = 4;

/** "A. Author, B. Author, C. Author et al.": enough to recognise a paper, short enough for a card. */
export function authorsLine(authors: readonly string[], shown = 3): string | undefined {
  if (authors.length === 0) return undefined;
  const head = authors.slice(0, shown).join(", ");
  return authors.length > shown ? `${head} et al.` : head;
}

/**
 * "cs.CL · cs.LG · updated 2025-07-14": the paper's arXiv categories, and the day of its latest version
 * when that is later than the day it was published (a v1 has nothing to add).
 */
export function aboutLine(paper: Paper): string | undefined {
  const parts: string[] = [];
  const categories = paper.categories ?? [];
  if (categories.length > 0) {
    const shown = categories.slice(0, CARD_CATEGORIES).join(" · ");
    const more = categories.length - CARD_CATEGORIES;
    parts.push(more > 0 ? `${shown} +${more}` : shown);
  }
  const updated = paper.updatedAt?.slice(0, 10);
  const published = paper.publishedAt?.slice(0, 10);
  if (updated !== undefined && (published === undefined || updated > published))
    parts.push(`updated ${updated}`);
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

export function paperCard(
  paper: Paper,
  details: { readonly snippet?: string; readonly reason?: string; readonly fullAbstract?: boolean } = {},
): PaperCard {
  const authors = authorsLine(paper.authors);
  const about = aboutLine(paper);
  const note = noteLine(paper, details.fullAbstract ? undefined : NOTE_LENGTH);
  const links = cardLinks(paper);
  const snippet = details.fullAbstract
    ? truncateAtWord(paper.abstract, 3000)
    : (details.snippet ?? truncateAtWord(paper.abstract, SNIPPET_LENGTH));
  return {
    paperId: paper.id,
    title: paper.title,
    snippet,
    ...(paper.url !== undefined && { url: paper.url }),
    ...(authors !== undefined && { authors }),
    ...(about !== undefined && { about }),
    ...(details.reason !== undefined && { reason: details.reason }),
    ...(note !== undefined && { note }),
    ...(links.length > 0 && { links }),
  };
}
