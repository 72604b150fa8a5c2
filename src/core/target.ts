/**
 * A target is where the bot posts: a channel or a user's direct messages on one platform.
 * Its string form is the key under which settings and the delivery ledger are stored:
 * `discord:<channelId>`, `slack:<channelId>`, `discord:user:<id>`, `slack:user:<id>`,
 * `console` and `console:user:<name>`.
 */
export type Platform = "console" | "discord" | "slack";

export type Target =
  | { readonly kind: "channel"; readonly platform: Platform; readonly id: string }
  | { readonly kind: "user"; readonly platform: Platform; readonly id: string };

export function targetKey(target: Target): string {
  if (target.kind === "user") return `${target.platform}:user:${target.id}`;
  if (target.platform === "console") return "console";
  return `${target.platform}:${target.id}`;
}

export function parseTargetKey(key: string): Target | undefined {
  if (key === "console") return { kind: "channel", platform: "console", id: "console" };
  const match = /^(console|discord|slack):(?:(user):)?([\w.-]+)$/.exec(key);
  if (!match) return undefined;
  const platform = match[1] as Platform;
  const id = match[3] as string;
  return match[2] ? { kind: "user", platform, id } : { kind: "channel", platform, id };
}

/** The platform a key names, for logs, metrics and per-platform pools; "unknown" for a malformed key. */
export function platformOfKey(key: string): string {
  return parseTargetKey(key)?.platform ?? "unknown";
}
