import { type Client, Events } from "discord.js";
import { log } from "../../log.ts";

/** How Discord writes a permission set: the bits as a decimal integer in a string. */
const PERMISSION_BITS = /^\d{1,40}$/;

/**
 * discord.js reads an interaction's permission fields while it builds the interaction, inside its
 * gateway listener, where an exception cannot be caught and ends the process. A field it cannot
 * read (anything but Discord's decimal string) is therefore set to "0" before discord.js sees the
 * packet: the member has no rights, so an admin command gets the answer a member without rights
 * gets, and the bot keeps running. The `raw` event carries the packet object discord.js parses
 * next, which is what makes this possible.
 */
export function readUnreadablePermissionsAsNone(client: Client): void {
  client.on(Events.Raw, (packet: { t?: unknown; d?: unknown }) => {
    if (packet.t !== "INTERACTION_CREATE" || typeof packet.d !== "object" || packet.d === null) return;
    const interaction = packet.d as { id?: unknown; app_permissions?: unknown; member?: unknown };
    const member = interaction.member as { permissions?: unknown } | null | undefined;
    const repaired: string[] = [];
    if (typeof member === "object" && member !== null && unreadable(member.permissions)) {
      member.permissions = "0";
      repaired.push("member.permissions");
    }
    if (unreadable(interaction.app_permissions)) {
      interaction.app_permissions = "0";
      repaired.push("app_permissions");
    }
    if (repaired.length > 0)
      log.warn(
        { interaction: String(interaction.id), fields: repaired },
        "unreadable permission field read as none",
      );
  });
}

function unreadable(field: unknown): boolean {
  return field !== undefined && field !== null && !(typeof field === "string" && PERMISSION_BITS.test(field));
}
