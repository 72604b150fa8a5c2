export { DiscordStartError } from "./connect.ts";
export { type DiscordPlatform, startDiscord } from "./start-discord.ts";
