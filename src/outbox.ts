import { OutcomeUnknownError } from "./digest/delivery-error.ts";
import type { SendMessage } from "./digest/digest-service.ts";
import type { Message } from "./message.ts";
import { type Platform, parseTargetKey } from "./target.ts";

/** What a platform's sender promises beyond sending, declared when it is registered. */
export interface SenderTraits {
  /**
   * The sender honours `idempotencyKey`: for this long after a send, another send with the same key
   * returns the first message instead of posting a second one (Discord's `nonce` + `enforce_nonce`).
   * Unset: the key is ignored (Slack, the console), and a send with an unknown outcome stays unsafe to repeat.
   */
  readonly idempotentForMs?: number;
}

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
