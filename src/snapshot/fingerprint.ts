import { open, readFile, stat } from "node:fs/promises";
import { resolveSpec } from "../corpus/resolve-spec.ts";
import { cachePaths } from "../corpus/sources/source-cache.ts";
import { Crc32 } from "./crc32.ts";

/**
 * Bumped whenever what a snapshot holds or how it is laid out changes (the index, the paper table,
 * the tokenizer or stemmer, anything that makes a built index differ): a snapshot of another version
 * never loads.
 */
export const INDEX_FORMAT_VERSION = 2;

export interface FileFingerprint {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** CRC-32 of the content (see crc32.ts), beside size and mtime. */
  readonly crc32: string;
}

export interface SourceFingerprint {
  readonly url: string;
  /**
   * The cached body's hash (source-cache.ts's meta), or null when nothing is cached: what the
   * source's papers follow from. Not its fetch time, which a refresh that brought the same body
   * rewrites without changing a paper.
   */
  readonly body: string | null;
  /** The cached papers file's size (not its mtime, for the same reason), or null when there is none. */
  readonly papers: number | null;
}

/** What a load of CORPUS was made from: equal fingerprints, equal papers. */
export interface CorpusFingerprint {
  readonly version: number;
  readonly spec: string;
  readonly cwd: string;
  readonly files: readonly FileFingerprint[];
  readonly sources: readonly SourceFingerprint[];
}

export interface FingerprintOptions {
  readonly cwd: string;
  /** The sources' cache folder (CorpusSources.cacheDir). */
  readonly sourcesCacheDir: string;
  /** INDEX_FORMAT_VERSION unless a test says otherwise. */
  readonly version?: number;
}

/**
 * The fingerprint of CORPUS as it is on disk now, or undefined when the spec names something that is
 * not there (a missing file, a folder with no corpus file): a load then fails or warns, and only a real
 * load says how. Taken before the files are read, so a file changed while they are read makes the
 * fingerprint the older one: the snapshot written from that load then fails to match, never the
 * other way round.
 */
export async function fingerprintCorpus(
  spec: string,
  options: FingerprintOptions,
): Promise<CorpusFingerprint | undefined> {
  const quick = await quickFingerprint(spec, options);
  return quick === undefined ? undefined : withContent(quick);
}

/**
 * The fingerprint without the files' content hashes (their `crc32` is ""): stats and small reads only,
 * so that a snapshot whose files' sizes or mtimes differ is dismissed before any file is read whole.
 */
export async function quickFingerprint(
  spec: string,
  options: FingerprintOptions,
): Promise<CorpusFingerprint | undefined> {
  const resolved = await resolveSpec(spec, options.cwd);
  if (resolved.unmatched.length > 0) return undefined;
  const files: FileFingerprint[] = [];
  for (const file of resolved.files) {
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) return undefined;
    files.push({ path: file, size: info.size, mtimeMs: info.mtimeMs, crc32: "" });
  }
  return {
    version: options.version ?? INDEX_FORMAT_VERSION,
    spec,
    cwd: options.cwd,
    files,
    sources: await fingerprintSources(resolved.urls, options.sourcesCacheDir),
  };
}

/** The quick fingerprint with each file's content hash. */
export async function withContent(quick: CorpusFingerprint): Promise<CorpusFingerprint> {
  const files: FileFingerprint[] = [];
  for (const file of quick.files) files.push({ ...file, crc32: await hashFile(file.path) });
  return { ...quick, files };
}

/** Whether two fingerprints are equal but for their files' content hashes. */
export function sameButContent(a: CorpusFingerprint, b: CorpusFingerprint): boolean {
  const strip = (fingerprint: CorpusFingerprint) => ({
    ...fingerprint,
    files: fingerprint.files?.map?.((file) => ({ ...file, crc32: "" })),
  });
  return sameFingerprint(strip(a), strip(b));
}

/** Each source's cache identity, in spec order. */
export async function fingerprintSources(
  urls: readonly string[],
  cacheDir: string,
): Promise<SourceFingerprint[]> {
  return Promise.all(
    urls.map(async (url) => {
      const paths = cachePaths(cacheDir, url);
      const body = await readFile(paths.meta, "utf8").then(
        (text) => {
          const meta = JSON.parse(text) as { bodyHash?: unknown };
          return String(meta.bodyHash);
        },
        () => null,
      );
      const papers = await stat(paths.papers).then(
        (info) => info.size,
        () => null,
      );
      return { url, body, papers };
    }),
  );
}

export function sameFingerprint(a: CorpusFingerprint, b: CorpusFingerprint): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The file's CRC-32, read through one reused buffer (a stream's fresh chunk per megabyte made work for the collector). */
async function hashFile(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(4 << 20);
    const hash = new Crc32();
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
      if (bytesRead === 0) return hash.digest();
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}
