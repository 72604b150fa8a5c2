import { Keyv, type KeyvStoreAdapter } from "keyv";
import { deserializeJson, serializeJson } from "./json-codec.ts";

/**
 * The one way every backend wraps its adapter for a record namespace, so SQLite, Redis and
 * PostgreSQL behave alike: our JSON codec (see json-codec.ts), and failures as errors, because
 * without `throwOnErrors` keyv answers a failed read with `undefined`, indistinguishable from
 * "not there".
 */
export function recordKeyv(
  adapter: KeyvStoreAdapter,
  namespace: string,
  extra: { readonly useKeyPrefix?: boolean } = {},
): Keyv<unknown> {
  return new Keyv<unknown>({
    store: adapter,
    namespace,
    throwOnErrors: true,
    serialize: serializeJson,
    deserialize: deserializeJson,
    ...extra,
  });
}
