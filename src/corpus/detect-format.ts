/** Which reader a file needs, decided from its content: file names lie (a .txt full of JSON lines is JSONL). */
export type CorpusFormat = "text" | "json" | "jsonl";

// "[" opens a JSON array only when an element or the end of the line follows; "[Re] Attention…" is a title.
const JSON_ARRAY_START = /^\[\s*(?:[{["\]]|-?\d|true\b|false\b|null\b|$)/;

export function detectFormat(content: string): CorpusFormat {
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

/** NUL bytes in the first 8 KB: images, archives, SQLite files, UTF-16 text. None of them is a corpus. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** Mostly undecodable bytes (many U+FFFD after UTF-8 decoding) mean a file in another encoding or garbage. */
export function looksUndecodable(text: string): boolean {
  const sample = text.slice(0, BINARY_SNIFF_BYTES);
  if (sample.length === 0) return false;
  let replaced = 0;
  for (const char of sample) if (char === "\uFFFD") replaced++;
  return replaced / sample.length > 0.1;
}
