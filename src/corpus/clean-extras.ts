import type { PaperExtras } from "../core/paper.ts";
import { capLength, cleanLine, hasWordCharacter } from "./clean-text.ts";

/** A reader's extras before cleaning: whatever the source sent, typed or not. */
export type RawExtras = { readonly [K in keyof PaperExtras]?: unknown };

/** The longest each text may be: a TL;DR is a sentence or two, a comment or a journal reference a line. */
export const EXTRA_TEXT_MAX_CHARS = {
  tldr: 600,
  tldrBy: 60,
  arxivComment: 500,
  journalRef: 300,
} as const;
/** Real DOIs are well under this; Crossref has none near it. */
export const DOI_MAX_CHARS = 200;
/** Links become buttons and markdown links; a longer one is not a repository or a project page. */
export const EXTRA_URL_MAX_CHARS = 2000;

// Printable ASCII only, so a link needs no escaping to be a markdown or mrkdwn link target and can hold
// no space, quote or angle bracket that could end one early.
const PLAIN_WEB_URL = /^https?:\/\/[\x21-\x7E]+$/;
// "10." + a registrant code + "/" + a suffix of printable ASCII; a doi.org link or "doi:" prefix is dropped.
const DOI = /^10\.\d{4,9}\/[\x21-\x7E]+$/;
const DOI_PREFIX = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i;

/**
 * The extras a paper keeps: each text one clean line within its cap, each link http(s), the stars a
 * whole number from 0 (with a code link only), the DOI shaped like one, a summary's author with a
 * summary only. Anything else is dropped, not the paper. Undefined when nothing is left, so a paper
 * without extras carries no object for them.
 */
export function cleanExtras(raw: RawExtras | undefined): PaperExtras | undefined {
  if (raw === undefined) return undefined;
  const tldr = text(raw.tldr, EXTRA_TEXT_MAX_CHARS.tldr);
  const codeUrl = webLink(raw.codeUrl);
  const extras: { -readonly [K in keyof PaperExtras]: PaperExtras[K] } = {};
  if (tldr !== undefined) {
    extras.tldr = tldr;
    const by = text(raw.tldrBy, EXTRA_TEXT_MAX_CHARS.tldrBy);
    if (by !== undefined) extras.tldrBy = by;
  }
  if (codeUrl !== undefined) {
    extras.codeUrl = codeUrl;
    const stars = raw.codeStars;
    if (typeof stars === "number" && Number.isSafeInteger(stars) && stars >= 0) extras.codeStars = stars;
  }
  const projectUrl = webLink(raw.projectUrl);
  if (projectUrl !== undefined) extras.projectUrl = projectUrl;
  const comment = text(raw.arxivComment, EXTRA_TEXT_MAX_CHARS.arxivComment);
  if (comment !== undefined) extras.arxivComment = comment;
  const journalRef = text(raw.journalRef, EXTRA_TEXT_MAX_CHARS.journalRef);
  if (journalRef !== undefined) extras.journalRef = journalRef;
  const doi = doiOf(raw.doi);
  if (doi !== undefined) extras.doi = doi;
  return Object.keys(extras).length > 0 ? extras : undefined;
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== "string") return undefined;
  // Cleaning only shortens text, so a runaway field is cut well past its cap before the regex work.
  const line = cleanLine(value.slice(0, max * 5));
  return hasWordCharacter(line) ? capLength(line, max) : undefined;
}

/** An http(s) link as given, or undefined for anything else (javascript:, relative, spaces, too long). */
export function webLink(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const url = value.trim();
  if (url.length > EXTRA_URL_MAX_CHARS || !PLAIN_WEB_URL.test(url) || !URL.canParse(url)) return undefined;
  return url;
}

function doiOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const doi = cleanLine(value.slice(0, DOI_MAX_CHARS * 2)).replace(DOI_PREFIX, "");
  return doi.length <= DOI_MAX_CHARS && DOI.test(doi) ? doi : undefined;
}
