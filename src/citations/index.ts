export { formatBibtex } from "./bibtex.ts";
export { citationKeys } from "./citation-keys.ts";
export { type CitationRecord, citationRecord } from "./citation-record.ts";
export { type CslItem, cslItem } from "./csl.ts";
export { EXPORT_FORMATS, type ExportFile, type ExportFormat, exportCitations } from "./export-format.ts";
export { type PersonName, splitName } from "./person-name.ts";
