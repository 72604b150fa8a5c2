import {
  ChannelType,
  type Client,
  DiscordAPIError,
  type GuildBasedChannel,
  PermissionFlagsBits,
  Routes,
} from "discord.js";
import type { Message, PaperCard } from "../../core/message.ts";
import { truncateAtWord } from "../../core/text.ts";
import type { ThreadOpener, ThreadOutcome, ThreadPost } from "../contract.ts";
import type { DiscordMessage } from "./render-message.ts";
import { restBody } from "./sender.ts";

/** What the bot needs in a channel to open a paper's thread and post its card there, as Discord's settings name it. */
export const THREAD_PERMISSIONS = [
  { flag: PermissionFlagsBits.CreatePublicThreads, name: "Create Public Threads" },
  { flag: PermissionFlagsBits.SendMessagesInThreads, name: "Send Messages in Threads" },
] as const;

/** Discord's longest thread name. */
const THREAD_NAME_MAX = 100;
/** A week without a message before Discord archives the thread; posting in it brings it back. */
const AUTO_ARCHIVE_MINUTES = 10_080;

/** Discord's error codes that matter here. */
const UNKNOWN_CHANNEL = 10_003;
const UNKNOWN_MESSAGE = 10_008;
const MISSING_ACCESS = 50_001;
const MISSING_PERMISSIONS = 50_013;
const ARCHIVED_THREAD = 50_083;
const THREAD_EXISTS_FOR_MESSAGE = 160_004;

/** A thread's name: the paper's title, cut at a word to Discord's 100 characters. */
export function threadName(card: PaperCard): string {
  const title = card.title.replace(/\s+/g, " ").trim();
  return truncateAtWord(title || `Paper ${card.paperId}`, THREAD_NAME_MAX);
}

/**
 * Discussion threads on Discord (decision 018). A post showing one card gets its thread started
 * from the post itself (POST /channels/{id}/messages/{mid}/threads), so it hangs under the card; a
 * post of several cards cannot carry more than one thread, so each paper gets a public channel
 * thread (POST /channels/{id}/threads) whose first message is the card with a link to the post.
 * Whoever pressed Discuss is added to the thread. Both need Create Public Threads and Send
 * Messages in Threads, checked first so a refusal names what is missing.
 */
export function discordThreads(client: Client, render: (message: Message) => DiscordMessage): ThreadOpener {
  const rest = client.rest;

  async function channelOf(channelId: string): Promise<GuildBasedChannel | undefined> {
    const cached = client.channels.cache.get(channelId);
    const channel = cached ?? (await client.channels.fetch(channelId).catch(() => null));
    return channel && "guild" in channel ? channel : undefined;
  }

  async function lacking(channelId: string): Promise<{ label: string; names: string[] }> {
    const channel = await channelOf(channelId);
    if (!channel) return { label: "this channel", names: [] };
    const me = channel.guild.members.me ?? (await channel.guild.members.fetchMe());
    const permissions = channel.permissionsFor(me);
    const names = THREAD_PERMISSIONS.filter((needed) => !permissions.has(needed.flag)).map(
      (needed) => needed.name,
    );
    return { label: `#${channel.name}`, names };
  }

  const grant = (label: string, names: readonly string[]) =>
    `Give the bot's role ${names.join(" and ")} in ${label} (channel settings → Permissions)`;

  async function refusal(channelId: string): Promise<ThreadOutcome | undefined> {
    const { label, names } = await lacking(channelId);
    if (names.length === 0) return undefined;
    return {
      ok: false,
      problem: `The bot cannot open discussion threads in ${label}: it lacks ${names.join(" and ")}. ${grant(label, names)}, then press Discuss again.`,
    };
  }

  async function addMember(threadId: string, userId: string | undefined): Promise<void> {
    if (userId === undefined) return;
    try {
      await rest.put(Routes.threadMembers(threadId, userId));
    } catch (error) {
      // An archived thread takes no new members but still opens; a message in it revives it.
      if (!(error instanceof DiscordAPIError && error.code === ARCHIVED_THREAD)) throw error;
    }
  }

  async function startFromPost(
    channelId: string,
    card: PaperCard,
    postId: string,
  ): Promise<string | undefined> {
    try {
      const thread = (await rest.post(Routes.threads(channelId, postId), {
        body: { name: threadName(card), auto_archive_duration: AUTO_ARCHIVE_MINUTES },
      })) as { id: string };
      return thread.id;
    } catch (error) {
      if (!(error instanceof DiscordAPIError)) throw error;
      // The post's thread exists already (opened before this bot recorded it): its id is the post's.
      if (error.code === THREAD_EXISTS_FOR_MESSAGE) return postId;
      // The post was deleted: the paper still gets a thread of the channel.
      if (error.code === UNKNOWN_MESSAGE) return undefined;
      throw error;
    }
  }

  async function channelThread(
    channelId: string,
    card: PaperCard,
    post: ThreadPost | undefined,
  ): Promise<string> {
    const thread = (await rest.post(Routes.threads(channelId), {
      body: {
        name: threadName(card),
        type: ChannelType.PublicThread,
        auto_archive_duration: AUTO_ARCHIVE_MINUTES,
      },
    })) as { id: string; guild_id?: string };
    const guildId = thread.guild_id ?? (await channelOf(channelId))?.guild.id;
    const from =
      post && guildId
        ? `Discussion of this paper from https://discord.com/channels/${guildId}/${channelId}/${post.id}`
        : "Discussion of this paper.";
    await rest.post(Routes.channelMessages(thread.id), {
      body: restBody(render({ text: from, cards: [card], buttons: [], ephemeral: false })),
    });
    return thread.id;
  }

  return {
    needsPost: false,

    async missing(channelId) {
      const { label, names } = await lacking(channelId);
      if (names.length === 0) return [];
      return [
        `The bot lacks ${names.join(" and ")} in ${label}: Discuss and /digest threads on need it to open a thread per paper. ${grant(label, names)}.`,
      ];
    },

    async open(channelId, card, post, userId) {
      const refused = await refusal(channelId);
      if (refused) return refused;
      try {
        const started = post?.cards === 1 ? await startFromPost(channelId, card, post.id) : undefined;
        const threadId = started ?? (await channelThread(channelId, card, post));
        await addMember(threadId, userId);
        return { ok: true, threadId, link: `<#${threadId}>` };
      } catch (error) {
        return refusedBy(error, channelId);
      }
    },

    async join(channelId, threadId, userId) {
      try {
        await addMember(threadId, userId);
        return { ok: true, threadId, link: `<#${threadId}>` };
      } catch (error) {
        if (error instanceof DiscordAPIError && (error.code === UNKNOWN_CHANNEL || error.status === 404))
          return { gone: true };
        return refusedBy(error, channelId);
      }
    },
  };

  /** Discord's refusals as a private answer naming what is missing; anything else is ours to report. */
  async function refusedBy(error: unknown, channelId: string): Promise<ThreadOutcome> {
    if (!(error instanceof DiscordAPIError)) throw error;
    if (error.code === MISSING_PERMISSIONS) {
      const { label } = await lacking(channelId);
      const names = THREAD_PERMISSIONS.map((needed) => needed.name);
      return {
        ok: false,
        problem: `Discord refused the bot a thread in ${label}: it needs ${names.join(" and ")} there. ${grant(label, names)}, then press Discuss again.`,
      };
    }
    if (error.code === MISSING_ACCESS || error.code === UNKNOWN_CHANNEL) {
      return {
        ok: false,
        problem:
          "The bot cannot see this channel or thread any more. Give the bot's role View Channel here, then press Discuss again.",
      };
    }
    throw error;
  }
}
