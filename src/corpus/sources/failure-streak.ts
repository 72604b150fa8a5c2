import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * A source's current run of failures, kept on disk beside its cache: without it a restart would
 * forget when the failures began (the 24-hour admin notice would count from zero again) and
 * whether the admins were already told (they would be told again). Removed when the source recovers.
 */
export interface FailureStreak {
  readonly url: string;
  readonly failingSince: Date;
  readonly consecutiveFailures: number;
  readonly lastError: string;
  readonly lastErrorAt: Date;
  /** When the admins were told about this run of failures; unset until then. */
  readonly announcedAt?: Date;
}

/** The saved streak, or undefined when there is none or it is unreadable (then the source starts clean). */
export async function readFailureStreak(file: string, url: string): Promise<FailureStreak | undefined> {
  try {
    const saved = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    const failingSince = dateOf(saved.failingSince);
    const lastErrorAt = dateOf(saved.lastErrorAt);
    const announcedAt = dateOf(saved.announcedAt);
    const failures = saved.consecutiveFailures;
    if (saved.url !== url || failingSince === undefined || lastErrorAt === undefined) return undefined;
    return {
      url,
      failingSince,
      consecutiveFailures:
        typeof failures === "number" && Number.isInteger(failures) && failures > 0 ? failures : 1,
      lastError: typeof saved.lastError === "string" ? saved.lastError : "unknown error",
      lastErrorAt,
      ...(announcedAt === undefined ? {} : { announcedAt }),
    };
  } catch {
    return undefined;
  }
}

export async function writeFailureStreak(file: string, streak: FailureStreak): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(streak, null, 2)}\n`);
  await rename(temporary, file);
}

export async function clearFailureStreak(file: string): Promise<void> {
  await rm(file, { force: true });
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}
