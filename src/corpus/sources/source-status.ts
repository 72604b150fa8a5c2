import { plural } from "../../core/text.ts";
/** What /digest status and the logs show about one live source. The current failure streak is also kept on disk. */
export interface SourceStatus {
  readonly url: string;
  /** Papers the source contributes now (all it has brought, cached ones included). */
  readonly papers: number;
  readonly lastAttemptAt?: Date;
  readonly lastSuccessAt?: Date;
  readonly lastErrorAt?: Date;
  /** One line: "HTTP 503 Service Unavailable", "is not valid XML (…)", "timed out after 15000 ms". */
  readonly lastError?: string;
  /** Failed refreshes since the last success; 0 when the last refresh worked. */
  readonly consecutiveFailures: number;
  /** When the current run of failures began: the 24-hour admin notice counts from here. */
  readonly failingSince?: Date;
  /** When the admins were told about the current run of failures; cleared by a success. */
  readonly failureAnnouncedAt?: Date;
  /** Every failure since start-up. */
  readonly totalFailures: number;
}

/** One line per source for chat: "✓ https://… — 120 papers, updated 14:00 UTC" or the failure. */
export function describeSourceStatus(status: SourceStatus): string {
  const papers = plural(status.papers, "paper");
  const success =
    status.lastSuccessAt === undefined
      ? "never fetched"
      : `last success ${status.lastSuccessAt.toISOString()}`;
  if (status.consecutiveFailures === 0) return `✓ ${status.url}: ${papers}, ${success}`;
  const failures = `${plural(status.consecutiveFailures, "failure")} in a row`;
  return `✗ ${status.url}: ${papers} (kept), ${success}; ${failures}, last error: ${status.lastError ?? "unknown"}`;
}
