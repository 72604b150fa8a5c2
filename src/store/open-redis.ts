import KeyvRedis from "@keyv/redis";
import type { Keyv } from "keyv";
import { type ClaimsRedisClient, redisClaims } from "./claims-redis.ts";
import { describeError, StoreOpenError } from "./errors.ts";
import { type LedgerRedisClient, redisLedger } from "./ledger-redis.ts";
import type { OpenedKeyvs } from "./open-sqlite.ts";
import { recordKeyv } from "./record-keyv.ts";
import { withTimeout } from "./timeout.ts";

export interface ServerOptions {
  /** Upper bound for opening; a server that does not answer becomes an error. */
  readonly timeoutMs: number;
  /** Put before every namespace and claim key, so several bots (or test runs) can share one server. */
  readonly keyPrefix: string;
}

/**
 * One Keyv per namespace over ONE Redis connection: each namespace needs its own @keyv/redis
 * adapter (Keyv writes its namespace onto the adapter, and the iterator reads it from there), but
 * they can share the client. Keys are `<prefix><namespace>::<key>` (the adapter's own prefixing;
 * keyv's is switched off, as @keyv/redis's createKeyv does). Listing is the adapter's SCAN
 * iterator, which may return a key twice; the collection drops repeats. Claims are keys
 * hashes `<prefix>claims::<key>` (claims-redis.ts), the ledger one hash per target (ledger-redis.ts), both through the
 * same client.
 *
 * With no server, node-redis keeps reconnecting and every command waits (FACTS.md), so opening
 * PINGs within `timeoutMs` and otherwise destroys the client and fails with one line.
 */
export async function openRedisKeyvs<const Namespace extends string>(
  url: string,
  namespaces: readonly Namespace[],
  options: ServerOptions,
  storeUrl: string,
): Promise<OpenedKeyvs<Namespace>> {
  const adapterOptions = { throwOnErrors: true, throwOnConnectError: true };
  const first = new KeyvRedis(url, adapterOptions);
  // Without a listener an adapter's "error" event would be thrown; failures reach callers as rejections.
  first.on("error", () => undefined);
  const close = async () => {
    await first.disconnect(true).catch(() => undefined);
  };
  try {
    const client = await withTimeout(first.getClient(), options.timeoutMs, "connecting");
    await withTimeout(client.ping(), options.timeoutMs, "connecting");
  } catch (error) {
    await close();
    throw new StoreOpenError(
      `STORE_URL "${storeUrl}": cannot reach the Redis server: ${describeError(error)}`,
    );
  }
  const client = first.client;
  const keyvs = {} as Record<Namespace, Keyv<unknown>>;
  for (const namespace of namespaces) {
    const adapter = namespace === namespaces[0] ? first : new KeyvRedis(client, adapterOptions);
    adapter.on("error", () => undefined);
    keyvs[namespace] = recordKeyv(adapter, `${options.keyPrefix}${namespace}`, { useKeyPrefix: false });
  }

  const claims = redisClaims(client as unknown as ClaimsRedisClient, options.keyPrefix);
  const ledger = redisLedger(client as unknown as LedgerRedisClient, options.keyPrefix);
  return { keyvs, claims, ledger, close };
}
