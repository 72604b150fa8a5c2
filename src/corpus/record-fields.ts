import { z } from "zod";

/** Field schemas shared by the JSON record formats. `null` counts as absent: exporters write it for gaps. */

export const isoDate = z
  .string()
  .trim()
  .refine((value) => !Number.isNaN(Date.parse(value)), "not a date")
  .transform((value) => new Date(value).toISOString());

// Only web links: the url becomes a button in chat, where javascript: or file: links have no business.
export const webUrl = z.url({ protocol: /^https?$/, message: "not an http(s) link" });

export const count = z.number().int().nonnegative();

/** A position in a ranked list: 1 is the top. */
export const position = z.number().int().positive();

export const authorList = z.array(z.union([z.string(), z.object({ name: z.string() })]));

export function authorNames(authors: z.infer<typeof authorList> | null | undefined): string[] {
  return (authors ?? []).map((author) => (typeof author === "string" ? author : author.name));
}

/**
 * arXiv categories: a list of codes, or one string of them separated by spaces or commas, as arXiv's
 * metadata exports write them ("cs.CL cs.LG"). The codes themselves are checked when the paper is built.
 */
export const categoryList = z.union([z.array(z.string()), z.string()], "must be a list of category codes");

export function categoryCodes(
  categories: z.infer<typeof categoryList> | null | undefined,
): string[] | undefined {
  if (categories === null || categories === undefined) return undefined;
  return typeof categories === "string" ? splitCategoryCodes(categories) : categories;
}

export function splitCategoryCodes(text: string): string[] {
  return text.split(/[\s,]+/).filter((code) => code !== "");
}

/** `null` becomes `undefined` so optional Paper fields stay absent rather than null. */
export function orUndefined<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

/** One line for a warning: where in the record the first problem is, and what it is. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "invalid record";
  const where = issue.path.length === 0 ? "" : `${issue.path.join(".")}: `;
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : "";
  return `${where}${issue.message}${more}`;
}
