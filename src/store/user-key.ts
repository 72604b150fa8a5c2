import { parseTargetKey, type Target } from "../core/target.ts";
import { StoreError } from "./errors.ts";

/** The person a per-person record belongs to; a key that is not a user's is a bug in the caller. */
export function parseUserKey(userKey: string): Target {
  const target = parseTargetKey(userKey);
  if (target?.kind !== "user")
    throw new StoreError(`store: "${userKey}" is not a user key such as discord:user:42`);
  return target;
}

/** What every per-person record starts with: whose it is, and when it was written. */
export function userRecordBase(userKey: string, nowIso: string) {
  const user = parseUserKey(userKey);
  return {
    schemaVersion: 1 as const,
    user: userKey,
    platform: user.platform,
    userId: user.id,
    updatedAt: nowIso,
  };
}
