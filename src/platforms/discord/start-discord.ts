import { Events } from "discord.js";
import type { App } from "../../app.ts";
import { cardActionsOf } from "../../command-kit/card-actions.ts";
import type { Config } from "../../config.ts";
import type { Message } from "../../core/message.ts";
import { log } from "../../log.ts";
import type { RunningPlatform } from "../contract.ts";
import { ButtonIds } from "./button-ids.ts";
import { DiscordChannelAccess } from "./channel-access.ts";
import { connect } from "./connect.ts";
import { discordThreads } from "./discord-threads.ts";
import { discordDmChannels } from "./dm-channels.ts";
import { findDiscordDelivery } from "./find-delivery.ts";
import { handleInteraction } from "./handle-interaction.ts";
import { registerCommands } from "./register-commands.ts";
import { renderMessage } from "./render-message.ts";
import { createDiscordSender, DISCORD_NONCE_WINDOW_MS } from "./sender.ts";
import type { DiscordShards } from "./shards.ts";
import { DiscordStartError } from "./start-error.ts";

export interface DiscordPlatform extends RunningPlatform {
  /** The bot's application (and user) id, once connected. */
  readonly applicationId: string;
}

/**
 * Connects the bot, registers /papers and /digest, delivers the outbox's `discord:` targets and
 * answers interactions. Throws DiscordStartError (one line) when Discord refuses the token or
 * cannot be reached.
 */
export async function startDiscord(
  app: App,
  config: Config,
  options: {
    readonly deferAfterMs?: number;
    /** The bot's global REST limit: 50 requests/s unless Discord raised it (large bots); discord.js paces to it. */
    readonly globalRequestsPerSecond?: number;
    /** The gateway shards to run in this one client; unset, one shard (or those the sharding manager set). */
    readonly shards?: DiscordShards;
  } = {},
): Promise<DiscordPlatform> {
  if (!config.DISCORD_TOKEN) throw new DiscordStartError("DISCORD_TOKEN is not set");
  const client = await connect({
    token: config.DISCORD_TOKEN,
    ...(config.DISCORD_API_URL !== undefined && { apiUrl: config.DISCORD_API_URL }),
    ...(options.shards && { shards: options.shards }),
  });
  // discord.js reads the limit afresh for each one-second window, so this holds for every send from here on.
  if (options.globalRequestsPerSecond !== undefined)
    client.rest.options.globalRequestsPerSecond = options.globalRequestsPerSecond;
  const applicationId = client.application.id;
  const buttonIds = new ButtonIds();
  const cardActions = cardActionsOf(app.router);
  const render = (message: Message) => renderMessage(message, { buttonIds, cardActions });
  // Cards posted in a channel also carry Discuss, which opens the paper's thread beside the post.
  const postCardActions = cardActionsOf(app.router, { channelPost: true });
  const renderPost = (message: Message) =>
    renderMessage(message, { buttonIds, cardActions: postCardActions });
  const threads = discordThreads(client, render);

  // One DM cache for both: a topic alert is looked for in the DM it was sent to.
  const dmChannels = discordDmChannels(client.rest);
  app.outbox.register("discord", createDiscordSender(client.rest, { render, renderPost }, dmChannels), {
    idempotentForMs: DISCORD_NONCE_WINDOW_MS,
    find: findDiscordDelivery(client.rest, client.user.id, { dmChannels }),
    threads,
  });
  const deps = {
    router: app.router,
    services: app.services,
    buttonIds,
    render,
    channels: new DiscordChannelAccess(client),
    threads,
    ...(options.deferAfterMs !== undefined && { deferAfterMs: options.deferAfterMs }),
  };
  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, deps));
  client.on(Events.Error, (error) => log.error({ err: error }, "discord client error"));
  client.on(Events.ShardResume, (shard, replayed) =>
    log.info({ shard, replayed }, "discord gateway resumed"),
  );
  // Handlers first, registration second: a command typed the moment it appears is not lost.
  // Commands belong to the application, not to a shard: of a sharded bot, shard 0's process registers them.
  // (Once connected, discord.js holds the ids of this client's shards as a list.)
  const shardIds = client.options.shards;
  if (typeof shardIds !== "object" || shardIds.includes(0)) {
    try {
      const count = await registerCommands(
        client.rest,
        applicationId,
        app.router.commands,
        config.DISCORD_GUILD_ID,
      );
      log.info(
        { commands: count, guild: config.DISCORD_GUILD_ID ?? "global" },
        "discord commands registered",
      );
    } catch (error) {
      // The commands registered last time still work; the bot is more use running than stopped.
      log.error({ err: error }, "could not register Discord commands; keeping the ones registered before");
    }
  }

  log.info(
    { user: client.user.tag, guilds: client.guilds.cache.size, shardsConnected: client.ws.shards.size },
    "discord connected",
  );

  return {
    applicationId,
    async stop() {
      client.removeAllListeners();
      await client.destroy();
    },
  };
}
