/**
 * Every store failure is one readable line. Callers show `message` to an operator as is, so it
 * names what was being done, why it failed and, for open failures, the STORE_URL to fix.
 */
export class StoreError extends Error {
  override readonly name: string = "StoreError";
}

/** The store could not be opened: bad or unsupported STORE_URL, unwritable path, not a database. */
export class StoreOpenError extends StoreError {
  override readonly name = "StoreOpenError";
}

/**
 * A stored record exists but does not pass its schema (hand-edited, truncated, or written by a
 * newer version). It is reported, never silently replaced; `delete` is the deliberate way out.
 */
export class UnreadableRecordError extends StoreError {
  override readonly name = "UnreadableRecordError";
  constructor(
    readonly kind: string,
    readonly key: string,
    readonly problem: string,
  ) {
    super(`store: the ${kind} record "${key}" is unreadable (${problem}); fix or delete it`);
  }
}

/** The one-line form of any thrown value, for wrapping driver errors. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
