import { z } from "zod";
import type { RawPaper } from "./build-paper.ts";
import {
  authorList,
  authorNames,
  count,
  describeIssues,
  isoDate,
  orUndefined,
  webUrl,
} from "./record-fields.ts";

/** Our own record format, one per JSON array element or JSONL line. `summary` is accepted for `abstract`. */
const ownRecord = z
  .object({
    // Whole numbers only: a float such as 2507.09080 would lose digits and pass for another arXiv id.
    id: z.union([z.string(), z.number().int()]).nullish(),
    title: z.string("title must be a string"),
    abstract: z.string().nullish(),
    summary: z.string().nullish(),
    authors: authorList.nullish(),
    url: webUrl.nullish(),
    pdfUrl: webUrl.nullish(),
    publishedAt: isoDate.nullish(),
    featuredAt: isoDate.nullish(),
    upvotes: count.nullish(),
    comments: count.nullish(),
  })
  .refine((record) => (record.abstract ?? record.summary ?? "").trim() !== "", {
    message: "has no abstract (or summary)",
    path: ["abstract"],
  });

export function readOwnRecord(value: unknown): RawPaper | { problem: string } {
  const parsed = ownRecord.safeParse(value);
  if (!parsed.success) return { problem: describeIssues(parsed.error) };
  const record = parsed.data;
  return {
    id: record.id === null || record.id === undefined ? undefined : String(record.id),
    title: record.title,
    abstract: record.abstract ?? record.summary ?? "",
    authors: authorNames(record.authors),
    url: orUndefined(record.url),
    pdfUrl: orUndefined(record.pdfUrl),
    publishedAt: orUndefined(record.publishedAt),
    featuredAt: orUndefined(record.featuredAt),
    upvotes: orUndefined(record.upvotes),
    comments: orUndefined(record.comments),
  };
}
