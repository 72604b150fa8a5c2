import { StoreError } from "./errors.ts";

/**
 * Some keyv backends leave a call pending forever when the server is gone (FACTS.md: @keyv/redis
 * with no server). A store call that does not settle in time becomes a clear error instead of a
 * hung command or a stalled scheduler. The call itself may still finish later; the message says so.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new StoreError(
            `store: ${what} did not finish within ${ms} ms (is the database locked or unreachable?)`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
