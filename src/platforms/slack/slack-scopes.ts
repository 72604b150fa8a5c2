import type { webApi } from "@slack/bolt";

/**
 * The scope that lets the bot read a conversation's history (conversations.history), by kind:
 * how a delivery interrupted by a restart is checked before it is sent again.
 */
export const HISTORY_SCOPES = {
  publicChannel: "channels:history",
  privateChannel: "groups:history",
  directMessage: "im:history",
} as const;

/**
 * The scope that lets the bot upload a file and share it (files.getUploadURLExternal,
 * files.completeUploadExternal): how a citation export reaches a person's DMs.
 */
export const FILES_SCOPE = "files:write";

/**
 * The bot token's scopes as Slack reports them on each Web API answer (its `x-oauth-scopes`
 * header, which the client hands over as `response_metadata.scopes`): first from auth.test at
 * start-up, then from every answer noted here, so a scope granted by reinstalling the app counts
 * without a restart. Until an answer has reported them they are unknown, and nothing is said to
 * be missing.
 */
export class GrantedScopes {
  #scopes: ReadonlySet<string> | undefined;

  /** Keeps the scopes `result` reports, if it reports any. */
  note(result: webApi.WebAPICallResult): void {
    const scopes = result.response_metadata?.scopes;
    if (scopes) this.#scopes = new Set(scopes);
  }

  /** Whether the token is known to lack `scope`. */
  lacks(scope: string): boolean {
    return this.#scopes !== undefined && !this.#scopes.has(scope);
  }

  /** One line for a digest channel whose history the bot may not read, or undefined when it may. */
  channelWarning(channel: { readonly name: string; readonly isPrivate: boolean }): string | undefined {
    const scope = channel.isPrivate ? HISTORY_SCOPES.privateChannel : HISTORY_SCOPES.publicChannel;
    if (!this.lacks(scope)) return undefined;
    return `The bot lacks the ${scope} scope for #${channel.name}: without it a digest interrupted by a restart cannot be checked and waits for an admin. ${howToGrant(scope)}`;
  }

  /** One line when the bot may not read its DMs, where topic alerts go; an empty list when it may. */
  directMessageWarnings(): readonly string[] {
    const scope = HISTORY_SCOPES.directMessage;
    if (!this.lacks(scope)) return [];
    return [
      `The bot lacks the ${scope} scope: without it a topic alert (a DM) interrupted by a restart cannot be checked. ${howToGrant(scope)}`,
    ];
  }
}

/** What a workspace admin does to grant `scope`, in one sentence. */
export function howToGrant(scope: string): string {
  return `Add ${scope} to the app's Bot Token Scopes (OAuth & Permissions) and reinstall it.`;
}
