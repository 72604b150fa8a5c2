import { parseTargetKey, type Target } from "../core/target.ts";
import { StoreError } from "./errors.ts";

/** The person a per-person record belongs to; a key that is not a user's is a bug in the caller. */
export function parseUserKey(userKey: string): Target {
  const target = parseTargetKey(userKey);
  if (target?.kind !== "user")
    throw new StoreError(`store: "${userKey}" is not a user key such as discord:user:42`);
  return target;
}
