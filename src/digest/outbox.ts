import type { Message } from "../core/message.ts";
import { type Platform, parseTargetKey } from "../core/target.ts";
import type { DeliveryLookup, SenderTraits, SendMessage, ThreadOpener } from "../platforms/contract.ts";
import { OutcomeUnknownError } from "./delivery-error.ts";

interface Sender {
  readonly send: SendMessage;
  readonly traits: SenderTraits;
}

/** Routes a message for a target key to the platform that owns it. */
export class Outbox {
  readonly #senders = new Map<Platform, Sender>();

  register(platform: Platform, send: SendMessage, traits: SenderTraits = {}): void {
    this.#senders.set(platform, { send, traits });
  }

  /** Platforms running in this process: targets of the others are not scheduled here. */
  has(platform: Platform): boolean {
    return this.#senders.has(platform);
  }

  /** Whether the target's platform runs here and can find its keyed posts again. */
  canFind(targetKey: string): boolean {
    const platform = parseTargetKey(targetKey)?.platform;
    return platform !== undefined && this.#senders.get(platform)?.traits.find !== undefined;
  }

  /**
   * Looks for the post of a keyed send (see FindDelivery); `undefined` when the target's platform
   * cannot look (it keeps no key on its posts) or does not run in this process.
   */
  async find(targetKey: string, idempotencyKey: string, since: Date): Promise<DeliveryLookup | undefined> {
    const platform = parseTargetKey(targetKey)?.platform;
    const find = platform && this.#senders.get(platform)?.traits.find;
    return find ? find(targetKey, idempotencyKey, since) : undefined;
  }

  /** The thread opener of the target's platform, when it runs here and has threads. */
  threads(targetKey: string): ThreadOpener | undefined {
    const platform = parseTargetKey(targetKey)?.platform;
    return platform ? this.#senders.get(platform)?.traits.threads : undefined;
  }

  readonly send: SendMessage = async (targetKey: string, message: Message, options = {}) => {
    const platform = parseTargetKey(targetKey)?.platform;
    const sender = platform && this.#senders.get(platform);
    if (!sender) throw new Error(`no running platform can deliver to ${targetKey}`);
    try {
      return await sender.send(targetKey, message, options);
    } catch (error) {
      // Only a keyed send to a platform that dedupes on the key may be repeated after an unknown outcome.
      const { idempotentForMs } = sender.traits;
      if (error instanceof OutcomeUnknownError && options.idempotencyKey !== undefined && idempotentForMs)
        throw error.resendableFor(idempotentForMs);
      throw error;
    }
  };
}
