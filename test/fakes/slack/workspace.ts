/**
 * The state of one fake Slack workspace: its users, channels and what the bot posted. The Web API
 * fake answers from this state as Slack would (a message to an archived channel fails with
 * `is_archived`, to a channel the bot is not in with `not_in_channel`), so tests change the
 * workspace rather than script each answer.
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
  readonly ts: string;
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  readonly args: Readonly<Record<string, unknown>>;
}

export const TEAM_ID = "T0FAKE001";
export const BOT_USER_ID = "U0BOT0001";
export const BOT_ID = "B0BOT0001";

export class FakeWorkspace {
  readonly users = new Map<string, FakeSlackUser>();
  readonly channels = new Map<string, FakeSlackChannel>();
  /** Direct-message channels opened by conversations.open, by user id. */
  readonly dms = new Map<string, string>();
  readonly posted: PostedMessage[] = [];
  #ts = 1_700_000_000;

  addUser(user: FakeSlackUser): FakeSlackUser {
    this.users.set(user.id, user);
    return user;
  }

  addChannel(channel: FakeSlackChannel): FakeSlackChannel {
    this.channels.set(channel.id, channel);
    return channel;
  }

  nextTs(): string {
    this.#ts++;
    return `${this.#ts}.000100`;
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

  messagesIn(channel: string): PostedMessage[] {
    return this.posted.filter((message) => message.channel === channel);
  }
}
