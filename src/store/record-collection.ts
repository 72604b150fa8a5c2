import type { Keyv } from "keyv";
import type { z } from "zod";
import { log } from "../log.ts";
import { StoreError, UnreadableRecordError } from "./errors.ts";
import { UnparsableValue } from "./json-codec.ts";
import { describeIssues } from "./schemas.ts";
import type { StoreCalls } from "./store-calls.ts";

type Read<T> =
  | { readonly status: "missing" }
  | { readonly status: "ok"; readonly record: T }
  | { readonly status: "unreadable"; readonly error: UnreadableRecordError };

export interface RecordKind<T> {
  /** The keyv namespace, also used in messages ("channels", "subscriptions", "ledger"). */
  readonly name: string;
  readonly schema: z.ZodType<T>;
  /** The key a record is stored under, read from the record itself. */
  keyOf(record: T): string;
  /** Applied to every record just before it is written (e.g. to set `updatedAt`). */
  stamp?(record: T, nowIso: string): T;
}

/**
 * The records of one kind in one keyv namespace, checked against their schema on every read and
 * every write. Each change is a single key write, and changes to one key run one at a time, so a
 * concurrent change is never lost and a crash never leaves half a change behind.
 */
export class RecordCollection<T> {
  constructor(
    private readonly keyv: Keyv<unknown>,
    private readonly kind: RecordKind<T>,
    protected readonly calls: StoreCalls,
  ) {}

  /** The record, `undefined` when there is none; throws UnreadableRecordError when it fails its schema. */
  async get(key: string): Promise<T | undefined> {
    const read = await this.read(key);
    if (read.status === "unreadable") throw read.error;
    return read.status === "ok" ? read.record : undefined;
  }

  /**
   * Writes the whole record under its own key. Replacing an unreadable record is allowed (that is
   * how an admin re-runs setup) but logged with its key and what was wrong, so it is never silent.
   */
  async put(record: T): Promise<T> {
    const key = this.kind.keyOf(record);
    return this.calls.mutex.run(this.lockKey(key), async () => {
      const before = await this.read(key);
      if (before.status === "unreadable") {
        log.warn(
          { kind: this.kind.name, key, problem: before.error.problem },
          "store: replacing an unreadable record",
        );
      }
      return this.write(key, record);
    });
  }

  /** Changes an existing record; `undefined` (and no write) when there is none. */
  async update(key: string, change: (current: T) => T): Promise<T | undefined> {
    const result = await this.modify(key, (current) => (current === undefined ? undefined : change(current)));
    return result.after;
  }

  /** Changes the record, or creates it when `current` is `undefined`. */
  async upsert(key: string, change: (current: T | undefined) => T): Promise<T> {
    const result = await this.modify(key, change);
    if (result.after === undefined)
      throw new StoreError(`store: upsert of ${this.kind.name} "${key}" wrote nothing`);
    return result.after;
  }

  /**
   * The one read-modify-write: under the key's lock, reads the record, asks `change` for the new
   * one (`undefined` = leave it as it is) and writes it. An unreadable record is never handed to
   * `change` or overwritten: that throws UnreadableRecordError.
   */
  async modify(
    key: string,
    change: (current: T | undefined) => T | undefined,
  ): Promise<{ readonly before: T | undefined; readonly after: T | undefined; readonly written: boolean }> {
    return this.calls.mutex.run(this.lockKey(key), async () => {
      const read = await this.read(key);
      if (read.status === "unreadable") throw read.error;
      const before = read.status === "ok" ? read.record : undefined;
      const next = change(before);
      if (next === undefined) return { before, after: before, written: false };
      if (this.kind.keyOf(next) !== key) {
        throw new StoreError(
          `store: a change to ${this.kind.name} "${key}" tried to move it to "${this.kind.keyOf(next)}"`,
        );
      }
      return { before, after: await this.write(key, next), written: true };
    });
  }

  /** Removes the record; `false` when there was none. */
  async delete(key: string): Promise<boolean> {
    return this.calls.mutex.run(this.lockKey(key), () =>
      // Waits for a listing in progress: removing a row mid-listing shifts the pages and would skip another record.
      this.calls.mutex.run(this.listLockKey(), () =>
        this.calls.call(`deleting ${this.kind.name} "${key}"`, () => this.keyv.delete(key)),
      ),
    );
  }

  /** Every readable record; unreadable ones are logged with their key and left out. */
  async list(): Promise<T[]> {
    return this.calls.mutex.run(this.listLockKey(), () =>
      this.calls.call(`listing ${this.kind.name}`, async () => {
        const iterator = this.keyv.iterator;
        if (iterator === undefined) throw new StoreError(`store: this backend cannot list ${this.kind.name}`);
        const records: T[] = [];
        // Redis SCAN may return a key more than once (while its table resizes); each record counts once.
        const seen = new Set<string>();
        for await (const [key, value] of iterator(undefined)) {
          if (seen.has(String(key))) continue;
          seen.add(String(key));
          const checked = this.check(String(key), value);
          if (checked.status === "ok") records.push(checked.record);
          else if (checked.status === "unreadable") {
            log.warn(
              { kind: this.kind.name, key, problem: checked.error.problem },
              "store: skipping an unreadable record",
            );
          }
        }
        return records;
      }),
    );
  }

  private async read(key: string): Promise<Read<T>> {
    const value = await this.calls.call(`reading ${this.kind.name} "${key}"`, () => this.keyv.get(key));
    return this.check(key, value);
  }

  private check(key: string, value: unknown): Read<T> {
    if (value === undefined) return { status: "missing" };
    const unreadable = (problem: string): Read<T> => ({
      status: "unreadable",
      error: new UnreadableRecordError(this.kind.name, key, problem),
    });
    if (value instanceof UnparsableValue) return unreadable(value.problem);
    const parsed = this.kind.schema.safeParse(value);
    if (!parsed.success) return unreadable(describeIssues(parsed.error));
    const namedKey = this.kind.keyOf(parsed.data);
    if (namedKey !== key) return unreadable(`it is stored under "${key}" but names "${namedKey}"`);
    return { status: "ok", record: parsed.data };
  }

  private async write(key: string, record: T): Promise<T> {
    const stamped = this.kind.stamp ? this.kind.stamp(record, this.calls.nowIso()) : record;
    // Validating before writing means the store never writes what it could not read back, and the
    // schema's parse drops unknown fields (a token passed in by mistake never reaches the disk).
    const parsed = this.kind.schema.safeParse(stamped);
    if (!parsed.success) {
      throw new StoreError(
        `store: refusing to write an invalid ${this.kind.name} record "${key}" (${describeIssues(parsed.error)})`,
      );
    }
    await this.calls.call(`writing ${this.kind.name} "${key}"`, async () => {
      // Some backends report a failed write as `false` instead of throwing (FACTS.md: @keyv/postgres).
      if (!(await this.keyv.set(key, parsed.data))) throw new Error("the backend did not accept the write");
    });
    return parsed.data;
  }

  private lockKey(key: string): string {
    return `${this.kind.name}\u0000${key}`;
  }

  private listLockKey(): string {
    return `${this.kind.name}\u0000(listing)`;
  }
}
