import type { DeserializedData } from "keyv";

/**
 * Keyv's value codec, replaced for two reasons. Keyv's default deserializer throws on a row that
 * is not JSON, and inside `iterator()` that aborts the whole listing, so one corrupt row would
 * hide every other record; here such a row becomes an `UnparsableValue` that the collection
 * reports with its key and skips. And plain JSON.stringify keeps rows human-readable JSON (keyv's
 * default escapes strings that start with ":").
 */
export class UnparsableValue {
  constructor(
    readonly raw: string,
    readonly problem: string,
  ) {}
}

export function serializeJson<Value>(data: DeserializedData<Value>): string {
  return JSON.stringify(data);
}

export function deserializeJson<Value>(raw: string): DeserializedData<Value> {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { value: new UnparsableValue(raw, "not valid JSON") as Value };
  }
  if (typeof data === "object" && data !== null && "value" in data) return data as DeserializedData<Value>;
  return { value: new UnparsableValue(raw, "not a keyv record: no value field") as Value };
}
