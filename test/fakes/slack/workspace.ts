/**
 * The state of one fake Slack workspace: its users, channels, what the bot posted and what others
 * posted. The Web API fake answers from this state as Slack would (a message to an archived
 * channel fails with `is_archived`, to a channel the bot is not in with `not_in_channel`, a call
 * without its scope with `missing_scope`), so tests change the workspace rather than script each answer.
 */

export interface FakeSlackUser {
  readonly id: string;
  readonly name: string;
  readonly isAdmin?: boolean;
  readonly isOwner?: boolean;
  /** A deactivated account: DMs to it fail. */
  readonly deleted?: boolean;
}

export interface FakeSlackChannel {
  readonly id: string;
  readonly name: string;
  isPrivate?: boolean;
  /** Whether the bot was invited. */
  botIsMember: boolean;
  archived?: boolean;
}

export interface PostedMessage {
  readonly channel: string;
  /** Slack's message id: the posting time in seconds, with microseconds, unique in the workspace. */
  readonly ts: string;
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  readonly args: Readonly<Record<string, unknown>>;
  /** Who posted it: a person's or a bot's user id. */
  readonly user: string;
  /** Set on a bot's (an app's) messages only. */
  readonly botId?: string;
  /** The message metadata as posted; conversations.history returns it only with include_all_metadata. */
  readonly metadata?: unknown;
  /** The ids of the files shared with this message (files.completeUploadExternal). */
  readonly files?: readonly string[];
  /** A threaded reply's parent (`thread_ts`): such a reply is in its thread, not in the channel's history. */
  readonly threadTs?: string;
}

/** A file as Slack keeps it from files.getUploadURLExternal on: its bytes once uploaded, where it was shared. */
export interface FakeSlackFile {
  readonly id: string;
  readonly filename: string;
  /** The byte length declared to files.getUploadURLExternal; the upload must match it. */
  readonly length: number;
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  title?: string;
  channel?: string;
  threadTs?: string;
  comment?: string;
}

/** A file shared in a channel, as a person there reads it. */
export interface SharedFile {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  /** The file's bytes as UTF-8. */
  readonly text: string;
  /** The message posted with it (initial_comment), if any. */
  readonly comment?: string;
  readonly threadTs?: string;
}

export const TEAM_ID = "T0FAKE001";
export const BOT_USER_ID = "U0BOT0001";
export const BOT_ID = "B0BOT0001";

export class FakeWorkspace {
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Map<string, FakeSlackChannel>();
  /** Direct-message channels opened by conversations.open, by user id. */
  readonly dms = new Map<string, string>();
  /** What the bot posted, in order. */
  readonly posted: PostedMessage[] = [];
  /** Files by id, from the moment an upload URL was asked for. */
  readonly files = new Map<string, FakeSlackFile>();
  /** What people and other apps posted (postAs), in order: in the history, never in `posted`. */
  readonly postedByOthers: PostedMessage[] = [];
  /**
   * The bot scopes the app was installed with; a call needing another answers `missing_scope`.
   * Unset: every scope the bot asks for was granted.
   */
  scopes: Set<string> | undefined;
  /** Slack's clock, in ms: each message's ts is its time (never the same twice, never going back). */
  clock: () => number = () => Date.now();
  #lastMicros = 0;

  addUser(user: FakeSlackUser): FakeSlackUser {
    this.users.set(user.id, user);
    return user;
  }

  addChannel(channel: FakeSlackChannel): FakeSlackChannel {
    this.channels.set(channel.id, channel);
    return channel;
  }

  nextTs(): string {
    const micros = Math.max(this.#lastMicros + 1, Math.floor(this.clock() * 1000));
    this.#lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
  }

  /** A message someone else posts in a channel or DM: a person (`user`), or another app (`botId` too). */
  postAs(
    from: { readonly user: string; readonly botId?: string },
    channel: string,
    message: { readonly text?: string; readonly metadata?: unknown } = {},
  ): PostedMessage {
    const posted: PostedMessage = {
      channel,
      ts: this.nextTs(),
      text: message.text ?? "",
      blocks: [],
      args: {},
      user: from.user,
      ...(from.botId !== undefined && { botId: from.botId }),
      ...(message.metadata !== undefined && { metadata: message.metadata }),
    };
    this.postedByOthers.push(posted);
    return posted;
  }

  /** What `chat.postMessage` to `channel` would fail with, or undefined when it would succeed. */
  postProblem(channel: string): string | undefined {
    const dmUser = [...this.dms.entries()].find(([, id]) => id === channel)?.[0];
    if (dmUser !== undefined) return this.users.get(dmUser)?.deleted ? "user_disabled" : undefined;
    const found = this.channels.get(channel);
    if (!found) return "channel_not_found";
    if (found.archived) return "is_archived";
    if (!found.botIsMember) return found.isPrivate ? "channel_not_found" : "not_in_channel";
    return undefined;
  }

  /** What conversations.history of `channel` would fail with (the bot must be able to see it). */
  historyProblem(channel: string): string | undefined {
    if ([...this.dms.values()].includes(channel)) return undefined;
    const found = this.channels.get(channel);
    if (!found || (found.isPrivate && !found.botIsMember)) return "channel_not_found";
    if (!found.botIsMember) return "not_in_channel";
    return undefined;
  }

  /** The scope a channel's history takes, by its kind: a DM, a private channel, a public one. */
  historyScope(channel: string): string {
    if ([...this.dms.values()].includes(channel)) return "im:history";
    return this.channels.get(channel)?.isPrivate ? "groups:history" : "channels:history";
  }

  /** A new file id, Slack-shaped (`F…`), never the same twice. */
  nextFileId(): string {
    return `F0FILE${String(this.files.size + 1).padStart(4, "0")}`;
  }

  /** The files shared in `channel` (a DM's `D…` id too), oldest first. */
  filesIn(channel: string): SharedFile[] {
    return [...this.files.values()]
      .filter((file) => file.channel === channel && file.bytes !== undefined)
      .map((file) => ({
        id: file.id,
        name: file.filename,
        title: file.title ?? file.filename,
        text: file.bytes?.toString("utf8") ?? "",
        ...(file.comment !== undefined && { comment: file.comment }),
        ...(file.threadTs !== undefined && { threadTs: file.threadTs }),
      }));
  }

  /** The bot's posts in `channel` itself, threaded replies left out (see repliesTo). */
  messagesIn(channel: string): PostedMessage[] {
    return this.posted.filter((message) => message.channel === channel && message.threadTs === undefined);
  }

  /** The bot's threaded replies under the message `ts` of `channel`, oldest first. */
  repliesTo(channel: string, ts: string): PostedMessage[] {
    return this.posted.filter((message) => message.channel === channel && message.threadTs === ts);
  }

  /** A message of `channel` by its ts, a reply or not; undefined when there is none. */
  messageAt(channel: string, ts: string): PostedMessage | undefined {
    return [...this.posted, ...this.postedByOthers].find(
      (message) => message.channel === channel && message.ts === ts,
    );
  }

  /** Every message in `channel` itself, the bot's and others', oldest first: what conversations.history lists. */
  historyOf(channel: string): PostedMessage[] {
    return [...this.posted, ...this.postedByOthers]
      .filter((message) => message.channel === channel && message.threadTs === undefined)
      .sort((a, b) => tsMicros(a.ts) - tsMicros(b.ts));
  }
}

/** A Slack ts ("1700000000.000100") as whole microseconds, for ordering and bounds. */
export function tsMicros(ts: string): number {
  const [seconds = "0", fraction = ""] = ts.split(".");
  return Number(seconds) * 1e6 + Number(fraction.padEnd(6, "0").slice(0, 6));
}
