import { isAbsolute, resolve } from "node:path";
import { StoreOpenError } from "./errors.ts";

/** Where the store lives, from STORE_URL. */
export type StoreLocation =
  | { readonly scheme: "sqlite"; readonly path: string }
  | { readonly scheme: "redis"; readonly url: string }
  | { readonly scheme: "postgres"; readonly url: string };

const usage =
  "use sqlite://relative/path.sqlite (from the working directory), sqlite:///absolute/path.sqlite, " +
  "redis://[:password@]host:6379[/db] or postgres://user[:password]@host:5432/database";

/**
 * `sqlite://data/x.sqlite` is relative to `cwd`, `sqlite:///srv/x.sqlite` is absolute: everything
 * after `sqlite://` is the file path, taken literally. `redis://`, `rediss://` (TLS), `postgres://`
 * and `postgresql://` URLs go to their drivers as they are, once they parse as URLs with a host.
 */
export function parseStoreUrl(url: string, cwd: string = process.cwd()): StoreLocation {
  const shown = redactStoreUrl(url);
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === "redis" || scheme === "rediss") return { scheme: "redis", url: serverUrl(trimmed, shown) };
  if (scheme === "postgres" || scheme === "postgresql")
    return { scheme: "postgres", url: serverUrl(trimmed, shown) };
  const match = /^sqlite:\/\/(.*)$/s.exec(trimmed);
  if (!match) {
    const what = scheme ? `the ${scheme}: scheme is not supported` : "it is not a store URL";
    throw new StoreOpenError(`STORE_URL "${shown}": ${what}; ${usage}`);
  }
  const path = match[1] ?? "";
  if (path === "" || path === "/") throw new StoreOpenError(`STORE_URL "${shown}" names no file; ${usage}`);
  if (path === ":memory:") {
    // Each record kind has its own connection, and each in-memory connection is a separate database.
    throw new StoreOpenError(`STORE_URL "${shown}": in-memory SQLite is not supported; ${usage}`);
  }
  return { scheme: "sqlite", path: isAbsolute(path) ? path : resolve(cwd, path) };
}

function serverUrl(url: string, shown: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreOpenError(`STORE_URL "${shown}" is not a valid URL; ${usage}`);
  }
  if (parsed.hostname === "") throw new StoreOpenError(`STORE_URL "${shown}" names no host; ${usage}`);
  return url;
}

/** The URL with any password replaced, safe for logs and error messages. */
export function redactStoreUrl(url: string): string {
  return url.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}
