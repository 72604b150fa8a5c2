import type { CardLink } from "./message.ts";
import type { Paper } from "./paper.ts";
import { truncateAtWord } from "./text.ts";

const stars = new Intl.NumberFormat("en-US");

/**
 * What the paper's sources add, as one line: the source's TL;DR labelled as the source's, the authors'
 * arXiv comment, the journal reference. Undefined when there is none; cut at a word past `max`.
 */
export function noteLine(paper: Paper, max?: number): string | undefined {
  const extras = paper.extras;
  if (extras === undefined) return undefined;
  const parts: string[] = [];
  if (extras.tldr !== undefined)
    parts.push(`TL;DR${extras.tldrBy === undefined ? "" : ` (${extras.tldrBy})`}: ${extras.tldr}`);
  if (extras.arxivComment !== undefined) parts.push(extras.arxivComment);
  if (extras.journalRef !== undefined) parts.push(`Published in ${extras.journalRef}`);
  if (parts.length === 0) return undefined;
  const line = parts.join(" · ");
  return max === undefined ? line : truncateAtWord(line, max);
}

/** The card's links: PDF, the code with its stars ("Code ⭐ 1,234"), the project page, the DOI. */
export function cardLinks(paper: Paper): CardLink[] {
  const links: CardLink[] = [];
  const extras = paper.extras;
  if (paper.pdfUrl !== undefined) links.push({ label: "PDF", url: paper.pdfUrl });
  if (extras?.codeUrl !== undefined)
    links.push({
      label: extras.codeStars === undefined ? "Code" : `Code ⭐ ${stars.format(extras.codeStars)}`,
      url: extras.codeUrl,
    });
  if (extras?.projectUrl !== undefined) links.push({ label: "Project", url: extras.projectUrl });
  if (extras?.doi !== undefined) links.push({ label: "DOI", url: doiUrl(extras.doi) });
  return links;
}

/**
 * The DOI's resolver link, each character a URL or a markdown link could misread percent-encoded (a
 * DOI is printable ASCII, see clean-extras.ts, so one byte each).
 */
export function doiUrl(doi: string): string {
  const path = doi.replace(
    /[^A-Za-z0-9\-._~/:;]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
  return `https://doi.org/${path}`;
}
