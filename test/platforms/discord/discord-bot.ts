import { loadConfig } from "../../../src/config.ts";
import { allShards, type DiscordPlatform, startDiscord } from "../../../src/platforms/discord/index.ts";
import { FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { EVERYONE_PERMISSIONS, type FakeUser, PERMISSIONS } from "../../fakes/discord/payloads.ts";
import { startTestApp, type TestApp } from "../../support/test-app.ts";

export const ada: FakeUser = { id: "1400000000000000001", username: "ada" };
export const grace: FakeUser = { id: "1400000000000000002", username: "grace" };
/** A server admin by Manage Server. */
export const admin: FakeUser = { id: "1400000000000000009", username: "admin" };
export const ADMIN_PERMISSIONS = EVERYONE_PERMISSIONS | PERMISSIONS.manageGuild;

export interface DiscordBot {
  readonly fake: FakeDiscord;
  readonly bot: TestApp;
  readonly discord: DiscordPlatform;
  close(): Promise<void>;
}

/**
 * The real core and the real discord.js client, connected to a fresh fake Discord on loopback;
 * with `shards`, that many gateway shards in the one client (all identifying at once).
 */
export async function startDiscordBot(
  options: {
    now?: () => Date;
    deferAfterMs?: number;
    heartbeatIntervalMs?: number;
    guildId?: string;
    shards?: number;
    /** Called with the fake before the bot connects (guilds to add, say). */
    prepare?: (fake: FakeDiscord) => void;
    /** More of the bot's environment (another CORPUS, say). */
    env?: Record<string, string>;
  } = {},
): Promise<DiscordBot> {
  const fake = await FakeDiscord.start({
    ...(options.heartbeatIntervalMs !== undefined && { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    ...(options.shards !== undefined && { shards: options.shards, maxConcurrency: options.shards }),
  });
  options.prepare?.(fake);
  const env = {
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    ...(options.guildId !== undefined && { DISCORD_GUILD_ID: options.guildId }),
    ...options.env,
  };
  const bot = await startTestApp({ env, ...(options.now && { now: options.now }) });
  try {
    const discord = await startDiscord(bot.app, loadConfig({ ...env, CORPUS_WATCH: "false" }), {
      ...(options.deferAfterMs !== undefined && { deferAfterMs: options.deferAfterMs }),
      ...(options.shards !== undefined && { shards: allShards(options.shards) }),
    });
    return {
      fake,
      bot,
      discord,
      async close() {
        await discord.stop();
        await bot.close();
        await fake.close();
      },
    };
  } catch (error) {
    await bot.close();
    await fake.close();
    throw error;
  }
}

/** The text a user reads in an answer: content plus every embed's title, description and footer. */
export function readable(data: Record<string, unknown>): string {
  const embeds = (data.embeds ?? []) as {
    title?: string;
    description?: string;
    footer?: { text?: string };
  }[];
  return [
    String(data.content ?? ""),
    ...embeds.flatMap((embed) => [embed.title, embed.description, embed.footer?.text]),
  ]
    .filter(Boolean)
    .join("\n");
}

interface ComponentJson {
  readonly type: number;
  readonly label: string;
  readonly custom_id: string;
  readonly placeholder?: string;
  readonly options?: { label: string; value: string }[];
}

function componentsOf(data: Record<string, unknown>): ComponentJson[] {
  const rows = (data.components ?? []) as { components: ComponentJson[] }[];
  return rows.flatMap((row) => row.components);
}

/** The paper ids of a message's cards, read from each embed's footer ("… · id 2112.05682"), in order. */
export function paperIdsOf(data: Record<string, unknown>): string[] {
  return (data.embeds as { footer: { text: string } }[]).map((embed) =>
    embed.footer.text.replace(/^.*id /, ""),
  );
}

/** The buttons of a message (component type 2), in order. */
export function buttonsOf(data: Record<string, unknown>): { label: string; custom_id: string }[] {
  return componentsOf(data).filter((component) => component.type === 2);
}

/** The string-select menus of a message (component type 3), in order. */
export function menusOf(
  data: Record<string, unknown>,
): { custom_id: string; placeholder: string; options: { label: string; value: string }[] }[] {
  return componentsOf(data)
    .filter((component) => component.type === 3)
    .map((menu) => ({
      custom_id: menu.custom_id,
      placeholder: menu.placeholder ?? "",
      options: menu.options ?? [],
    }));
}

export const EPHEMERAL = 1 << 6;
