import { BOT_ID, BOT_USER_ID, type FakeWorkspace, TEAM_ID } from "./workspace.ts";

type Answer = Record<string, unknown>;

/** What the Web API answers from: the fake's workspace, its revoked tokens and its address. */
export interface ApiState {
  readonly workspace: FakeWorkspace;
  readonly revokedTokens: ReadonlySet<string>;
  readonly baseUrl: string;
}

/**
 * The Web API methods the bot uses, answered from the fake workspace's state with Slack's own
 * field names and error codes. Bot methods want an `xoxb-` token; `apps.connections.open` an
 * `xapp-` one, as on Slack.
 */
export function answerApiCall(
  fake: ApiState,
  method: string,
  args: Readonly<Record<string, unknown>>,
  token: string | undefined,
): Answer {
  const workspace = fake.workspace;
  if (token !== undefined && fake.revokedTokens.has(token)) return { ok: false, error: "invalid_auth" };
  if (method === "apps.connections.open") {
    if (!token?.startsWith("xapp-")) return { ok: false, error: "not_allowed_token_type" };
    return { ok: true, url: `${fake.baseUrl.replace(/^http/, "ws")}/socket?ticket=${Date.now()}` };
  }
  if (!token?.startsWith("xoxb-")) return { ok: false, error: token ? "invalid_auth" : "not_authed" };

  switch (method) {
    case "auth.test":
      return {
        ok: true,
        url: "https://fake-workspace.slack.com/",
        team: "Fake Workspace",
        user: "paper-picks",
        team_id: TEAM_ID,
        user_id: BOT_USER_ID,
        bot_id: BOT_ID,
        is_enterprise_install: false,
      };
    case "users.info": {
      const user = workspace.users.get(String(args.user));
      if (!user) return { ok: false, error: "user_not_found" };
      return {
        ok: true,
        user: {
          id: user.id,
          team_id: TEAM_ID,
          name: user.name,
          deleted: user.deleted ?? false,
          is_admin: user.isAdmin ?? false,
          is_owner: user.isOwner ?? false,
          is_primary_owner: false,
          is_bot: false,
        },
      };
    }
    case "conversations.info": {
      const channel = workspace.channels.get(String(args.channel));
      // A private channel the bot is not in is invisible to it.
      if (!channel || (channel.isPrivate && !channel.botIsMember))
        return { ok: false, error: "channel_not_found" };
      return {
        ok: true,
        channel: {
          id: channel.id,
          name: channel.name,
          is_channel: !channel.isPrivate,
          is_private: channel.isPrivate ?? false,
          is_archived: channel.archived ?? false,
          is_member: channel.botIsMember,
        },
      };
    }
    case "conversations.open": {
      const userId = String(args.users ?? "");
      const user = workspace.users.get(userId);
      if (!user) return { ok: false, error: "user_not_found" };
      if (user.deleted) return { ok: false, error: "user_disabled" };
      const id = workspace.dms.get(userId) ?? `D${userId.slice(1)}`;
      workspace.dms.set(userId, id);
      return { ok: true, channel: { id } };
    }
    case "chat.postMessage": {
      const channel = String(args.channel ?? "");
      const problem = workspace.postProblem(channel);
      if (problem) return { ok: false, error: problem };
      if (typeof args.text !== "string" && !Array.isArray(args.blocks))
        return { ok: false, error: "no_text" };
      const ts = workspace.nextTs();
      const blocks = Array.isArray(args.blocks) ? (args.blocks as Record<string, unknown>[]) : [];
      workspace.posted.push({ channel, ts, text: String(args.text ?? ""), blocks, args });
      return { ok: true, channel, ts, message: { type: "message", text: args.text, bot_id: BOT_ID, ts } };
    }
    default:
      return { ok: false, error: "unknown_method" };
  }
}
