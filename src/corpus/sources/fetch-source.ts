import { setTimeout as sleep } from "node:timers/promises";

/** What a source needs to ask "has it changed?" instead of downloading it again. */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

export type FetchOutcome =
  | { readonly status: "not-modified" }
  | { readonly status: "fetched"; readonly body: Uint8Array; readonly validators: Validators };

export interface FetchSourceOptions {
  readonly validators?: Validators;
  /** Per attempt, covering the body too: a server that trickles bytes is as stuck as a silent one. */
  readonly timeoutMs?: number;
  /** Attempts after the first, for network errors, timeouts, 5xx and 429. */
  readonly retries?: number;
  /** First backoff; each retry doubles it (with jitter), unless the server's Retry-After says otherwise. */
  readonly backoffMs?: number;
  /** A Retry-After longer than this ends the refresh with an error: the next scheduled one tries again. */
  readonly maxRetryAfterMs?: number;
  /** Bytes after decompression; reading stops past it. */
  readonly maxBytes?: number;
  readonly userAgent?: string;
  /** Stops waiting and fetching at once (app shutdown). */
  readonly signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const DEFAULT_RETRIES = 2;
const DEFAULT_BACKOFF_MS = 2_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** A fetch that failed for good this round; the message is one line for logs and /digest status. */
export class SourceFetchError extends Error {
  override readonly name = "SourceFetchError";
}

/** Worth another attempt: the network, a timeout, or a server that said "later" (5xx, 429). */
class RetryableError extends SourceFetchError {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * GETs a source with conditional headers, a per-attempt timeout, retries with exponential backoff
 * (honouring Retry-After) and a size cap. Resolves not-modified on 304; throws SourceFetchError.
 */
export async function fetchSource(url: string, options: FetchSourceOptions = {}): Promise<FetchOutcome> {
  const retries = options.retries ?? DEFAULT_RETRIES;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce(url, options);
    } catch (error) {
      if (!(error instanceof RetryableError) || attempt >= retries || options.signal?.aborted) throw error;
      const backoff = backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
      const wait = error.retryAfterMs ?? backoff;
      if (wait > maxRetryAfterMs) {
        throw new SourceFetchError(`${error.message}; the server asks to wait ${Math.ceil(wait / 1000)} s`);
      }
      await sleep(wait, undefined, options.signal === undefined ? {} : { signal: options.signal }).catch(
        () => {
          throw error;
        },
      );
    }
  }
}

async function fetchOnce(url: string, options: FetchSourceOptions): Promise<FetchOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const headers: Record<string, string> = { accept: ACCEPT };
  if (options.userAgent !== undefined) headers["user-agent"] = options.userAgent;
  if (options.validators?.etag !== undefined) headers["if-none-match"] = options.validators.etag;
  if (options.validators?.lastModified !== undefined)
    headers["if-modified-since"] = options.validators.lastModified;

  const failed = (error: unknown): SourceFetchError => {
    if (timeout.aborted) return new RetryableError(`timed out after ${timeoutMs} ms`);
    if (options.signal?.aborted) return new SourceFetchError("cancelled");
    if (error instanceof SourceFetchError) return error;
    return new RetryableError(`network error (${causeOf(error)})`);
  };

  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: "follow" });
  } catch (error) {
    throw failed(error);
  }
  if (response.status === 304) {
    await response.body?.cancel().catch(() => undefined);
    return { status: "not-modified" };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const message = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    if (response.status === 429 || response.status >= 500) {
      throw new RetryableError(message, retryAfterMs(response.headers.get("retry-after")));
    }
    throw new SourceFetchError(message);
  }
  let body: Uint8Array;
  try {
    body = await readCapped(response, options.maxBytes ?? DEFAULT_MAX_BYTES);
  } catch (error) {
    throw failed(error);
  }
  const etag = response.headers.get("etag") ?? undefined;
  const lastModified = response.headers.get("last-modified") ?? undefined;
  return {
    status: "fetched",
    body,
    validators: {
      ...(etag === undefined ? {} : { etag }),
      ...(lastModified === undefined ? {} : { lastModified }),
    },
  };
}

// What the readers understand, in order of preference; a server that ignores it is still read by content.
const ACCEPT =
  "application/json, application/x-ndjson, application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";

/** The body, refusing (and no longer reading) anything past `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = (size: string) =>
    new SourceFetchError(`response too large (${size}, at most ${maxBytes} bytes)`);
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(`${declared} bytes`);
  }
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** Retry-After as seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** undici hides the useful part ("ECONNREFUSED", "other side closed") in `cause`. */
function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return (code !== undefined && !message.includes(code) ? `${code}: ${message}` : message)
    .replace(/\s+/g, " ")
    .slice(0, 160);
}
