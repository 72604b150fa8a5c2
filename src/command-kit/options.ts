import { z } from "zod";
import { isValidTimeZone } from "../core/time-zone.ts";

/**
 * Builders for command options. Each returns a zod schema whose messages already read well in
 * chat ("must be a whole number from 1 to 10"), and whose metadata tells platforms how to
 * register it (Discord option types, autocomplete) and the text parser how to bind it.
 */

export interface OptionMeta {
  readonly description: string;
  /** Takes the rest of the command line: `/papers search kv cache` binds "kv cache". */
  readonly greedy?: boolean;
  /** Keep quotes in the value, because the handler reads them (search phrases). */
  readonly keepQuotes?: boolean;
  /** A channel reference: a Discord channel option, a Slack `#channel`, the console's channel name. */
  readonly channel?: boolean;
  /** Platforms that can suggest values (Discord autocomplete) ask the command's `suggest`. */
  readonly autocomplete?: boolean;
  /** Shown in usage text instead of the option name, e.g. `HH:MM`. */
  readonly placeholder?: string;
}

function withMeta<T extends z.ZodType>(schema: T, meta: OptionMeta): T {
  return schema.meta({ ...meta }) as T;
}

export function text(meta: OptionMeta & { readonly maxLength?: number }) {
  const max = meta.maxLength ?? 300;
  return withMeta(
    z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`),
    meta,
  );
}

export function wholeNumber(meta: OptionMeta & { readonly min: number; readonly max: number }) {
  const message = `must be a whole number from ${meta.min} to ${meta.max}`;
  const { min, max, ...rest } = meta;
  return withMeta(z.coerce.number({ message }).int(message).min(min, message).max(max, message), rest);
}

export function timeOfDay(meta: OptionMeta) {
  return withMeta(
    z
      .string()
      .trim()
      .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, "must be a 24-hour time such as 09:00 or 17:30")
      .transform((value) => value.padStart(5, "0")),
    { placeholder: "HH:MM", ...meta },
  );
}

export function timeZone(meta: OptionMeta) {
  return withMeta(
    z
      .string()
      .trim()
      .refine(isValidTimeZone, "must be an IANA time zone such as UTC, Europe/Berlin or America/New_York"),
    { placeholder: "Area/City", ...meta },
  );
}

export function channelRef(meta: OptionMeta) {
  return withMeta(
    z.string().trim().min(1, "must name a channel").max(100, "must be a channel name or mention"),
    { ...meta, channel: true },
  );
}

export function paperId(meta: OptionMeta) {
  return withMeta(
    z
      .string()
      .trim()
      .regex(/^[\w.-]{1,64}$/, "must be a paper id such as 2407.12345 or t-1a2b3c4d5e6f"),
    { placeholder: "id", ...meta },
  );
}

/** One of fixed words, offered as choices where the platform can (Discord), e.g. `up|down|clear`. */
export function choice<const T extends readonly [string, ...string[]]>(meta: OptionMeta, values: T) {
  return withMeta(z.enum(values, { message: `must be one of ${values.join(", ")}` }), {
    placeholder: values.join("|"),
    ...meta,
  });
}
