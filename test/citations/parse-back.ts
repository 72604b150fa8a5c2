import { Cite } from "@citation-js/core";
import "@citation-js/plugin-ris";
import { parse } from "@retorquere/bibtex-parser";

/** A name as the readers give it back, in the shape of the bot's records. */
export interface ReadName {
  readonly family: string;
  readonly given: string;
  readonly suffix: string;
}

export interface ReadBibtexEntry {
  readonly type: string;
  readonly key: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly authors: readonly ReadName[];
}

/**
 * A .bib file as Better BibTeX's parser (@retorquere/bibtex-parser) reads it, LaTeX turned back to
 * Unicode, no sentence casing; throws on any error it reports.
 */
export function readBibtex(text: string): ReadBibtexEntry[] {
  const library = parse(text, { sentenceCase: false, english: false, caseProtection: false });
  if (library.errors.length > 0) throw new Error(`bibtex-parser: ${JSON.stringify(library.errors)}`);
  return library.entries.map((entry) => {
    const { author, ...rest } = entry.fields as Record<string, unknown>;
    const creators = (Array.isArray(author) ? author : []) as Record<string, string | undefined>[];
    return {
      type: entry.type,
      key: entry.key,
      fields: Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, String(value)])),
      authors: creators.map((creator) => ({
        family: [creator.prefix, creator.lastName ?? creator.name].filter(Boolean).join(" "),
        given: creator.firstName ?? "",
        suffix: creator.suffix ?? "",
      })),
    };
  });
}

export interface CslRead {
  readonly id: string;
  readonly type: string;
  readonly title?: string;
  readonly author?: readonly { family?: string; given?: string; suffix?: string; literal?: string }[];
  readonly issued?: { "date-parts"?: number[][] };
  readonly URL?: string;
  readonly number?: string;
  readonly "container-title"?: string;
  readonly DOI?: string;
}

/** A .ris file as citation-js's RIS reader turns it into CSL-JSON. */
export function readRis(text: string): CslRead[] {
  return JSON.parse(new Cite(text).format("data")) as CslRead[];
}
