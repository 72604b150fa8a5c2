import { statSync } from "node:fs";
import path from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { isSourceUrl } from "./sources/source-url.ts";

/** Extensions that make a file in a CORPUS folder a corpus file (the content still decides the format). */
export const CORPUS_EXTENSIONS = ["txt", "json", "jsonl", "ndjson"] as const;
const FOLDER_PATTERN = `**/*.{${CORPUS_EXTENSIONS.join(",")}}`;
// Dot-directories (.git, .cache) are skipped by `dot: false`; node_modules is never a corpus either.
const IGNORED = ["**/node_modules/**"];

export type SpecEntryKind = "file" | "folder" | "glob" | "url";

export interface SpecEntry {
  /** The entry as written in CORPUS. */
  readonly raw: string;
  readonly kind: SpecEntryKind;
  /** Absolute path of the file or folder; for a glob, the folder before the first wildcard; a URL as written. */
  readonly base: string;
}

export interface ResolvedSpec {
  readonly entries: SpecEntry[];
  /** Absolute paths, in spec order (sorted within a folder or glob), each once. Named files are kept even when missing. */
  readonly files: string[];
  /** Live sources (http/https URLs), in spec order, each once. */
  readonly urls: string[];
  /** Files and URLs together in spec order: the order duplicates are settled in. */
  readonly inputs: CorpusInput[];
  /** Folders and globs that matched no file, each with a one-line message. */
  readonly unmatched: Array<{ readonly entry: string; readonly message: string }>;
}

export type CorpusInput =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "url"; readonly url: string };

/** The entries of a CORPUS value: comma-separated files, folders and globs. */
export function splitSpec(spec: string): string[] {
  return spec
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** What one CORPUS entry is. Synchronous: a handful of stats at start-up, and watchers start synchronously. */
export function describeEntry(raw: string, cwd: string): SpecEntry {
  // Before any path logic: "https://…?date=…" would otherwise pass for a glob.
  if (isSourceUrl(raw)) return { raw, kind: "url", base: raw };
  const absolute = path.resolve(cwd, raw);
  // An existing path wins over glob syntax: "papers (1).txt" is a file name, not an extglob.
  const info = statQuietly(absolute);
  if (info === undefined && isDynamicPattern(raw)) {
    return { raw, kind: "glob", base: path.resolve(cwd, staticPrefix(raw)) };
  }
  return { raw, kind: info?.isDirectory() === true ? "folder" : "file", base: absolute };
}

export async function resolveSpec(spec: string, cwd: string): Promise<ResolvedSpec> {
  const entries = splitSpec(spec).map((raw) => describeEntry(raw, cwd));
  const files = new Set<string>();
  const urls = new Set<string>();
  const inputs: CorpusInput[] = [];
  const unmatched: Array<{ entry: string; message: string }> = [];
  for (const entry of entries) {
    if (entry.kind === "url") {
      if (!urls.has(entry.base)) inputs.push({ kind: "url", url: entry.base });
      urls.add(entry.base);
      continue;
    }
    const matched = await filesOf(entry, cwd);
    if (matched.length === 0) {
      const extensions = CORPUS_EXTENSIONS.map((extension) => `.${extension}`).join(" ");
      const message =
        entry.kind === "folder"
          ? `folder ${entry.raw} has no corpus files (${extensions})`
          : `${entry.raw} matches no file`;
      unmatched.push({ entry: entry.raw, message });
    }
    for (const file of matched) {
      if (!files.has(file)) inputs.push({ kind: "file", path: file });
      files.add(file);
    }
  }
  return { entries, files: [...files], urls: [...urls], inputs, unmatched };
}

async function filesOf(entry: SpecEntry, cwd: string): Promise<string[]> {
  switch (entry.kind) {
    case "url":
      return [];
    case "file":
      return [entry.base];
    case "folder":
      return sorted(
        await glob(FOLDER_PATTERN, { cwd: entry.base, absolute: true, dot: false, ignore: IGNORED }),
      );
    case "glob":
      return sorted(
        await glob(entry.raw, { cwd, absolute: true, dot: false, onlyFiles: true, ignore: IGNORED }),
      );
  }
}

function sorted(files: string[]): string[] {
  return files.map((file) => path.normalize(file)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** "data/2025-*\/*.json" -> "data": the part of a glob that names a fixed folder, for watching. */
function staticPrefix(pattern: string): string {
  const segments = pattern.split("/");
  const fixed: string[] = [];
  for (const segment of segments) {
    if (isDynamicPattern(segment)) break;
    fixed.push(segment);
  }
  // "/abs/*.json" splits into ["", "abs", ...]: keep the leading slash.
  const joined = fixed.join("/");
  return joined === "" ? (pattern.startsWith("/") ? "/" : ".") : joined;
}

/** How the operator sees a path: relative to the working folder when inside it, else absolute. */
export function shownPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? absolute : relative;
}

function statQuietly(file: string): ReturnType<typeof statSync> {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR, EACCES: the read will report it, naming the file
  }
}
