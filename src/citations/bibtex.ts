import { citationKeys } from "./citation-keys.ts";
import type { CitationRecord } from "./citation-record.ts";
import { bibtexUrl, escapeLatex } from "./latex-escape.ts";
import type { PersonName } from "./person-name.ts";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * One name part as BibTeX reads it back: escaped, and braced whole when it holds what BibTeX would
 * otherwise split on (a comma, the word "and").
 */
function namePart(part: string): string {
  const escaped = escapeLatex(part);
  return /,|(^|\s)and(\s|$)/i.test(part) ? `{${escaped}}` : escaped;
}

/** "Family, Given", "Family, Jr., Given" or "Family" (a one-word name, braced so it is never split). */
function bibtexName(name: PersonName): string {
  const family = name.given === "" ? `{${escapeLatex(name.family)}}` : namePart(name.family);
  const parts = [
    family,
    ...(name.suffix ? [namePart(name.suffix)] : []),
    ...(name.given ? [namePart(name.given)] : []),
  ];
  return parts.join(", ");
}

function entry(record: CitationRecord, key: string): string {
  const fields: [string, string][] = [];
  const braced = (name: string, value: string) => fields.push([name, `{${value}}`]);
  if (record.title !== "") braced("title", escapeLatex(record.title));
  if (record.authors.length > 0) braced("author", record.authors.map(bibtexName).join(" and "));
  if (record.journal !== undefined) braced("journal", escapeLatex(record.journal));
  if (record.year !== undefined) braced("year", String(record.year));
  // The month macros (jan…dec) are what every BibTeX style turns into the month's name.
  if (record.month !== undefined) fields.push(["month", MONTHS[record.month - 1] ?? String(record.month)]);
  if (record.arxivId !== undefined) {
    braced("eprint", record.arxivId);
    braced("archivePrefix", "arXiv");
    if (record.primaryClass !== undefined) braced("primaryClass", escapeLatex(record.primaryClass));
  }
  // A DOI is printable ASCII (clean-extras.ts); like a URL it is a verbatim field, kept balanced.
  if (record.doi !== undefined) braced("doi", bibtexUrl(record.doi));
  if (record.url !== undefined) braced("url", bibtexUrl(record.url));
  const type = record.journal !== undefined ? "article" : "misc";
  const body = fields.map(([name, value]) => `  ${name} = ${value}`).join(",\n");
  return `@${type}{${key},\n${body}\n}\n`;
}

/** The records as one .bib file, in order: `@article` with a journal reference, else `@misc`. */
export function formatBibtex(records: readonly CitationRecord[]): string {
  const keys = citationKeys(records);
  return records.map((record, i) => entry(record, keys[i] ?? record.paperId)).join("\n");
}
