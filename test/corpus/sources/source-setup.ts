import path from "node:path";
import { afterEach } from "vitest";
import { CorpusSources, type CorpusSourcesOptions } from "../../../src/corpus/sources/index.ts";
import { type FeedServer, startFeedServer } from "../../fakes/paper-feeds/feed-server.ts";
import { tempCorpus } from "../temp-corpus.ts";

const servers: FeedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A feed server on loopback, closed after the test. */
export async function feedServer(): Promise<FeedServer> {
  const server = await startFeedServer();
  servers.push(server);
  return server;
}

/** A temp working folder (removed after the test) and its source cache folder. */
export async function workDir(): Promise<{ cwd: string; cacheDir: string }> {
  const cwd = await tempCorpus();
  return { cwd, cacheDir: path.join(cwd, "data", "cache", "sources") };
}

/** Sources with quick timeouts and no waiting between retries, caching in `cacheDir`. */
export function testSources(cacheDir: string, fetch: CorpusSourcesOptions["fetch"] = {}): CorpusSources {
  return new CorpusSources({ cacheDir, fetch: { timeoutMs: 2_000, retries: 0, backoffMs: 5, ...fetch } });
}

export const ABSTRACT = "We propose a method. It beats every baseline we tried on three benchmarks.";
