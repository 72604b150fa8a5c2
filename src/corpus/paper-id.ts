import { createHash } from "node:crypto";
import { normaliseTitle } from "./clean-text.ts";

// New-style arXiv ids are YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015 on); the month check keeps
// arbitrary "1234.5678" ids of other sources from passing as arXiv ids.
const NEW_STYLE = /^(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})(?:v\d+)?$/;
// Old-style ids name the archive: hep-th/9901001, math.GT/0309136.
const OLD_STYLE = /^([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/;
// Pages whose path ends in an arXiv id: arXiv itself and Hugging Face paper pages (keyed by arXiv id).
const ARXIV_URL =
  /^https?:\/\/(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf|html)|huggingface\.co\/papers)\/([^?#]+?)(?:\.pdf)?\/?(?:[?#].*)?$/i;

/** The arXiv id in `value` ("2507.09082", "arXiv:2507.09082v2", "hep-th/9901001"), version suffix dropped. */
export function arxivIdOf(value: string): string | undefined {
  const bare = value.trim().replace(/^arxiv:\s*/i, "");
  return NEW_STYLE.exec(bare)?.[1] ?? OLD_STYLE.exec(bare)?.[1];
}

/** The arXiv id behind an arxiv.org (abs, pdf, html) or huggingface.co/papers link. */
export function arxivIdOfUrl(url: string): string | undefined {
  const path = ARXIV_URL.exec(url.trim())?.[1];
  return path === undefined ? undefined : arxivIdOf(safeDecode(path));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `t-` + 12 hex digits of the normalised title: the same paper keeps its id across case, accent and spacing edits. */
export function titleId(title: string): string {
  return `t-${createHash("sha256").update(normaliseTitle(title)).digest("hex").slice(0, 12)}`;
}

/** A source's own id made safe for buttons, keys and file names; undefined when nothing usable is left. */
export function sanitiseId(id: string): string | undefined {
  const safe = id
    .trim()
    .replace(/[^\w.-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 100);
  return safe === "" ? undefined : safe;
}

export interface IdSources {
  readonly id?: string | undefined;
  readonly url?: string | undefined;
  readonly pdfUrl?: string | undefined;
  readonly title: string;
}

/**
 * The stable id of a paper: its arXiv id when the record's id or links reveal it, else the record's
 * own id (sanitised), else a hash of the normalised title.
 */
export function stableId(sources: IdSources): string {
  const fromId = sources.id === undefined ? undefined : arxivIdOf(sources.id);
  const fromLinks = [sources.url, sources.pdfUrl]
    .map((link) => (link === undefined ? undefined : arxivIdOfUrl(link)))
    .find((id) => id !== undefined);
  const own = sources.id === undefined ? undefined : sanitiseId(sources.id);
  return fromId ?? fromLinks ?? own ?? titleId(sources.title);
}

export function isArxivId(id: string): boolean {
  return arxivIdOf(id) === id;
}
