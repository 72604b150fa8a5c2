import { once } from "node:events";
import { Client, Events, GatewayIntentBits } from "discord.js";
import { readUnreadablePermissionsAsNone } from "./permission-fields.ts";
import type { DiscordShards } from "./shards.ts";
import { DiscordStartError } from "./start-error.ts";

export interface DiscordConnection {
  readonly token: string;
  /** REST base such as http://127.0.0.1:8080/api; the gateway URL then comes from GET /gateway/bot there. */
  readonly apiUrl?: string;
  /**
   * The gateway shards this client runs, all over one connection manager (discord.js's internal
   * sharding). Unset: one shard, or those the sharding manager's SHARDS and SHARD_COUNT name.
   */
  readonly shards?: DiscordShards;
}

/** The client options shared by the bot and its tests: Guilds only, REST base, no pings ever. */
export function createClient(connection: Pick<DiscordConnection, "apiUrl" | "shards">): Client {
  const { shards } = connection;
  const client = new Client({
    ...(shards && { shards: [...shards.ids], shardCount: shards.count }),
    // Slash commands, buttons and channel/role data need only this; no message content.
    intents: [GatewayIntentBits.Guilds],
    rest: connection.apiUrl ? { api: connection.apiUrl } : {},
    allowedMentions: { parse: [] },
  });
  readUnreadablePermissionsAsNone(client);
  return client;
}

/**
 * Logs in and waits until the client is ready. `clientReady` can fire before `login()` resolves,
 * so the wait starts first. A refused token becomes one clear line, never a stack trace.
 */
export async function connect(connection: DiscordConnection): Promise<Client<true>> {
  const client = createClient(connection);
  const ready = once(client, Events.ClientReady);
  try {
    await Promise.all([ready, client.login(connection.token)]);
    return client as Client<true>;
  } catch (error) {
    await client.destroy();
    throw startError(error, connection.apiUrl);
  }
}

export function startError(error: unknown, apiUrl: string | undefined): DiscordStartError {
  const code = (error as { code?: unknown }).code;
  const status = (error as { status?: unknown }).status;
  if (code === "TokenInvalid" || status === 401 || /Authentication failed/.test(String(error))) {
    return new DiscordStartError(
      "DISCORD_TOKEN was refused by Discord (401 Unauthorized): copy the bot token again from the Developer Portal (Bot → Reset Token).",
    );
  }
  const where = apiUrl ?? "discord.com";
  const reason = error instanceof Error ? error.message : String(error);
  return new DiscordStartError(`could not connect to Discord at ${where}: ${reason}`);
}
