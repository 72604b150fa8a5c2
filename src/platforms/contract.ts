/**
 * The one contract every platform implements (Discord, Slack, the console): how the core hands it
 * a message to send, what a send may promise, who invoked a command and where, and what only the
 * platform knows about channels. Platforms import this module; it imports nothing of theirs, and
 * nothing here names a platform SDK.
 */
import type { Message, PaperCard } from "../core/message.ts";
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

/** What a look-up of a keyed send found in the target's channel. */
export type DeliveryLookup =
  | { readonly found: true; readonly messageId: string }
  | { readonly found: false; readonly scanned: number };

/**
 * Looks for the post this bot made under `idempotencyKey` in the target's channel (or the user's
 * direct messages), among the messages posted since `since`, reading back what the send left on
 * the post (Slack: its metadata; Discord: the delivery's reference). Only the bot's own posts
 * count: a message from anyone else that names the key is ignored. `found: false` is a definite
 * answer: the platform listed every message since `since` and none is that post. When the
 * platform gives no answer (a 5xx, a timeout, a missing scope, a channel gone), it throws: a
 * DeliveryError or NotTakenError from `src/digest/delivery-error.ts` where the kind is known, so
 * the caller tries again later rather than guessing.
 */
export type FindDelivery = (
  targetKey: string,
  idempotencyKey: string,
  since: Date,
) => Promise<DeliveryLookup>;

/** What a platform's sender promises beyond sending, declared when it is registered. */
export interface SenderTraits {
  /**
   * The sender honours `idempotencyKey`: for this long after a send, another send with the same key
   * returns the first message instead of posting a second one (Discord's `nonce` + `enforce_nonce`).
   * Unset: the key does not dedupe (Slack keeps it as metadata only; the console ignores it), and a
   * send with an unknown outcome stays unsafe to repeat.
   */
  readonly idempotentForMs?: number;
  /** The sender's keyed posts can be found again (see FindDelivery). Unset: they cannot be. */
  readonly find?: FindDelivery;
  /** Opens discussion threads in the platform's channels (`/digest threads on`). Unset: it has none. */
  readonly threads?: ThreadOpener;
}

/** A channel post that threads can hang from: its platform id, and how many paper cards it shows. */
export interface ThreadPost {
  readonly id: string;
  readonly cards: number;
}

/** A thread that was opened or joined: its platform id and how a person gets there. */
export type ThreadOutcome =
  | {
      readonly ok: true;
      readonly threadId: string;
      /** A mention or a link that takes a person to the thread, as the platform's text shows it. */
      readonly link: string;
    }
  /** The platform refused: `problem` says what is missing (a permission, an invitation) and how to grant it. */
  | { readonly ok: false; readonly problem: string };

/**
 * What a platform does with discussion threads (the Discuss button, `/digest threads on`). Which
 * thread belongs to which (channel, paper) is the core's to remember (src/threads/); the platform
 * only opens and joins them.
 */
export interface ThreadOpener {
  /** Whether a thread needs a post to hang from (Slack's replies do; Discord's threads do not). */
  readonly needsPost: boolean;
  /**
   * Opens a thread for `card` in the channel, its first message the card (or the post itself,
   * where the platform starts the thread from a post showing this card alone), linked to `post`.
   * `userId`, when given, is who asked: they are brought into the thread.
   */
  open(
    channelId: string,
    card: PaperCard,
    post: ThreadPost | undefined,
    userId?: string,
  ): Promise<ThreadOutcome>;
  /** Brings `userId` into a thread opened earlier; `gone` when the thread no longer exists. */
  join(channelId: string, threadId: string, userId: string): Promise<ThreadOutcome | { readonly gone: true }>;
  /** What the bot lacks in the channel to open threads, one line each naming it and where to grant it. */
  missing(channelId: string): Promise<readonly string[]>;
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
  | {
      readonly ok: true;
      readonly id: string;
      readonly name: string;
      /**
       * What the bot lacks there that posting does not need but recovery does (Discord's Read
       * Message History, Slack's history scopes), one line each naming it and how to grant it.
       * Setup still succeeds and shows them; /digest status shows them again.
       */
      readonly warnings?: readonly string[];
    }
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
