import { z } from "zod";
import type { OptionMeta } from "./options.ts";

/**
 * A command's options as plain data, read from its zod schema: what Discord registration, the
 * text parser, usage lines and help all need, so none of them repeats the definitions.
 */
export interface OptionSpec extends OptionMeta {
  readonly name: string;
  readonly type: "string" | "integer" | "number" | "boolean";
  readonly required: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly maxLength?: number;
  readonly choices?: readonly string[];
}

interface JsonProperty {
  type?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  enum?: unknown[];
  greedy?: boolean;
  keepQuotes?: boolean;
  channel?: boolean;
  autocomplete?: boolean;
  placeholder?: string;
}

const cache = new WeakMap<z.ZodObject, readonly OptionSpec[]>();

export function optionSpecs(schema: z.ZodObject): readonly OptionSpec[] {
  const cached = cache.get(schema);
  if (cached) return cached;
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonProperty>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  const specs = Object.entries(json.properties ?? {}).map(([name, property]): OptionSpec => {
    const type =
      property.type === "integer" || property.type === "number" || property.type === "boolean"
        ? property.type
        : "string";
    return {
      name,
      type,
      required: required.has(name),
      description: property.description ?? name,
      ...(property.minimum !== undefined && { min: property.minimum }),
      ...(property.maximum !== undefined && { max: property.maximum }),
      ...(property.maxLength !== undefined && { maxLength: property.maxLength }),
      ...(property.enum && { choices: property.enum.map(String) }),
      ...(property.greedy && { greedy: true }),
      ...(property.keepQuotes && { keepQuotes: true }),
      ...(property.channel && { channel: true }),
      ...(property.autocomplete && { autocomplete: true }),
      ...(property.placeholder && { placeholder: property.placeholder }),
    };
  });
  cache.set(schema, specs);
  return specs;
}

/** `<query> [limit:1-10]`: how an option is written on a command line. */
export function optionUsage(spec: OptionSpec): string {
  const shape =
    spec.choices?.join("|") ??
    (spec.min !== undefined && spec.max !== undefined
      ? `${spec.min}-${spec.max}`
      : (spec.placeholder ?? spec.name));
  if (spec.required) return `<${shape}>`;
  return spec.greedy ? `[${shape}]` : `[${spec.name}:${shape}]`;
}
