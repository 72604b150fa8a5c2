import { isAbsolute, resolve } from "node:path";
import { StoreOpenError } from "./errors.ts";

/** Where the store lives, from STORE_URL. Redis and Postgres join this union when they are built. */
export type StoreLocation = { readonly scheme: "sqlite"; readonly path: string };

const usage =
  "use sqlite://relative/path.sqlite (from the working directory) or sqlite:///absolute/path.sqlite";

/**
 * `sqlite://data/x.sqlite` is relative to `cwd`, `sqlite:///srv/x.sqlite` is absolute: everything
 * after `sqlite://` is the file path, taken literally.
 */
export function parseStoreUrl(url: string, cwd: string = process.cwd()): StoreLocation {
  const shown = redactStoreUrl(url);
  const match = /^sqlite:\/\/(.*)$/s.exec(url.trim());
  if (!match) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
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

/** The URL with any password replaced, safe for logs and error messages. */
export function redactStoreUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}
