import type { SendMessage } from "./digest/digest-service.ts";
import type { Message } from "./message.ts";
import { type Platform, parseTargetKey } from "./target.ts";

/** Routes a message for a target key to the platform that owns it. */
export class Outbox {
  readonly #senders = new Map<Platform, SendMessage>();

  register(platform: Platform, send: SendMessage): void {
    this.#senders.set(platform, send);
  }

  /** Platforms running in this process: targets of the others are not scheduled here. */
  has(platform: Platform): boolean {
    return this.#senders.has(platform);
  }

  readonly send: SendMessage = async (targetKey: string, message: Message) => {
    const platform = parseTargetKey(targetKey)?.platform;
    const send = platform && this.#senders.get(platform);
    if (!send) throw new Error(`no running platform can deliver to ${targetKey}`);
    return send(targetKey, message);
  };
}
