import {
  type ClaimBackend,
  type ClaimRecord,
  COMPLETED_CLAIM_RETENTION_MS,
  claimStateOf,
  keptForMs,
  LAPSED_PAGE,
} from "./claims.ts";

/** The one node-redis call the claims use. */
export interface ClaimsRedisClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

// Each claim is a hash `<prefix>claims::<key>`: h holder, s state, e lease or retention end (ms),
// t sending since (ms), d detail, m message id, n takeovers. Leases that can lapse are also in the
// sorted set `<prefix>claims:leases` by their end, so `lapsed` reads a range instead of scanning.
// A claim from before the states is a string (its holder) that Redis expires: it reads as legacy.
// Every script reads the server's clock (TIME), the one clock every process agrees on, and runs
// atomically, so "still mine?" and the change cannot be split by another client.
const clock = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const takeScript = `${clock}local lease, retention, kept = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[5])
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'string' then return false end
local sending, since, detail, takeovers = false, false, false, 0
if kind == 'hash' then
  local f = redis.call('HMGET', KEYS[1], 's', 'e', 't', 'd', 'n')
  if tonumber(f[2]) > now then return false end
  if f[1] == 'sending' then
    sending, since, detail, takeovers = true, f[3], f[4], tonumber(f[5] or '0') + 1
  end
  redis.call('DEL', KEYS[1])
end
local e = now + lease
redis.call('ZADD', KEYS[2], e, ARGV[4])
if sending then
  redis.call('HSET', KEYS[1], 'h', ARGV[1], 's', 'sending', 'e', e, 't', since, 'n', takeovers)
  if detail then redis.call('HSET', KEYS[1], 'd', detail) end
  redis.call('PEXPIRE', KEYS[1], math.max(tonumber(since) + retention - now, kept))
  return {'sending', since, takeovers, detail}
end
redis.call('HSET', KEYS[1], 'h', ARGV[1], 's', 'claimed', 'e', e, 'n', 0)
redis.call('PEXPIRE', KEYS[1], kept)
return {'claimed'}`;

const renewScript = `${clock}local lease, kept = tonumber(ARGV[2]), tonumber(ARGV[4])
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
local f = redis.call('HMGET', KEYS[1], 'h', 's')
if f[1] ~= ARGV[1] or (f[2] ~= 'claimed' and f[2] ~= 'sending') then return 0 end
local e = now + lease
redis.call('HSET', KEYS[1], 'e', e)
if redis.call('PTTL', KEYS[1]) < kept then redis.call('PEXPIRE', KEYS[1], kept) end
redis.call('ZADD', KEYS[2], e, ARGV[3])
return 1`;

const markSendingScript = `${clock}local lease, retention = tonumber(ARGV[2]), tonumber(ARGV[3])
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
local f = redis.call('HMGET', KEYS[1], 'h', 's', 't')
if f[1] ~= ARGV[1] or (f[2] ~= 'claimed' and f[2] ~= 'sending') then return 0 end
local since = tonumber(f[3] or now)
local e = now + lease
redis.call('HSET', KEYS[1], 's', 'sending', 't', since, 'e', e, 'd', ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.max(since + retention - now, lease))
redis.call('ZADD', KEYS[2], e, ARGV[5])
return 1`;

// A claim Redis already deleted (lapsed past its keeping) that nobody took is still ours.
const completeScript = `${clock}local retention = tonumber(ARGV[2])
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'string' then return 0 end
if kind == 'hash' and redis.call('HGET', KEYS[1], 'h') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[1], 's', 'sent', 'e', now + retention)
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'm', ARGV[3]) end
redis.call('PEXPIRE', KEYS[1], retention)
redis.call('ZREM', KEYS[2], ARGV[4])
return 1`;

const releaseScript = `local kind = redis.call('TYPE', KEYS[1]).ok
local holder = false
if kind == 'hash' then holder = redis.call('HGET', KEYS[1], 'h') elseif kind == 'string' then holder = redis.call('GET', KEYS[1]) end
if holder ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1`;

const readScript = `${clock}local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'string' then return {'legacy', redis.call('GET', KEYS[1]), tostring(now + redis.call('PTTL', KEYS[1]))} end
if kind ~= 'hash' then return false end
local f = redis.call('HMGET', KEYS[1], 's', 'h', 'e', 't', 'm', 'd', 'n')
return {f[1], f[2], f[3], f[4] or '', f[5] or '', f[6] or '', f[7] or '0', f[6] and '1' or '0'}`;

// Members whose claim is gone (kept for as long as it was meant to be) or sent leave the set.
const lapsedScript = `${clock}local out = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))) do
  local key = ARGV[2] .. member
  local s, e = false, 0
  if redis.call('TYPE', key).ok == 'hash' then
    local f = redis.call('HMGET', key, 's', 'e')
    s, e = f[1], tonumber(f[2])
  end
  if e <= now and (s == 'sending' or s == 'claimed') then
    out[#out + 1] = member
  elseif e <= now then
    redis.call('ZREM', KEYS[1], member)
  end
end
return out`;

export function redisClaims(client: ClaimsRedisClient, keyPrefix: string): ClaimBackend {
  const claimsPrefix = `${keyPrefix}claims::`;
  const leases = `${keyPrefix}claims:leases`;
  const run = (script: string, key: string, args: string[]) =>
    client.eval(script, { keys: [`${claimsPrefix}${key}`, leases], arguments: args });
  const retention = String(COMPLETED_CLAIM_RETENTION_MS);
  return {
    async take(key, holder, leaseMs) {
      const reply = (await run(takeScript, key, [
        holder,
        String(leaseMs),
        retention,
        key,
        String(keptForMs(leaseMs)),
      ])) as (string | number | null)[] | null;
      if (!reply) return undefined;
      if (reply[0] !== "sending") return { state: "claimed" };
      return {
        state: "sending",
        sendingAt: Number(reply[1]),
        takeovers: Number(reply[2]),
        detail: typeof reply[3] === "string" ? reply[3] : undefined,
      };
    },
    async renew(key, holder, leaseMs) {
      return (await run(renewScript, key, [holder, String(leaseMs), key, String(keptForMs(leaseMs))])) === 1;
    },
    async markSending(key, holder, leaseMs, detail) {
      return (await run(markSendingScript, key, [holder, String(leaseMs), retention, detail, key])) === 1;
    },
    async complete(key, holder, messageId) {
      return (await run(completeScript, key, [holder, retention, messageId ?? "", key])) === 1;
    },
    async release(key, holder) {
      return (await run(releaseScript, key, [holder, key])) === 1;
    },
    async read(key) {
      const reply = (await run(readScript, key, [])) as string[] | null;
      if (!reply) return undefined;
      const [state, holder, expiresAt, sendingAt, messageId, detail, takeovers, hasDetail] = reply;
      const record: ClaimRecord = {
        holder: String(holder),
        state: claimStateOf(state),
        expiresAt: Number(expiresAt),
        ...(sendingAt && { sendingAt: Number(sendingAt) }),
        ...(messageId && { messageId }),
        ...(hasDetail === "1" && { detail: String(detail) }),
        takeovers: Number(takeovers ?? 0),
      };
      return record;
    },
    async lapsed() {
      const reply = await client.eval(lapsedScript, {
        keys: [leases],
        arguments: [String(LAPSED_PAGE), claimsPrefix],
      });
      return (reply as string[]).map(String);
    },
    // Every claim has a PX (keptForMs of its lease, or a retention): Redis deletes it.
    async removeExpired() {
      return 0;
    },
    async close() {},
  };
}
