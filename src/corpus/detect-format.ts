/** Which reader a file needs, decided from its content: file names lie (a .txt full of JSON lines is JSONL). */
export type CorpusFormat = "text" | "json" | "jsonl" | "atom" | "rss";

// "[" opens a JSON array only when an element or the end of the line follows; "[Re] Attention…" is a title.
const JSON_ARRAY_START = /^\[\s*(?:[{["\]]|-?\d|true\b|false\b|null\b|$)/;

export function detectFormat(content: string): "text" | "json" | "jsonl" {
  const start = content.trimStart();
  if (start.startsWith("{")) return "jsonl";
  const firstLine = start.slice(0, start.search(/\r|\n|$/));
  if (JSON_ARRAY_START.test(firstLine)) return "json";
  return "text";
}

/**
 * The format from the start of a file, when the start decides it as detectFormat would decide it on the
 * whole file; undefined when it does not (blank so far, or the first line goes on past `start`).
 */
export function formatOfStart(start: string, isWholeFile: boolean): CorpusFormat | undefined {
  const trimmed = start.trimStart();
  if (trimmed === "") return undefined;
  if (isWholeFile || trimmed.startsWith("{")) return detectFormat(start);
  return /\r|\n/.test(trimmed) ? detectFormat(start) : undefined;
}

const BINARY_SNIFF_BYTES = 8 * 1024;

/**
 * Binary by the whole picture of the first 8 KB: images, archives, SQLite files and UTF-16 text are
 * full of NUL and other control bytes (random bytes are ~11 % controls, UTF-16 text ~50 % NUL). A text
 * file with a stray NUL on one line is text: that line is a bad record, skipped with its line number.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sample.length === 0) return false;
  let nul = 0;
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) nul++;
    // Tab, line feed, vertical tab, form feed, carriage return and escape occur in text files.
    else if (byte < 0x20 && (byte < 0x09 || byte > 0x0d) && byte !== 0x1b) controls++;
  }
  return nul / sample.length > 0.01 || (nul + controls) / sample.length > 0.05;
}

/** Mostly undecodable bytes (many U+FFFD after UTF-8 decoding) mean a file in another encoding or garbage. */
export function looksUndecodable(text: string): boolean {
  const sample = text.slice(0, BINARY_SNIFF_BYTES);
  if (sample.length === 0) return false;
  let replaced = 0;
  for (const char of sample) if (char === "\uFFFD") replaced++;
  return replaced / sample.length > 0.1;
}

/**
 * True when the content starts like XML (after a BOM or blank lines): an XML declaration, a comment,
 * a DOCTYPE or a feed's root element, or a first line that is one element tag and nothing else. A seed
 * title that opens with markup ("<i>Attention</i> is all you need") has words after it: text.
 */
export function looksLikeXml(content: string): boolean {
  const start = content.replace(/^\uFEFF/, "").trimStart();
  if (/^<(?:\?xml[\s?]|!--|!DOCTYPE\s|feed[\s>]|rss[\s>]|rdf:RDF[\s>])/.test(start)) return true;
  const firstLine = start.slice(0, start.search(/\r|\n|$/));
  return /^<[A-Za-z_][\w.:-]*(?:\s[^<>]*)?\/?>$/.test(firstLine.trimEnd());
}

/** True when the content starts like an HTML page (an error or login page, a saved web page). */
export function looksLikeHtml(content: string): boolean {
  return /^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(content.replace(/^\uFEFF/, ""));
}

/** The page's <title>, quoted and cut to one short line, for naming an HTML page in an error. */
export function pageTitle(content: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(content.slice(0, 64 * 1024))?.[1];
  const cleaned = (title ?? "").replace(/\s+/g, " ").trim().slice(0, 80);
  return cleaned === "" ? "no title" : `"${cleaned}"`;
}
