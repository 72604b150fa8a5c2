import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPutAPIApplicationCommandsJSONBody,
} from "discord.js";
import {
  type CommandDefinition,
  commandRequires,
  requires,
  type Subcommand,
} from "../../command-kit/define.ts";
import { type OptionSpec, optionSpecs } from "../../command-kit/option-specs.ts";
import { truncateAtWord } from "../../core/text.ts";

/** Discord's caps on command data; longer text is rejected at registration, so it is cut here. */
const DESCRIPTION_MAX = 100;
const CHOICES_MAX = 25;

const describe = (text: string) => truncateAtWord(text, DESCRIPTION_MAX);

function optionJson(spec: OptionSpec): APIApplicationCommandBasicOption {
  const base = { name: spec.name, description: describe(spec.description), required: spec.required };
  if (spec.channel) {
    // Digests go to text and announcement channels only, so the picker offers nothing else.
    return {
      ...base,
      type: ApplicationCommandOptionType.Channel,
      channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
    };
  }
  if (spec.type === "boolean") return { ...base, type: ApplicationCommandOptionType.Boolean };
  if (spec.type === "integer" || spec.type === "number") {
    const range = {
      ...(spec.min !== undefined && { min_value: spec.min }),
      ...(spec.max !== undefined && { max_value: spec.max }),
    };
    return spec.type === "integer"
      ? { ...base, ...range, type: ApplicationCommandOptionType.Integer }
      : { ...base, ...range, type: ApplicationCommandOptionType.Number };
  }
  const choices = spec.choices?.slice(0, CHOICES_MAX).map((choice) => ({ name: choice, value: choice }));
  return {
    ...base,
    type: ApplicationCommandOptionType.String,
    ...(spec.maxLength !== undefined && { max_length: Math.min(spec.maxLength, 6000) }),
    // Discord refuses choices and autocomplete together; fixed choices win.
    ...(choices ? { choices } : spec.autocomplete ? { autocomplete: true } : {}),
  };
}

/**
 * What a subcommand that shares its name with a group is called inside that group: Discord lets a
 * name be a group or a subcommand, not both, so typed `/digest list` is `/digest list show` there.
 * The router finds it all the same: a path it does not know as two words it reads by its first.
 */
export const GROUP_OWN_SUBCOMMAND = "show";

function subcommandJson(subcommand: Subcommand, name?: string): APIApplicationCommandSubcommandOption {
  // Required options must come first in Discord's list.
  const specs = [...optionSpecs(subcommand.options)].sort((a, b) => Number(b.required) - Number(a.required));
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: name ?? (subcommand.path[subcommand.path.length - 1] as string),
    description: describe(subcommand.description),
    options: specs.map(optionJson),
  };
}

/**
 * `/digest topics add|remove|clear`: a group has no description of its own, so it lists its members;
 * `own` is the one-word subcommand of the group's name, registered first in it as `show`.
 */
function groupJson(
  name: string,
  members: readonly Subcommand[],
  own: Subcommand | undefined,
): APIApplicationCommandSubcommandGroupOption {
  const names = [...(own ? [GROUP_OWN_SUBCOMMAND] : []), ...members.map((member) => member.path[1])].join(
    ", ",
  );
  return {
    type: ApplicationCommandOptionType.SubcommandGroup,
    name,
    description: describe(own?.description ?? `${name[0]?.toUpperCase()}${name.slice(1)}: ${names}`),
    options: [
      ...(own ? [subcommandJson(own, GROUP_OWN_SUBCOMMAND)] : []),
      ...members.map((member) => subcommandJson(member)),
    ],
  };
}

/**
 * The application commands to register, built from the same definitions the router runs, so a
 * new subcommand or option appears on Discord without being written twice. Discord registers
 * permissions and DM availability per command: a command whose every subcommand requires `admin`
 * gets Manage Server as its default permission, and one whose every subcommand requires `admin` or
 * `channel` is offered in servers only. The router still checks every run (preconditions.ts),
 * because server admins can override command permissions.
 */
export function commandsJson(commands: readonly CommandDefinition[]): RESTPutAPIApplicationCommandsJSONBody {
  return commands.map((command) => {
    const options: (APIApplicationCommandSubcommandOption | APIApplicationCommandSubcommandGroupOption)[] =
      [];
    const groups = new Map<string, Subcommand[]>();
    const groupNames = new Set(
      command.subcommands.flatMap((sub) => (sub.path.length === 2 ? [sub.path[0]] : [])),
    );
    const own = new Map<string, Subcommand>();
    for (const subcommand of command.subcommands) {
      if (subcommand.path.length === 1 && groupNames.has(subcommand.path[0])) {
        own.set(subcommand.path[0], subcommand);
        continue;
      }
      if (subcommand.path.length === 1) {
        options.push(subcommandJson(subcommand));
        continue;
      }
      const [group] = subcommand.path;
      const members = groups.get(group) ?? [];
      if (members.length === 0) {
        groups.set(group, members);
        // Placeholder keeps the group where its first member was defined; filled in below.
        options.push({ type: ApplicationCommandOptionType.SubcommandGroup, name: group, description: group });
      }
      members.push(subcommand);
    }
    const admin = commandRequires(command, "admin");
    // Offered in DMs only when some subcommand works there: each needs an admin or a channel otherwise.
    const serversOnly = command.subcommands.every(
      (sub) => requires(sub, "admin") || requires(sub, "channel"),
    );
    return {
      type: ApplicationCommandType.ChatInput,
      name: command.name,
      description: describe(command.description),
      options: options.map((option) =>
        option.type === ApplicationCommandOptionType.SubcommandGroup
          ? groupJson(option.name, groups.get(option.name) ?? [], own.get(option.name))
          : option,
      ),
      default_member_permissions: admin ? PermissionFlagsBits.ManageGuild.toString() : null,
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: serversOnly
        ? [InteractionContextType.Guild]
        : [InteractionContextType.Guild, InteractionContextType.BotDM],
    };
  });
}
