import { randomBytes } from "node:crypto";
import {
  channelJson,
  EVERYONE_PERMISSIONS,
  type FakeChannel,
  type FakeGuild,
  type FakeUser,
  memberJson,
  PERMISSIONS,
  userJson,
} from "./payloads.ts";

/** A channel option is given as `{ channel: id }`; everything else by its JSON value. */
export type OptionValue = string | number | boolean | { readonly channel: string };

/** Who interacts, where: a member of a guild channel, or a user in a DM with the bot. */
export interface InteractionPlace {
  readonly user: FakeUser;
  /** Absent: a direct message with the bot. */
  readonly guild?: FakeGuild;
  readonly channel?: FakeChannel;
  /** The member's computed permissions in the channel, as Discord sends them (default: @everyone's). */
  readonly permissions?: bigint;
}

export interface InteractionEnvelope {
  readonly id: string;
  readonly token: string;
  readonly payload: Record<string, unknown>;
}

/** Discord's epoch, the first second of 2015: a snowflake's top bits are milliseconds since it. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;

let lastMs = 0;
let increment = 0;
/**
 * A new snowflake as Discord makes them: the time now in its top 42 bits, an increment in the
 * low 12, so ids grow with time, never repeat, and `after`/`before` a time's snowflake mean what they do on Discord.
 */
export function nextSnowflake(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    increment = 0;
  } else if (++increment > 0xfff) {
    lastMs++;
    increment = 0;
  }
  return ((BigInt(lastMs - DISCORD_EPOCH_MS) << 22n) | BigInt(increment)).toString();
}

function optionType(value: OptionValue): number {
  if (typeof value === "object") return 7;
  if (typeof value === "boolean") return 5;
  if (typeof value === "number") return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function optionsJson(options: Readonly<Record<string, OptionValue>>, focused?: string) {
  return Object.entries(options).map(([name, value]) => ({
    name,
    type: optionType(value),
    value: typeof value === "object" ? value.channel : value,
    ...(name === focused && { focused: true }),
  }));
}

function envelope(
  applicationId: string,
  type: number,
  place: InteractionPlace,
  data: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): InteractionEnvelope {
  const id = nextSnowflake();
  const token = `aW50ZXJhY3Rpb24${randomBytes(24).toString("base64url")}`;
  const dmChannel = { id: `dm-${place.user.id}`, type: 1, recipients: [userJson(place.user)] };
  const where = place.guild
    ? {
        guild_id: place.guild.id,
        channel_id: place.channel?.id,
        channel: place.channel && channelJson(place.channel, place.guild.id),
        member: memberJson(place.user, place.permissions ?? EVERYONE_PERMISSIONS),
        guild_locale: "en-US",
        context: 0,
      }
    : { channel_id: dmChannel.id, channel: dmChannel, user: userJson(place.user), context: 1 };
  const payload = {
    id,
    application_id: applicationId,
    type,
    token,
    version: 1,
    locale: "en-US",
    app_permissions: (EVERYONE_PERMISSIONS | PERMISSIONS.embedLinks).toString(),
    // discord.js 14 reads both unconditionally; an interaction without them throws inside the client.
    entitlements: [],
    authorizing_integration_owners: {},
    attachment_size_limit: 10_485_760,
    ...where,
    data,
    ...extra,
  };
  return { id, token, payload };
}

export interface CommandInvocation {
  readonly command: string;
  /** `["search"]`, or `["topics", "add"]` for a subcommand in a group. */
  readonly path: readonly string[];
  readonly options?: Readonly<Record<string, OptionValue>>;
}

function commandData(invocation: CommandInvocation, focused?: string) {
  const leaf = {
    type: 1,
    name: invocation.path[invocation.path.length - 1],
    options: optionsJson(invocation.options ?? {}, focused),
  };
  const options =
    invocation.path.length === 2 ? [{ type: 2, name: invocation.path[0], options: [leaf] }] : [leaf];
  return { id: nextSnowflake(), name: invocation.command, type: 1, options };
}

export function chatInputInteraction(
  applicationId: string,
  place: InteractionPlace,
  invocation: CommandInvocation,
): InteractionEnvelope {
  return envelope(applicationId, 2, place, commandData(invocation));
}

export function autocompleteInteraction(
  applicationId: string,
  place: InteractionPlace,
  invocation: CommandInvocation & { readonly focused: string },
): InteractionEnvelope {
  return envelope(applicationId, 4, place, commandData(invocation, invocation.focused));
}

/** A press on a button of `message` (a message object as the fake returned it). */
export function buttonInteraction(
  applicationId: string,
  place: InteractionPlace,
  customId: string,
  message: Record<string, unknown>,
): InteractionEnvelope {
  return envelope(applicationId, 3, place, { custom_id: customId, component_type: 2 }, { message });
}

/** A choice of `value` in the string-select menu `customId` of `message`. */
export function selectInteraction(
  applicationId: string,
  place: InteractionPlace,
  customId: string,
  value: string,
  message: Record<string, unknown>,
): InteractionEnvelope {
  return envelope(
    applicationId,
    3,
    place,
    { custom_id: customId, component_type: 3, values: [value] },
    { message },
  );
}
