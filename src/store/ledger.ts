import { parseTargetKey } from "../core/target.ts";
import { log } from "../log.ts";
import { StoreError, UnreadableRecordError } from "./errors.ts";
import { deserializeJson, UnparsableValue } from "./json-codec.ts";
import { type Delivery, deliverySchema, describeIssues, ledgerSchema } from "./schemas.ts";
import type { StoreCalls } from "./store-calls.ts";

/** A target's ledger as it comes off the backend, read in ONE atomic step, not yet checked. */
export interface StoredLedger {
  /** One entry per day record: the local date it is stored under, and the Delivery as JSON. */
  readonly days: readonly { readonly localDate: string; readonly json: string }[];
  /**
   * The target's record in the layout before day records (one keyv row holding every delivery,
   * as keyv stored it), while it has not been moved yet; `undefined` when there is none.
   */
  readonly legacy: string | undefined;
}

/**
 * One backend's ledger operations. Day records are keyed by (target, local date), so every write
 * is one key written blind: nothing is read and written back, so nothing can be lost between
 * processes. Each method is one atomic step on the server (one SQL statement, one Redis command
 * or script), except `migrate` on SQLite, which is two idempotent ones.
 */
export interface LedgerBackend {
  /** The target's day records and any old-layout record, as one consistent snapshot. */
  read(target: string): Promise<StoredLedger>;
  /** The old-layout record alone (a point read), `undefined` when there is none. */
  readLegacy(target: string): Promise<string | undefined>;
  /** One day's record (a point read) and whether an old-layout record still exists, from one snapshot. */
  findDay(target: string, localDate: string): Promise<{ readonly json?: string; readonly legacy: boolean }>;
  /** Writes the day record unless the target already has one for `localDate`; `true` when written. */
  insert(target: string, localDate: string, json: string): Promise<boolean>;
  /**
   * Moves an old-layout record into day records: writes each day the target does not have yet,
   * then removes the old record if it is still exactly `legacy`. Safe to repeat and to run from
   * two processes at once: days already there are left as they are.
   */
  migrate(target: string, days: readonly Delivery[], legacy: string): Promise<void>;
}

/**
 * What was delivered to each target and when: the source of "never the same paper twice, never
 * twice a day". Each (target, local date) is its own record, written once with an atomic
 * "only if absent", so deliveries recorded at the same moment by several processes all land and
 * a date can be recorded only once. An unreadable record throws rather than reading as
 * "nothing delivered", which would repeat papers.
 *
 * Stores written before day records keep a target's whole history in one record; the first read
 * or write of such a target splits it into day records and removes it (see LedgerBackend.migrate).
 */
export class DeliveryLedger {
  constructor(
    private readonly backend: LedgerBackend,
    private readonly calls: StoreCalls,
  ) {}

  /** Every delivery to the target, oldest first (by `deliveredAt`, then local date). */
  async history(target: string): Promise<readonly Delivery[]> {
    checkTarget(target);
    const stored = await this.calls.call(`reading ledger "${target}"`, () => this.backend.read(target));
    const days = stored.days.map((day) => readDay(target, day.localDate, day.json));
    if (stored.legacy === undefined) return sortByTime(days);
    const old = readLegacy(target, stored.legacy);
    await this.#migrate(target, old, stored.legacy);
    // The day records win: after a half-finished move, both layouts can hold the same date.
    const dates = new Set(days.map((day) => day.localDate));
    return sortByTime([...days, ...old.filter((delivery) => !dates.has(delivery.localDate))]);
  }

  /** One read of the target's ledger, answering every question a delivery asks of it. */
  async view(target: string): Promise<LedgerView> {
    return new LedgerView(await this.history(target));
  }

  /**
   * Has the target had a delivery (a digest or a "nothing new" notice) for this local date? One
   * point read: the scheduler asks this of every due target at every sweep, and a target's whole
   * history can be hundreds of days. A target still in the old layout is read (and moved) whole.
   */
  async hasDelivery(target: string, localDate: string): Promise<boolean> {
    checkTarget(target);
    const found = await this.calls.call(`reading ledger "${target}"`, () =>
      this.backend.findDay(target, localDate),
    );
    if (found.legacy) return (await this.view(target)).hasDelivery(localDate);
    if (found.json === undefined) return false;
    // A damaged day still counts as taken, but says so rather than answering for it.
    readDay(target, localDate, found.json);
    return true;
  }

  /** Every paper id ever delivered to the target. */
  async deliveredPaperIds(target: string): Promise<Set<string>> {
    return (await this.view(target)).paperIds();
  }

  /** The most recent delivery by `deliveredAt`, for `/digest status`. */
  async last(target: string): Promise<Delivery | undefined> {
    return (await this.view(target)).last();
  }

  /**
   * Records a delivery. Returns `false`, writing nothing, when the target already has one for
   * `delivery.localDate`: the backend writes the day only if it is absent, in one atomic step, so
   * of concurrent calls for the same day (from any number of processes) exactly one succeeds.
   */
  async record(target: string, delivery: Delivery): Promise<boolean> {
    checkTarget(target);
    const parsed = deliverySchema.safeParse(delivery);
    if (!parsed.success) {
      throw new StoreError(
        `store: refusing to write an invalid ledger record "${target}@${delivery.localDate}" (${describeIssues(parsed.error)})`,
      );
    }
    const { localDate } = parsed.data;
    // A day still inside an old-layout record must be moved first, or it could be recorded twice.
    const legacy = await this.calls.call(`reading ledger "${target}"`, () => this.backend.readLegacy(target));
    if (legacy !== undefined) await this.#migrate(target, readLegacy(target, legacy), legacy);
    return this.calls.call(`recording the delivery to "${target}" for ${localDate}`, () =>
      this.backend.insert(target, localDate, JSON.stringify(parsed.data)),
    );
  }

  async #migrate(target: string, days: readonly Delivery[], legacy: string): Promise<void> {
    await this.calls.call(`moving ledger "${target}" to day records`, () =>
      this.backend.migrate(target, days, legacy),
    );
    log.debug({ target, days: days.length }, "store: moved a ledger to day records");
  }
}

/** A target's deliveries as read once: a delivery asks three questions and needs only one read. */
export class LedgerView {
  constructor(readonly deliveries: readonly Delivery[]) {}

  hasDelivery(localDate: string): boolean {
    return this.find(localDate) !== undefined;
  }

  find(localDate: string): Delivery | undefined {
    return this.deliveries.find((delivery) => delivery.localDate === localDate);
  }

  paperIds(): Set<string> {
    const ids = new Set<string>();
    for (const delivery of this.deliveries) for (const id of delivery.paperIds) ids.add(id);
    return ids;
  }

  last(): Delivery | undefined {
    let latest: Delivery | undefined;
    for (const delivery of this.deliveries) {
      if (latest === undefined || Date.parse(delivery.deliveredAt) >= Date.parse(latest.deliveredAt))
        latest = delivery;
    }
    return latest;
  }
}

function checkTarget(target: string): void {
  if (parseTargetKey(target) === undefined)
    throw new StoreError(`store: "${target}" is not a target key such as discord:123 or slack:user:U1`);
}

function readDay(target: string, localDate: string, json: string): Delivery {
  const unreadable = (problem: string) =>
    new UnreadableRecordError("ledger", `${target}@${localDate}`, problem);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw unreadable("not valid JSON");
  }
  const parsed = deliverySchema.safeParse(value);
  if (!parsed.success) throw unreadable(describeIssues(parsed.error));
  if (parsed.data.localDate !== localDate)
    throw unreadable(`it is stored under ${localDate} but names ${parsed.data.localDate}`);
  return parsed.data;
}

/** The deliveries of an old-layout record (keyv's row: `{"value": {schemaVersion, target, deliveries}}`). */
function readLegacy(target: string, raw: string): readonly Delivery[] {
  const unreadable = (problem: string) => new UnreadableRecordError("ledger", target, problem);
  const { value } = deserializeJson<unknown>(raw);
  if (value instanceof UnparsableValue) throw unreadable(value.problem);
  const parsed = ledgerSchema.safeParse(value);
  if (!parsed.success) throw unreadable(describeIssues(parsed.error));
  if (parsed.data.target !== target)
    throw unreadable(`it is stored under "${target}" but names "${parsed.data.target}"`);
  // Written one date at a time under a lock, it never held a date twice; a hand edit might.
  const dates = new Set<string>();
  return parsed.data.deliveries.filter(
    (delivery) => !dates.has(delivery.localDate) && dates.add(delivery.localDate),
  );
}

function sortByTime(deliveries: readonly Delivery[]): Delivery[] {
  // Each time parsed once, not once per comparison: a year of days is thousands of comparisons.
  return deliveries
    .map((delivery) => ({ delivery, at: Date.parse(delivery.deliveredAt) }))
    .sort(
      (a, b) =>
        a.at - b.at ||
        (a.delivery.localDate < b.delivery.localDate
          ? -1
          : a.delivery.localDate > b.delivery.localDate
            ? 1
            : 0),
    )
    .map(({ delivery }) => delivery);
}
