import { createHash } from "node:crypto";
import { type FileHandle, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Paper } from "../../core/paper.ts";
import { pauseBetweenSlices, SLICE_MS } from "../../runtime/steps.ts";
import type { Validators } from "./fetch-source.ts";
import type { SourceFormat } from "./read-source-body.ts";

/**
 * A source's last good state on disk, so a restart without network still has every paper it ever
 * brought: `<key>.jsonl` holds its papers in our own record format (the corpus file reader reads it
 * back), `<key>.json` the validators and hash of the last good body. Both are replaced atomically.
 */

export interface CachedMeta {
  readonly url: string;
  readonly validators: Validators;
  /** sha256 of the last good body: a server without validators that sends the same bytes is unchanged. */
  readonly bodyHash: string;
  /** The format of the last good body, for messages; the cached papers themselves are JSON Lines. */
  readonly format: SourceFormat;
  readonly fetchedAt: string;
}

export interface CachePaths {
  readonly meta: string;
  readonly papers: string;
  /** The current run of failures, while there is one (see failure-streak.ts). */
  readonly streak: string;
}

/** File names from the URL: readable enough to find by eye, hashed so any URL is a safe, unique name. */
export function cachePaths(cacheDir: string, url: string): CachePaths {
  const hash = createHash("sha256").update(url).digest("hex").slice(0, 16);
  const host = URL.canParse(url) ? new URL(url).hostname : "source";
  const base = path.join(cacheDir, `${host.replace(/[^\w.-]+/g, "-")}-${hash}`);
  return { meta: `${base}.json`, papers: `${base}.jsonl`, streak: `${base}.failing.json` };
}

export function hashBody(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

const FORMATS: readonly SourceFormat[] = ["json", "jsonl", "atom", "rss"];

/** The cached meta, or undefined when there is none or it is unreadable (then the source starts afresh). */
export async function readCachedMeta(paths: CachePaths, url: string): Promise<CachedMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(paths.meta, "utf8")) as Partial<CachedMeta>;
    if (meta.url !== url || typeof meta.bodyHash !== "string" || typeof meta.fetchedAt !== "string")
      return undefined;
    const format = FORMATS.includes(meta.format as SourceFormat) ? (meta.format as SourceFormat) : "json";
    return {
      url,
      validators: meta.validators ?? {},
      bodyHash: meta.bodyHash,
      format,
      fetchedAt: meta.fetchedAt,
    };
  } catch {
    return undefined;
  }
}

/**
 * Writes every paper and then the meta, on the main thread in slices. The source worker writes the
 * cache itself (write-merged-cache.ts); this is for when the file may no longer match the papers held.
 */
export async function writeCache(
  paths: CachePaths,
  meta: CachedMeta,
  papers: readonly Paper[],
): Promise<void> {
  await mkdir(path.dirname(paths.meta), { recursive: true });
  // Papers first: meta without its papers would make the next run send validators for papers it lacks.
  await replaceFile(paths.papers, (handle) => writeRecords(handle, papers));
  await writeCachedMeta(paths, meta);
}

/** The meta alone: a body that came back the same only brings new validators. */
export async function writeCachedMeta(paths: CachePaths, meta: CachedMeta): Promise<void> {
  await mkdir(path.dirname(paths.meta), { recursive: true });
  const content = `${JSON.stringify(meta, null, 2)}\n`;
  await replaceFile(paths.meta, (handle) => writeAll(handle, content));
}

/** Where a file is written before it is renamed over the old one. */
export function temporaryOf(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/**
 * Writes `file` through a temporary file renamed over it, so that a crash mid-write leaves the old file
 * whole: a reader sees the old content or the new, never part of it.
 */
export async function replaceFile(file: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  const temporary = temporaryOf(file);
  const handle = await open(temporary, "w");
  try {
    await write(handle);
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
}

/** Characters of JSON Lines handed to the file at a time. */
const WRITE_CHUNK_CHARS = 256 * 1024;

/**
 * The papers as JSON Lines (see recordLine), written a chunk at a time and turned into JSON in slices
 * of about SLICE_MS with pauses between: a source keeps every paper it ever brought (up to 250k), and
 * writeCache runs in the process that answers commands.
 */
export async function writeRecords(handle: FileHandle, papers: readonly Paper[]): Promise<void> {
  let chunk = "";
  let sliceEnd = performance.now() + SLICE_MS;
  for (const paper of papers) {
    chunk += recordLine(paper);
    if (chunk.length >= WRITE_CHUNK_CHARS) {
      await writeAll(handle, chunk);
      chunk = "";
      sliceEnd = performance.now() + SLICE_MS;
    } else if (performance.now() >= sliceEnd) {
      await pauseBetweenSlices();
      sliceEnd = performance.now() + SLICE_MS;
    }
  }
  if (chunk !== "") await writeAll(handle, chunk);
}

export async function writeAll(handle: FileHandle, content: string | Uint8Array): Promise<void> {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  // A write may take fewer bytes than it was given; the rest follows.
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, offset);
    offset += bytesWritten;
  }
}

/**
 * One line of the cache file. `id` comes first: the source worker reads old lines' ids from their
 * start without parsing them (write-merged-cache.ts).
 */
function recordLine(paper: Paper): string {
  return `${JSON.stringify(recordOf(paper))}\n`;
}

/** Our own record format: what read-own-record reads back into the same paper. */
export function recordOf(paper: Paper): Record<string, unknown> {
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    url: paper.url,
    pdfUrl: paper.pdfUrl,
    publishedAt: paper.publishedAt,
    updatedAt: paper.updatedAt,
    featuredAt: paper.featuredAt,
    upvotes: paper.upvotes,
    comments: paper.comments,
    categories: paper.categories,
    // Kept, not re-derived from the line: a paper carried over from an earlier fetch keeps the rank
    // that fetch gave it (merge-source-papers.ts), and a restart must read back the same.
    rank: paper.rank,
    // The extras at the record's top level, as read-own-record reads them; absent ones are left out.
    ...paper.extras,
  };
}
