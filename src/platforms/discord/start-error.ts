/**
 * A Discord start-up failure the user can fix, worded as one line (main.ts prints it without a
 * stack). Its own module, free of discord.js, so main.ts can recognise it without loading the SDK.
 */
export class DiscordStartError extends Error {
  override readonly name = "DiscordStartError";
}
