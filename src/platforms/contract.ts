/**
 * The one contract every platform implements (Discord, Slack, the console): how the core hands it
 * a message to send, what a send may promise, who invoked a command and where, and what only the
 * platform knows about channels. Platforms import this module; it imports nothing of theirs, and
 * nothing here names a platform SDK.
 */
import type { Message } from "../core/message.ts";
import type { Platform } from "../core/target.ts";

/** How a send may be made safe to repeat; platforms that cannot honour it ignore it. */
export interface SendOptions {
  /**
   * The same for every try of one delivery, in every process: a platform that dedupes on it
   * (Discord's nonce) returns the first message to a repeated send instead of posting again; one
   * that keeps it on the post (Slack's message metadata) lets the post be found again later.
   */
  readonly idempotencyKey?: string;
}

/**
 * Sends a message to a target key and returns the platform's id for it, when it has one. A send
 * that fails throws one of the errors of `src/digest/delivery-error.ts`, so the delivery knows
 * whether it may try again.
 */
export type SendMessage = (
  targetKey: string,
  message: Message,
  options?: SendOptions,
) => Promise<{ readonly messageId?: string }>;

/** What a platform's sender promises beyond sending, declared when it is registered. */
export interface SenderTraits {
  /**
   * The sender honours `idempotencyKey`: for this long after a send, another send with the same key
   * returns the first message instead of posting a second one (Discord's `nonce` + `enforce_nonce`).
   * Unset: the key does not dedupe (Slack keeps it as metadata only; the console ignores it), and a
   * send with an unknown outcome stays unsafe to repeat.
   */
  readonly idempotentForMs?: number;
}

/** Who ran a command, where. Platforms fill it from the event; `isAdmin` is computed on our side. */
export interface Invoker {
  readonly platform: Platform;
  readonly userId: string;
  readonly userName: string;
  /** The channel the command was typed in. */
  readonly channelId: string;
  readonly channelName?: string;
  /** Discord server or Slack workspace. */
  readonly guildId?: string;
  /** Server-side check of real permissions (Manage Server / workspace admin), never the client's word. */
  readonly isAdmin: boolean;
  readonly isDirectMessage: boolean;
}

export type ChannelCheck =
  | { readonly ok: true; readonly id: string; readonly name: string }
  | { readonly ok: false; readonly problem: string };

/** What only the platform knows about channels: what a reference means and whether we may post there. */
export interface ChannelAccess {
  /** `ref` is what the user gave (a mention, an id, a name) or undefined for "this channel". */
  check(ref: string | undefined, invoker: Invoker): Promise<ChannelCheck>;
}

/** A platform once connected: it takes commands and sends until stopped. */
export interface RunningPlatform {
  /** Disconnects; deliveries in flight were drained before this is called. */
  stop(): Promise<void>;
}
