import { type Interaction, PermissionFlagsBits } from "discord.js";
import type { Invoker } from "../contract.ts";

/**
 * Who ran a command, from the interaction Discord signed and sent. Admin means Manage Server or
 * Administrator in the member's permissions as Discord computed them for this channel; command
 * permission overrides set in the server do not make anyone an admin here.
 */
export function invokerFrom(interaction: Interaction): Invoker {
  const inGuild = interaction.inGuild();
  const permissions = inGuild ? interaction.memberPermissions : null;
  const isAdmin =
    permissions !== null &&
    (permissions.has(PermissionFlagsBits.ManageGuild, false) ||
      permissions.has(PermissionFlagsBits.Administrator, false));
  const channel = interaction.channel;
  const channelName = channel && "name" in channel && channel.name ? channel.name : undefined;
  return {
    platform: "discord",
    userId: interaction.user.id,
    userName: interaction.user.username,
    channelId: interaction.channelId ?? "",
    isAdmin,
    isDirectMessage: !inGuild,
    ...(channelName !== undefined && { channelName }),
    ...(inGuild && { guildId: interaction.guildId }),
  };
}
