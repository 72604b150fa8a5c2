import { plugins } from "@citation-js/core";
import "@citation-js/plugin-ris";
import { formatBibtex } from "./bibtex.ts";
import { citationKeys } from "./citation-keys.ts";
import type { CitationRecord } from "./citation-record.ts";
import { cslItem } from "./csl.ts";

export const EXPORT_FORMATS = ["bibtex", "ris", "csl-json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A file ready to hand to a person: what a platform attaches or prints. */
export interface ExportFile {
  readonly filename: string;
  readonly mimeType: string;
  readonly text: string;
}

const FILES: Readonly<Record<ExportFormat, { readonly extension: string; readonly mimeType: string }>> = {
  bibtex: { extension: "bib", mimeType: "application/x-bibtex" },
  ris: { extension: "ris", mimeType: "application/x-research-info-systems" },
  "csl-json": { extension: "json", mimeType: "application/vnd.citationstyles.csl+json" },
};

function cslItems(records: readonly CitationRecord[]) {
  const keys = citationKeys(records);
  return records.map((record, i) => cslItem(record, keys[i] ?? record.paperId));
}

/**
 * The records as one file of `format`, named `<name>.<ext>`. BibTeX is formatted here (see
 * docs/decisions/014-citation-export.md); RIS and CSL-JSON by citation-js from the CSL items, with
 * the same keys as the BibTeX so one paper is cited alike in every format.
 */
export function exportCitations(
  format: ExportFormat,
  records: readonly CitationRecord[],
  name: string,
): ExportFile {
  const { extension, mimeType } = FILES[format];
  const filename = `${name}.${extension}`;
  if (format === "bibtex") return { filename, mimeType, text: formatBibtex(records) };
  // The items are CSL-JSON already: citation-js's output plugins take them as they are, without its
  // input parsing, which cost as much again as the formatting (bench/citation-export.ts).
  const items = cslItems(records);
  if (format === "ris")
    return { filename, mimeType, text: risText(plugins.output.format("ris", items, { format: "object" })) };
  return { filename, mimeType, text: `${plugins.output.format("data", items, { format: "text" })}\n` };
}

/**
 * citation-js's RIS tags as lines, `TY` first and `ER` last, one line per value. Its own text
 * output wraps values every 70 characters, which its reader (and Zotero's) joins back with a
 * space inside a word, so each value stays on one line here.
 */
function risText(
  entries: readonly Readonly<Record<string, string | number | readonly (string | number)[]>>[],
): string {
  return entries
    .map((entry) => {
      const lines = [`TY  - ${entry.TY}`];
      for (const [tag, value] of Object.entries(entry)) {
        if (tag === "TY") continue;
        for (const one of [value].flat()) lines.push(`${tag}  - ${one}`);
      }
      lines.push("ER  - ");
      return `${lines.join("\r\n")}\r\n`;
    })
    .join("\r\n");
}
