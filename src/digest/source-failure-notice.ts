import { hostname } from "node:os";
import { textMessage } from "../core/message.ts";
import { plural } from "../core/text.ts";
import type { CorpusSources, SourceStatus } from "../corpus/sources/index.ts";
import { log } from "../log.ts";
import type { Store } from "../store/index.ts";
import type { Outbox } from "./outbox.ts";
import { userTarget } from "./targets.ts";

/** How long a source may fail before the admins hear of it: a few bad hours are the source's own business. */
export const SOURCE_FAILURE_NOTICE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface SourceFailureNoticeDeps {
  readonly sources: CorpusSources;
  readonly store: Store;
  readonly outbox: Pick<Outbox, "has" | "send">;
  readonly now: () => Date;
}

/**
 * Tells the admins (whoever set up a channel digest, each once, on platforms running here) about
 * every source failing for 24 hours or more whose current run of failures they have not heard of.
 * A source counts as announced once at least one admin got the message; with no admin reachable it
 * is tried again after the next refresh. Returns the URLs announced. Never throws: a notice that
 * cannot be sent is logged, and the refresh it follows is unaffected.
 */
export async function announceFailingSources(deps: SourceFailureNoticeDeps): Promise<string[]> {
  try {
    const now = deps.now();
    const due = deps.sources.status().filter((status) => isDue(status, now));
    if (due.length === 0) return [];
    const admins = await reachableAdmins(deps);
    if (admins.length === 0) {
      log.warn({ sources: due.map((status) => status.url) }, "sources failing for a day; no admin to tell");
      return [];
    }
    let told = 0;
    for (const admin of admins) {
      const news = await claimNotices(deps.store, admin, due);
      // Another process sharing the store told this admin already: as good as told here.
      if (news.length === 0) {
        told++;
        continue;
      }
      try {
        await deps.outbox.send(admin, textMessage(describeFailures(news), { ephemeral: false }));
        told++;
      } catch (error) {
        log.warn({ err: error, admin }, "could not tell an admin that a corpus source keeps failing");
        await releaseNotices(deps.store, admin, news);
      }
    }
    if (told === 0) return [];
    const urls = due.map((status) => status.url);
    for (const url of urls) await deps.sources.markFailureAnnounced(url, now);
    log.warn({ sources: urls, admins: told }, "admins told of corpus sources failing for a day");
    return urls;
  } catch (error) {
    log.error({ err: error }, "could not check for corpus sources failing for a day");
    return [];
  }
}

/**
 * Several processes on one store (Discord shards, replicas) each fetch the sources and see the
 * same streak; a claim per (admin, source) lets one of them tell the admin. Two notices about one
 * source can never rightly be less than a day apart (a new streak must itself last a day), so the
 * claim simply lasts a day.
 */
const NOTICE_CLAIM_MS = SOURCE_FAILURE_NOTICE_AFTER_MS;
const noticeHolder = `${hostname()}:${process.pid}`;
const noticeKey = (admin: string, url: string) => `source-failure-notice:${admin}:${url}`;

async function claimNotices(
  store: Store,
  admin: string,
  due: readonly SourceStatus[],
): Promise<SourceStatus[]> {
  const mine: SourceStatus[] = [];
  for (const status of due) {
    if (await store.claims.claim(noticeKey(admin, status.url), noticeHolder, NOTICE_CLAIM_MS))
      mine.push(status);
  }
  return mine;
}

/** The notice did not go out: let another process (or the next refresh) try. */
async function releaseNotices(store: Store, admin: string, notices: readonly SourceStatus[]): Promise<void> {
  for (const status of notices) {
    await store.claims.release(noticeKey(admin, status.url), noticeHolder).catch((error: unknown) => {
      log.warn({ err: error, admin, source: status.url }, "could not release a source-failure notice claim");
    });
  }
}

function isDue(status: SourceStatus, now: Date): boolean {
  return (
    status.failingSince !== undefined &&
    status.failureAnnouncedAt === undefined &&
    now.getTime() - status.failingSince.getTime() >= SOURCE_FAILURE_NOTICE_AFTER_MS
  );
}

/** The DM target of each admin who set up a channel digest, once each, on platforms running here. */
async function reachableAdmins(deps: SourceFailureNoticeDeps): Promise<string[]> {
  const admins = new Set<string>();
  for (const settings of await deps.store.channels.list()) {
    if (!deps.outbox.has(settings.platform)) continue;
    admins.add(userTarget({ platform: settings.platform, userId: settings.setupBy }));
  }
  return [...admins];
}

function describeFailures(failing: readonly SourceStatus[]): string {
  const lines = failing.map((status) => {
    const since = (status.failingSince ?? new Date(0)).toISOString().slice(0, 16).replace("T", " ");
    const papers = plural(status.papers, "paper");
    return `• ${status.url} has failed since ${since} UTC (${plural(status.consecutiveFailures, "try", "tries")} in a row); last error: ${status.lastError ?? "unknown"}. Its ${papers} ${status.papers === 1 ? "is" : "are"} kept and still searched and picked.`;
  });
  const intro =
    failing.length === 1
      ? "A paper source has been failing for a day or more:"
      : `${failing.length} paper sources have been failing for a day or more:`;
  return [
    intro,
    ...lines,
    "The bot keeps retrying on its schedule and will not mention this again until the source recovers and fails anew.",
  ].join("\n");
}
