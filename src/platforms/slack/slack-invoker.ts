import type { webApi } from "@slack/bolt";
import { splitWords } from "../../command-kit/command-line.ts";
import { commandRequires, requires } from "../../command-kit/define.ts";
import type { CommandRouter } from "../../command-kit/router.ts";
import { log } from "../../log.ts";
import type { Invoker } from "../contract.ts";

/** Who pressed or typed, where: the fields Slack sends with a slash command or a block action. */
export interface SlackActor {
  readonly userId: string;
  readonly userName: string;
  readonly channelId: string;
  readonly channelName?: string;
  readonly teamId?: string;
}

const ADMIN_CACHE_MS = 60_000;

/**
 * Decides on our side who is an admin: workspace admins and owners per `users.info`, and the
 * users listed in SLACK_ADMIN_USER_IDS. Slack is asked only when the command needs it, and
 * the answer is kept a minute so a burst of admin commands costs one call.
 */
export class SlackInvokers {
  readonly #admins: ReadonlySet<string>;
  readonly #known = new Map<string, { readonly admin: boolean; readonly until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly router: CommandRouter,
    adminUserIds: readonly string[],
  ) {
    this.#admins = new Set(adminUserIds);
  }

  async invoker(actor: SlackActor, line: string): Promise<Invoker> {
    const isDirectMessage = actor.channelId.startsWith("D") || actor.channelName === "directmessage";
    return {
      platform: "slack",
      userId: actor.userId,
      userName: actor.userName,
      channelId: actor.channelId,
      ...(actor.channelName !== undefined && !isDirectMessage && { channelName: actor.channelName }),
      ...(actor.teamId !== undefined && { guildId: actor.teamId }),
      isAdmin: this.#needsAdmin(line) ? await this.isAdmin(actor.userId) : false,
      isDirectMessage,
    };
  }

  async isAdmin(userId: string): Promise<boolean> {
    if (this.#admins.has(userId)) return true;
    const known = this.#known.get(userId);
    if (known && known.until > Date.now()) return known.admin;
    try {
      const { user } = await this.client.users.info({ user: userId });
      const admin = Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
      this.#known.set(userId, { admin, until: Date.now() + ADMIN_CACHE_MS });
      return admin;
    } catch (error) {
      // Unknown is not admin: the router then refuses with its usual words.
      log.warn({ err: error, user: userId }, "could not look up whether a Slack user is an admin");
      return false;
    }
  }

  #needsAdmin(line: string): boolean {
    const words = splitWords(line).map((word) => word.value.toLowerCase());
    const name = words[0]?.replace(/^\//, "");
    const command = this.router.commands.find((candidate) => candidate.name === name);
    if (!command) return false;
    if (commandRequires(command, "admin")) return true;
    const subcommand = this.router.findSubcommand(command.name, words.slice(1, 3));
    return subcommand !== undefined && requires(subcommand, "admin");
  }
}
