import type { Keyv } from "keyv";
import { RecordCollection, type RecordKind } from "./record-collection.ts";
import { type Delivery, type Ledger, ledgerSchema } from "./schemas.ts";
import type { StoreCalls } from "./store-calls.ts";

const ledgerKind: RecordKind<Ledger> = {
  name: "ledger",
  schema: ledgerSchema,
  keyOf: (ledger) => ledger.target,
};

/**
 * What was delivered to each target and when: the source of "never the same paper twice, never
 * twice a day". A target's whole history is one record, so recording a delivery is one atomic
 * write and "already delivered today?" is answered from the same record that the write replaces.
 * An unreadable ledger throws rather than reading as empty, which would repeat papers.
 */
export class DeliveryLedger {
  readonly #ledgers: RecordCollection<Ledger>;

  constructor(keyv: Keyv<unknown>, calls: StoreCalls) {
    this.#ledgers = new RecordCollection(keyv, ledgerKind, calls);
  }

  /** Every delivery to the target, in the order they were recorded. */
  async history(target: string): Promise<readonly Delivery[]> {
    return (await this.#ledgers.get(target))?.deliveries ?? [];
  }

  /** One read of the target's ledger, answering every question a delivery asks of it. */
  async view(target: string): Promise<LedgerView> {
    return new LedgerView(await this.history(target));
  }

  /** Has the target had a delivery (a digest or a "nothing new" notice) for this local date? */
  async hasDelivery(target: string, localDate: string): Promise<boolean> {
    return (await this.view(target)).hasDelivery(localDate);
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
   * `delivery.localDate`: the check and the write happen under the target's lock, so two
   * concurrent calls for the same day cannot both succeed.
   */
  async record(target: string, delivery: Delivery): Promise<boolean> {
    const result = await this.#ledgers.modify(target, (current) => {
      const ledger = current ?? { schemaVersion: 1 as const, target, deliveries: [] };
      if (ledger.deliveries.some((earlier) => earlier.localDate === delivery.localDate)) return undefined;
      return { ...ledger, deliveries: [...ledger.deliveries, delivery] };
    });
    return result.written;
  }
}

/** A target's deliveries as read once: a delivery asks three questions and needs only one read. */
export class LedgerView {
  constructor(readonly deliveries: readonly Delivery[]) {}

  hasDelivery(localDate: string): boolean {
    return this.deliveries.some((delivery) => delivery.localDate === localDate);
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
