import type { webApi } from "@slack/bolt";
import type { ChannelAccess, ChannelCheck, Invoker } from "../contract.ts";
import { slackErrorCode } from "./slack-errors.ts";
import type { GrantedScopes } from "./slack-scopes.ts";

/**
 * A channel as a user names it in a command: Slack's escaped `<#C123|name>` (what the client
 * sends for `#name` when the command escapes channels), `<#C123>`, or a bare id.
 */
export function parseChannelRef(
  ref: string,
): { readonly id: string; readonly name?: string } | { readonly name: string } {
  const trimmed = ref.trim();
  const escaped = /^<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(trimmed);
  if (escaped) return { id: escaped[1] as string, ...(escaped[2] && { name: escaped[2] }) };
  if (/^[CGD][A-Z0-9]{6,}$/.test(trimmed)) return { id: trimmed };
  return { name: trimmed.replace(/^#/, "") };
}

/**
 * Resolves `/digest setup`'s channel and checks that the bot can post there, before anything is
 * saved: Slack hides private channels from a bot that is not in them, and refuses posts to
 * public ones it was not invited to, so both answer with how to `/invite` it. A missing history
 * scope for that kind of channel (see GrantedScopes) does not stop setup: it comes back as a warning.
 */
export function slackChannelAccess(
  client: webApi.WebClient,
  botName: string,
  scopes: GrantedScopes,
): ChannelAccess {
  const invite = (where: string) =>
    `I'm not in ${where} yet. Type \`/invite @${botName}\` there, then run /digest setup again.`;
  return {
    async check(ref, invoker: Invoker): Promise<ChannelCheck> {
      const parsed = ref === undefined ? { id: invoker.channelId } : parseChannelRef(ref);
      if (!("id" in parsed)) {
        return {
          ok: false,
          problem: `I can't tell which channel “#${parsed.name}” is. Type # and pick the channel from Slack's list, or run /digest setup in that channel.`,
        };
      }
      if (parsed.id.startsWith("D") || (ref === undefined && invoker.isDirectMessage)) {
        return {
          ok: false,
          problem:
            "Daily picks post in channels: run /digest setup in a channel, or name one: /digest setup #papers.",
        };
      }
      // Answers are escaped plain text, so a channel is named, not linked.
      const label = ref === undefined ? "this channel" : parsed.name ? `#${parsed.name}` : "that channel";
      try {
        const info = await client.conversations.info({ channel: parsed.id });
        scopes.note(info);
        const channel = info.channel;
        if (!channel) return { ok: false, problem: invite(label) };
        if (channel.is_archived) {
          return { ok: false, problem: `${label} is archived; pick a channel that is in use.` };
        }
        if (!channel.is_member) return { ok: false, problem: invite(label) };
        const name = channel.name ?? parsed.id;
        const warning = scopes.channelWarning({ name, isPrivate: channel.is_private === true });
        return { ok: true, id: parsed.id, name, ...(warning !== undefined && { warnings: [warning] }) };
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === "channel_not_found" || code === "not_in_channel")
          return { ok: false, problem: invite(label) };
        throw error;
      }
    },
  };
}
