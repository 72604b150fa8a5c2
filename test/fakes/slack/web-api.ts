import {
  BOT_ID,
  BOT_USER_ID,
  type FakeWorkspace,
  type PostedMessage,
  TEAM_ID,
  tsMicros,
} from "./workspace.ts";

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
  const needed = neededScope(workspace, method, args);
  if (needed !== undefined && workspace.scopes && !workspace.scopes.has(needed)) {
    return { ok: false, error: "missing_scope", needed, provided: [...workspace.scopes].join(",") };
  }

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
      workspace.posted.push({
        channel,
        ts,
        text: String(args.text ?? ""),
        blocks,
        args,
        user: BOT_USER_ID,
        botId: BOT_ID,
        ...(args.metadata !== undefined && { metadata: args.metadata }),
        ...(typeof args.thread_ts === "string" && { threadTs: args.thread_ts }),
      });
      return {
        ok: true,
        channel,
        ts,
        message: { type: "message", text: args.text, user: BOT_USER_ID, bot_id: BOT_ID, ts },
      };
    }
    case "conversations.history":
      return history(workspace, args);
    case "files.getUploadURLExternal":
      return uploadUrl(fake, args);
    case "files.completeUploadExternal":
      return completeUpload(workspace, args);
    case "chat.getPermalink":
      return permalink(workspace, args);
    default:
      return { ok: false, error: "unknown_method" };
  }
}

/** The bot scope a call needs, as Slack's method reference lists it (per conversation type where it varies). */
function neededScope(
  workspace: FakeWorkspace,
  method: string,
  args: Readonly<Record<string, unknown>>,
): string | undefined {
  const channel = String(args.channel ?? "");
  switch (method) {
    case "chat.postMessage":
      return "chat:write";
    case "conversations.open":
      return "im:write";
    case "users.info":
      return "users:read";
    case "conversations.info":
      return workspace.channels.get(channel)?.isPrivate ? "groups:read" : "channels:read";
    case "conversations.history":
      return workspace.historyScope(channel);
    case "files.getUploadURLExternal":
    case "files.completeUploadExternal":
      return "files:write";
    default:
      return undefined;
  }
}

/** Where the fake takes a file's bytes: one URL per file, on loopback, as Slack hands out one per upload. */
export const UPLOAD_PATH = "/upload/v1/";

/**
 * files.getUploadURLExternal: a `filename` and the file's `length` in bytes (Slack answers
 * `missing_argument` for a length of 0), answered with a file id and the URL to POST its bytes to.
 */
function uploadUrl(fake: ApiState, args: Readonly<Record<string, unknown>>): Answer {
  const filename = typeof args.filename === "string" ? args.filename : "";
  if (filename === "") return { ok: false, error: "invalid_arguments" };
  const length = Number(args.length);
  if (!Number.isInteger(length) || length <= 0) return { ok: false, error: "missing_argument" };
  const id = fake.workspace.nextFileId();
  fake.workspace.files.set(id, { id, filename, length });
  return { ok: true, upload_url: `${fake.baseUrl}${UPLOAD_PATH}${id}`, file_id: id };
}

/**
 * files.completeUploadExternal: `files` is a JSON array of `{id, title}`, each uploaded already;
 * with `channel_id` the files are shared there in one message carrying `initial_comment` (in the
 * thread of `thread_ts` when given), where the bot may post. Without a channel they stay private.
 */
function completeUpload(workspace: FakeWorkspace, args: Readonly<Record<string, unknown>>): Answer {
  const listed = args.files;
  if (!Array.isArray(listed) || listed.length === 0) return { ok: false, error: "invalid_arguments" };
  const files = [];
  for (const entry of listed as { id?: unknown; title?: unknown }[]) {
    const file = workspace.files.get(String(entry?.id ?? ""));
    if (!file?.bytes) return { ok: false, error: "file_not_found" };
    files.push({ file, title: typeof entry.title === "string" ? entry.title : file.filename });
  }
  const channel = typeof args.channel_id === "string" && args.channel_id !== "" ? args.channel_id : undefined;
  if (channel !== undefined) {
    const problem = workspace.postProblem(channel);
    if (problem) return { ok: false, error: problem };
  }
  const comment = typeof args.initial_comment === "string" ? args.initial_comment : undefined;
  const threadTs = typeof args.thread_ts === "string" ? args.thread_ts : undefined;
  for (const { file, title } of files) {
    file.title = title;
    if (channel !== undefined) file.channel = channel;
    if (comment !== undefined) file.comment = comment;
    if (threadTs !== undefined) file.threadTs = threadTs;
  }
  if (channel !== undefined) {
    workspace.posted.push({
      channel,
      ts: workspace.nextTs(),
      text: comment ?? "",
      blocks: [],
      args,
      user: BOT_USER_ID,
      botId: BOT_ID,
      files: files.map(({ file }) => file.id),
    });
  }
  return {
    ok: true,
    files: files.map(({ file, title }) => ({
      id: file.id,
      name: file.filename,
      title,
      mimetype: "text/plain",
      size: file.bytes?.length ?? 0,
      user: BOT_USER_ID,
      ...(channel !== undefined && { channels: [channel] }),
    })),
  };
}

/**
 * chat.getPermalink as Slack answers it: `https://<workspace>.slack.com/archives/<channel>/p<ts
 * without its dot>`, a reply's with `?thread_ts=<parent>&cid=<channel>`; `message_not_found` for a
 * ts the channel has no message at.
 */
function permalink(workspace: FakeWorkspace, args: Readonly<Record<string, unknown>>): Answer {
  const channel = String(args.channel ?? "");
  if (!workspace.channels.has(channel) && ![...workspace.dms.values()].includes(channel))
    return { ok: false, error: "channel_not_found" };
  const message = workspace.messageAt(channel, String(args.message_ts ?? ""));
  if (!message) return { ok: false, error: "message_not_found" };
  const base = `https://fake-workspace.slack.com/archives/${channel}/p${message.ts.replace(".", "")}`;
  const thread = message.threadTs === undefined ? "" : `?thread_ts=${message.threadTs}&cid=${channel}`;
  return { ok: true, channel, permalink: base + thread };
}

const flag = (value: unknown) => value === true || value === "true" || value === "1";

/** Slack's cursors are opaque base64; this one names the ts the next page starts at. */
const cursorFor = (ts: string) => Buffer.from(`next_ts:${ts}`).toString("base64");

function cursorTs(cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, "base64").toString("utf8");
  return decoded.startsWith("next_ts:") ? decoded.slice("next_ts:".length) : undefined;
}

/**
 * conversations.history as Slack answers it: the messages between `oldest` and `latest` (both
 * exclusive unless `inclusive`), newest first, `limit` at a time (default 100, at most 999), with
 * `has_more` and a `next_cursor` while more are left. Metadata only with `include_all_metadata`.
 */
function history(workspace: FakeWorkspace, args: Readonly<Record<string, unknown>>): Answer {
  const channel = String(args.channel ?? "");
  const problem = workspace.historyProblem(channel);
  if (problem) return { ok: false, error: problem };
  const inclusive = flag(args.inclusive);
  const oldest = tsMicros(String(args.oldest ?? "0"));
  const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : tsMicros(String(args.latest));
  if (Number.isNaN(oldest) || Number.isNaN(latest)) return { ok: false, error: "invalid_ts_oldest" };
  const limit = Math.min(999, Math.max(1, Math.trunc(Number(args.limit ?? 100)) || 100));
  let from = Number.POSITIVE_INFINITY;
  if (args.cursor !== undefined && args.cursor !== "") {
    const ts = cursorTs(String(args.cursor));
    if (ts === undefined) return { ok: false, error: "invalid_cursor" };
    from = tsMicros(ts);
  }
  const newestFirst = workspace
    .historyOf(channel)
    .filter((message) => {
      const at = tsMicros(message.ts);
      const afterOldest = inclusive ? at >= oldest : at > oldest;
      const beforeLatest = inclusive ? at <= latest : at < latest;
      return afterOldest && beforeLatest && at <= from;
    })
    .reverse();
  const page = newestFirst.slice(0, limit);
  const next = newestFirst[limit];
  const withMetadata = flag(args.include_all_metadata);
  return {
    ok: true,
    messages: page.map((message) => historyJson(message, withMetadata)),
    has_more: next !== undefined,
    pin_count: 0,
    ...(next !== undefined && { response_metadata: { next_cursor: cursorFor(next.ts) } }),
  };
}

function historyJson(message: PostedMessage, withMetadata: boolean): Answer {
  return {
    type: "message",
    user: message.user,
    ...(message.botId !== undefined && {
      bot_id: message.botId,
      app_id: message.botId === BOT_ID ? "A0FAKE" : `A${message.botId.slice(1)}`,
    }),
    text: message.text,
    ts: message.ts,
    team: TEAM_ID,
    ...(message.blocks.length > 0 && { blocks: message.blocks }),
    ...(withMetadata && message.metadata !== undefined && { metadata: message.metadata }),
  };
}
