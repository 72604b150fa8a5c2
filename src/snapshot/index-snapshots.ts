import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Catalog } from "../catalog/index.ts";
import type { CorpusLoadResult } from "../corpus/index.ts";
import { log } from "../log.ts";
import { runSteps, runStepsInSlices } from "../runtime/steps.ts";
import {
  type CorpusFingerprint,
  type FingerprintOptions,
  fingerprintSources,
  quickFingerprint,
  sameButContent,
  sameFingerprint,
  withContent,
} from "./fingerprint.ts";
import { SnapshotError } from "./sections.ts";
import { decodeSnapshot, encodeSnapshotSteps, type Restored, type SnapshotMeta } from "./snapshot-codec.ts";
import {
  type FileSeal,
  readSnapshotFile,
  replaceFileAtomically,
  writeSnapshotFile,
} from "./snapshot-file.ts";

/** The files of a snapshot folder: the index and papers, and beside them what they were made from. */
export const SNAPSHOT_FILE = "index.bin";
export const FINGERPRINT_FILE = "fingerprint.json";

/** What fingerprint.json holds: the corpus the snapshot was made of, and the seal of index.bin. */
interface FingerprintFile {
  readonly corpus: CorpusFingerprint;
  readonly snapshot: FileSeal;
}

export interface IndexSnapshotsOptions extends FingerprintOptions {
  /** The snapshot folder; default data/cache/index under `cwd`. */
  readonly dir?: string;
  /** How long after a catalog is offered its snapshot is written (ms); the bot answers first. */
  readonly delayMs?: number;
  /** Catalogs with fewer papers are not written (default {@link MIN_SNAPSHOT_PAPERS}). */
  readonly minPapers?: number;
  /** Where its lines go; default the app's log. */
  readonly log?: SnapshotLog;
}

/** The part of a pino logger the snapshots use. */
export interface SnapshotLog {
  warn(data: object, message?: string): void;
  info(data: object, message?: string): void;
  debug(data: object, message?: string): void;
}

/**
 * Below this many papers building the index takes about as long as reading a snapshot would (the
 * 196-paper seed builds in ~0.1 s), so none is written: a small corpus leaves nothing on disk.
 */
export const MIN_SNAPSHOT_PAPERS = 10_000;

export interface StartingPoint {
  /** The corpus and catalog read back from a matching snapshot; undefined: load and build them. */
  readonly restored: Restored | undefined;
  /** The corpus as on disk before anything was read (undefined when the spec names something missing). */
  readonly fingerprint: CorpusFingerprint | undefined;
}

/**
 * The search index and paper table on disk, so that a start-up with the corpus unchanged reads them
 * back instead of loading the corpus and building the index. What is guaranteed:
 * - a snapshot loads only when its fingerprint (every corpus file's size, mtime and CRC-32, every
 *   source cache's identity, the format version) equals the corpus's now, and its file's size and
 *   CRC-32 equal the ones the fingerprint file names;
 * - anything else (stale, missing, cut short, corrupted, unreadable) logs one warning, removes the
 *   pair, and {@link start} says to build; it never throws;
 * - writes go through a temporary file that is flushed and renamed, index first and fingerprint
 *   last, so a kill at any point leaves the old pair, or a pair that fails its seal, never one that
 *   loads wrong;
 * - a folder that cannot be written warns once; the bot runs on without snapshots.
 */
export class IndexSnapshots {
  readonly #dir: string;
  readonly #options: FingerprintOptions;
  readonly #delayMs: number;
  readonly #minPapers: number;
  readonly #log: SnapshotLog;
  /** The corpus load the catalog is of, with its fingerprint: what a snapshot of the catalog is of. */
  #tracked: { corpus: CorpusLoadResult; fingerprint: CorpusFingerprint } | undefined;
  #due: { catalog: Catalog; corpus: CorpusLoadResult; fingerprint: CorpusFingerprint } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #warnedWrite = false;
  #closed = false;

  constructor(options: IndexSnapshotsOptions) {
    this.#dir = options.dir ?? path.join(options.cwd, "data", "cache", "index");
    this.#options = options;
    this.#delayMs = options.delayMs ?? 1000;
    this.#minPapers = options.minPapers ?? MIN_SNAPSHOT_PAPERS;
    this.#log = options.log ?? log.child({ module: "snapshot" });
  }

  get dir(): string {
    return this.#dir;
  }

  /**
   * The corpus's fingerprint now, to take before loading it; undefined when it names something
   * missing. Never throws. The files' content hashes are left to the write (see #complete), so a
   * start-up or reload that builds reads no file more than the load itself does.
   */
  fingerprint(spec: string): Promise<CorpusFingerprint | undefined> {
    return quickFingerprint(spec, this.#options).catch(() => undefined);
  }

  /**
   * `fingerprint` with its files' content hashes, when the files' sizes and mtimes are still the ones
   * it was taken with (a write changes the mtime): undefined when a file changed since, since the
   * snapshot would then not be of what is on disk. A rewrite to the same size within one mtime tick
   * goes unseen, which takes a file system with coarse timestamps.
   */
  async #complete(fingerprint: CorpusFingerprint): Promise<CorpusFingerprint | undefined> {
    if (fingerprint.files.every((file) => file.crc32 !== "")) return fingerprint;
    const unchanged = async () => {
      const now = await quickFingerprint(fingerprint.spec, {
        ...this.#options,
        version: fingerprint.version,
      });
      return now !== undefined && JSON.stringify(now.files) === JSON.stringify(fingerprint.files);
    };
    // Hashed between two looks at sizes and mtimes: a file written meanwhile spoils the snapshot.
    if (!(await unchanged())) return undefined;
    const complete = await withContent(fingerprint);
    return (await unchanged()) ? complete : undefined;
  }

  /** `fingerprint` with its sources' cache identities as they are now (after a refresh wrote them). */
  async withSourcesNow(fingerprint: CorpusFingerprint | undefined): Promise<CorpusFingerprint | undefined> {
    if (fingerprint === undefined) return undefined;
    const urls = fingerprint.sources.map((source) => source.url);
    const sources = await fingerprintSources(urls, this.#options.sourcesCacheDir).catch(() => undefined);
    return sources === undefined ? undefined : { ...fingerprint, sources };
  }

  /** The snapshot of CORPUS as it is now, when there is a good one; otherwise one warning and none. */
  async start(spec: string): Promise<StartingPoint> {
    const quick = await quickFingerprint(spec, this.#options).catch(() => undefined);
    if (quick === undefined) return { restored: undefined, fingerprint: undefined };
    let fingerprint: CorpusFingerprint | undefined;
    let restored: Restored | undefined;
    try {
      const saved = await this.#savedFingerprint();
      if (saved !== undefined) {
        if (!sameButContent(saved.corpus, quick)) throw new SnapshotError(staleReason(saved.corpus, quick));
        // The files' sizes and mtimes match: their content is hashed while the snapshot is read.
        const reading = this.#read(saved.snapshot);
        reading.catch(() => undefined);
        fingerprint = await withContent(quick);
        if (!sameFingerprint(saved.corpus, fingerprint))
          throw new SnapshotError(staleReason(saved.corpus, fingerprint));
        restored = await reading;
      }
    } catch (error) {
      restored = undefined;
      const reason =
        error instanceof SnapshotError ? error.message : String((error as Error)?.message ?? error);
      this.#log.warn({ dir: this.#dir, reason }, `index snapshot not used (${reason}); rebuilding`);
      // It can never load as it is: gone, the next start says nothing of it, even when this corpus
      // is too small to be written anew.
      await removeSnapshot(this.#dir);
    }
    fingerprint ??= quick;
    if (restored !== undefined) {
      for (const warning of restored.corpus.warnings) this.#log.warn({}, warning);
      this.#log.info({ papers: restored.catalog.papers.length }, "index snapshot loaded");
      this.track(restored.corpus, fingerprint);
    }
    return { restored, fingerprint };
  }

  /** The fingerprint file; undefined when there is no snapshot at all (the usual first start). */
  async #savedFingerprint(): Promise<FingerprintFile | undefined> {
    let text: string;
    try {
      text = await readFile(path.join(this.#dir, FINGERPRINT_FILE), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      // A lone index file is a problem (a write cut short, a file removed by hand); no file at all is not.
      const files: string[] = await readdir(this.#dir).catch(() => []);
      if (files.includes(SNAPSHOT_FILE)) throw new SnapshotError(`${FINGERPRINT_FILE} is missing`);
      this.#log.info({ dir: this.#dir }, "no index snapshot yet; building the index");
      return undefined;
    }
    let saved: FingerprintFile;
    try {
      saved = JSON.parse(text) as FingerprintFile;
    } catch {
      throw new SnapshotError(`${FINGERPRINT_FILE} is not JSON`);
    }
    if (saved === null || typeof saved !== "object" || saved.corpus == null || saved.snapshot == null)
      throw new SnapshotError(`${FINGERPRINT_FILE} is malformed`);
    return saved;
  }

  async #read(seal: FileSeal): Promise<Restored> {
    let read: Awaited<ReturnType<typeof readSnapshotFile<SnapshotMeta>>>;
    try {
      read = await readSnapshotFile<SnapshotMeta>(path.join(this.#dir, SNAPSHOT_FILE), seal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        throw new SnapshotError(`${SNAPSHOT_FILE} is missing`);
      throw error instanceof SnapshotError ? new SnapshotError(`${SNAPSHOT_FILE} ${error.message}`) : error;
    }
    return decodeSnapshot(read.meta, read.sections);
  }

  /** The fingerprint of the tracked corpus (see {@link track}). */
  get tracked(): CorpusFingerprint | undefined {
    return this.#tracked?.fingerprint;
  }

  /** From now on, catalogs of `corpus`'s papers are snapshots of it (made from `fingerprint`). */
  track(corpus: CorpusLoadResult, fingerprint: CorpusFingerprint | undefined): void {
    this.#tracked = fingerprint === undefined ? undefined : { corpus, fingerprint };
  }

  /**
   * Writes `catalog` a little later, in the background, when it is of the tracked corpus and its index
   * is one segment (after a build, a reload or a fold); a later offer replaces one not yet written.
   */
  offer(catalog: Catalog): void {
    const tracked = this.#tracked;
    if (this.#closed || tracked === undefined || catalog.papers !== tracked.corpus.papers) return;
    if (catalog.papers.length < this.#minPapers) return;
    if (catalog.index.image() === undefined) return;
    this.#due = { catalog, ...tracked };
    if (this.#timer === undefined && this.#writing === undefined) {
      this.#timer = setTimeout(() => this.#drain(), this.#delayMs);
      this.#timer.unref();
    }
  }

  /** Writes what is due now, and resolves once no write is under way; later offers are ignored. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.settled();
  }

  /** Resolves once the snapshots offered so far are written (or failed). */
  async settled(): Promise<void> {
    while (this.#timer !== undefined || this.#writing !== undefined) {
      if (this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#drain();
      }
      await this.#writing;
    }
  }

  #drain(): void {
    this.#timer = undefined;
    const due = this.#due;
    if (due === undefined) return;
    this.#due = undefined;
    this.#writing = this.#write(due.catalog, due.corpus, due.fingerprint).finally(() => {
      this.#writing = undefined;
      if (this.#due !== undefined) this.#drain();
    });
  }

  async #write(catalog: Catalog, corpus: CorpusLoadResult, fingerprint: CorpusFingerprint): Promise<void> {
    const started = performance.now();
    try {
      const encoded = this.#closed
        ? runSteps(encodeSnapshotSteps(catalog, corpus))
        : await runStepsInSlices(encodeSnapshotSteps(catalog, corpus), 5);
      if (encoded === undefined) return;
      const complete = await this.#complete(fingerprint);
      if (complete === undefined) return;
      await mkdir(this.#dir, { recursive: true });
      await removeLeftovers(this.#dir);
      const seal = await writeSnapshotFile(
        path.join(this.#dir, SNAPSHOT_FILE),
        encoded.meta,
        encoded.sections,
      );
      const content: FingerprintFile = { corpus: complete, snapshot: seal };
      await replaceFileAtomically(path.join(this.#dir, FINGERPRINT_FILE), async (handle) => {
        await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
      });
      this.#log.info(
        { papers: catalog.papers.length, bytes: seal.bytes, ms: Math.round(performance.now() - started) },
        "index snapshot written",
      );
    } catch (error) {
      // The bot runs on without a snapshot; the next start builds the index as it would without one.
      if (this.#warnedWrite) this.#log.debug({ err: error }, "index snapshot not written");
      else
        this.#log.warn(
          { err: error, dir: this.#dir },
          "cannot write the index snapshot; starting without one next time",
        );
      this.#warnedWrite = true;
    }
  }
}

async function removeSnapshot(dir: string): Promise<void> {
  await rm(path.join(dir, FINGERPRINT_FILE), { force: true }).catch(() => undefined);
  await rm(path.join(dir, SNAPSHOT_FILE), { force: true }).catch(() => undefined);
}

/** Temporary files a killed writer left behind (a live writer's own is its pid's, and is replaced). */
async function removeLeftovers(dir: string): Promise<void> {
  const own = `.${process.pid}.tmp`;
  for (const name of await readdir(dir).catch(() => [])) {
    if (!name.endsWith(".tmp") || name.endsWith(own)) continue;
    const pid = Number(name.split(".").at(-2));
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    await rm(path.join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** What differs, for the warning: the first file or source, or the version. */
function staleReason(saved: CorpusFingerprint, now: CorpusFingerprint): string {
  if (saved.version !== now.version) return `format version ${saved.version}, now ${now.version}`;
  if (saved.spec !== now.spec || saved.cwd !== now.cwd) return "CORPUS changed";
  for (const file of now.files) {
    const old = saved.files?.find?.((entry) => entry.path === file.path);
    if (old === undefined) return `${file.path} is new`;
    // A quick fingerprint has no content hash yet ("").
    const seen = file.crc32 === "" ? { ...old, crc32: "" } : old;
    if (JSON.stringify(seen) !== JSON.stringify(file)) return `${file.path} changed`;
  }
  for (const source of now.sources) {
    const old = saved.sources?.find?.((entry) => entry.url === source.url);
    if (JSON.stringify(old) !== JSON.stringify(source)) return `the cache of ${source.url} changed`;
  }
  return "the corpus changed";
}
