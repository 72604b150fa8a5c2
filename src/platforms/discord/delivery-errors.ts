import { DiscordAPIError } from "discord.js";
import { DeliveryError } from "../../digest/delivery-error.ts";

/** Discord JSON error codes that mean "this target will not take messages until someone acts". */
export const DISCORD_ERRORS = {
  unknownChannel: 10003,
  missingAccess: 50001,
  cannotMessageUser: 50007,
  missingPermissions: 50013,
} as const;

/**
 * Translates a failed send into the core's terms: a channel deleted or closed to the bot is
 * "target-gone" (three in a row stop the digest), closed DMs are "dm-closed" (alerts pause).
 * Anything else is returned as is and counts as transient.
 */
export function translateSendError(error: unknown, where: string): unknown {
  if (!(error instanceof DiscordAPIError)) return error;
  switch (error.code) {
    case DISCORD_ERRORS.unknownChannel:
      return new DeliveryError(
        `${where} no longer exists (Discord error 10003)`,
        "target-gone",
        "Run /digest setup in the channel that should get the picks",
      );
    case DISCORD_ERRORS.missingAccess:
      return new DeliveryError(
        `the bot can no longer see ${where} (Discord error 50001)`,
        "target-gone",
        "Give the bot's role View Channel there (channel settings → Permissions)",
      );
    case DISCORD_ERRORS.missingPermissions:
      return new DeliveryError(
        `the bot may not post in ${where} (Discord error 50013)`,
        "target-gone",
        "Give the bot's role Send Messages and Embed Links there (channel settings → Permissions)",
      );
    case DISCORD_ERRORS.cannotMessageUser:
      return new DeliveryError("Discord refused a direct message to this user (error 50007)", "dm-closed");
    default:
      return error;
  }
}
