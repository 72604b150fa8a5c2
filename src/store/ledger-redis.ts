import type { LedgerBackend } from "./ledger.ts";

/** The Redis commands the ledger uses, as node-redis 5 types them (its client type is a union too wide to name). */
export interface LedgerRedisClient {
  hSetNX(key: string, field: string, value: string): Promise<number>;
  get(key: string): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

// Both layouts in one atomic step, so a move by another process is seen entirely or not at all.
const readScript = `return {redis.call('HGETALL', KEYS[1]), redis.call('GET', KEYS[2])}`;
// One day and whether the old layout's record exists, in one atomic step (a missing day reads as nil).
const findDayScript = `return {redis.call('HGET', KEYS[1], ARGV[1]), redis.call('EXISTS', KEYS[2])}`;
// Each day unless already there, then the old record, if it is still what was read. Atomic.
const migrateScript = `for i = 2, #ARGV, 2 do
  redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
end
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
return 1`;

/**
 * The ledger's day records in Redis: one hash per target, one field per local date. HSETNX sets a
 * field only if it is absent, atomically, so recording a day never reads or rewrites the others,
 * and HGETALL reads a target's history in one round trip however many targets the server holds
 * (a SCAN for `<target>@*` keys would walk the whole keyspace on every read).
 */
export function redisLedger(client: LedgerRedisClient, keyPrefix: string): LedgerBackend {
  const daysKey = (target: string) => `${keyPrefix}deliveries::${target}`;
  // Where @keyv/redis put the old layout's record: `<namespace>::<key>`, namespace `<prefix>ledger`.
  const legacyKey = (target: string) => `${keyPrefix}ledger::${target}`;
  return {
    async read(target) {
      const reply = await client.eval(readScript, {
        keys: [daysKey(target), legacyKey(target)],
        arguments: [],
      });
      const [fields, legacy] = Array.isArray(reply) ? reply : [];
      // Reading an odd reply as "no days" would repeat papers: fail instead.
      if (!Array.isArray(fields)) throw new Error("Redis answered the ledger read with an unexpected reply");
      const flat = fields.map(String);
      const days: { localDate: string; json: string }[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2)
        days.push({ localDate: flat[i] as string, json: flat[i + 1] as string });
      return { days, legacy: typeof legacy === "string" ? legacy : undefined };
    },
    async findDay(target, localDate) {
      const reply = await client.eval(findDayScript, {
        keys: [daysKey(target), legacyKey(target)],
        arguments: [localDate],
      });
      if (!Array.isArray(reply)) throw new Error("Redis answered the ledger lookup with an unexpected reply");
      const [day, legacy] = reply as unknown[];
      return { ...(typeof day === "string" && { json: day }), legacy: Number(legacy) === 1 };
    },
    async readLegacy(target) {
      return (await client.get(legacyKey(target))) ?? undefined;
    },
    async insert(target, localDate, json) {
      return (await client.hSetNX(daysKey(target), localDate, json)) === 1;
    },
    async migrate(target, days, legacy) {
      await client.eval(migrateScript, {
        keys: [daysKey(target), legacyKey(target)],
        arguments: [legacy, ...days.flatMap((day) => [day.localDate, JSON.stringify(day)])],
      });
    },
  };
}
