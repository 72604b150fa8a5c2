import type { PaperCard } from "./message.ts";
import type { Paper } from "./paper.ts";
import { truncateAtWord } from "./text.ts";

const SNIPPET_LENGTH = 240;

/** "A. Author, B. Author, C. Author et al.": enough to recognise a paper, short enough for a card. */
export function authorsLine(authors: readonly string[], shown = 3): string | undefined {
  if (authors.length === 0) return undefined;
  const head = authors.slice(0, shown).join(", ");
  return authors.length > shown ? `${head} et al.` : head;
}

export function paperCard(
  paper: Paper,
  details: { readonly snippet?: string; readonly reason?: string; readonly fullAbstract?: boolean } = {},
): PaperCard {
  const authors = authorsLine(paper.authors);
  const snippet = details.fullAbstract
    ? truncateAtWord(paper.abstract, 3000)
    : (details.snippet ?? truncateAtWord(paper.abstract, SNIPPET_LENGTH));
  return {
    paperId: paper.id,
    title: paper.title,
    snippet,
    ...(paper.url !== undefined && { url: paper.url }),
    ...(authors !== undefined && { authors }),
    ...(details.reason !== undefined && { reason: details.reason }),
  };
}
