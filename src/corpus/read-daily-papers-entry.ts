import { z } from "zod";
import type { RawPaper } from "./build-paper.ts";
import { arxivIdOf } from "./paper-id.ts";
import { authorList, authorNames, count, describeIssues, isoDate, orUndefined } from "./record-fields.ts";

/**
 * One entry of the Hugging Face `daily_papers` API response: the paper itself under `paper`, and the
 * day it was featured as the entry's own `publishedAt`.
 */
const dailyPapersEntry = z.object({
  paper: z.object({
    id: z.string("paper.id must be a string"),
    title: z.string().nullish(),
    summary: z.string().nullish(),
    authors: authorList.nullish(),
    publishedAt: isoDate.nullish(),
    upvotes: count.nullish(),
  }),
  // The entry repeats title and summary at the top level; used when the nested copy is missing.
  title: z.string().nullish(),
  summary: z.string().nullish(),
  publishedAt: isoDate.nullish(),
  numComments: count.nullish(),
});

/** True for values shaped like a daily_papers entry (an object with a `paper` object), valid or not. */
export function isDailyPapersEntry(value: unknown): boolean {
  if (typeof value !== "object" || value === null || !("paper" in value)) return false;
  return typeof value.paper === "object" && value.paper !== null;
}

export function readDailyPapersEntry(value: unknown): RawPaper | { problem: string } {
  const parsed = dailyPapersEntry.safeParse(value);
  if (!parsed.success) return { problem: describeIssues(parsed.error) };
  const { paper, ...entry } = parsed.data;
  const title = paper.title ?? entry.title;
  const summary = paper.summary ?? entry.summary;
  if (title === null || title === undefined) return { problem: "paper.title: missing" };
  if (summary === null || summary === undefined) return { problem: "paper.summary: missing" };
  const arxiv = arxivIdOf(paper.id);
  return {
    id: paper.id,
    title,
    abstract: summary,
    authors: authorNames(paper.authors),
    url: arxiv === undefined ? undefined : `https://huggingface.co/papers/${arxiv}`,
    pdfUrl: arxiv === undefined ? undefined : `https://arxiv.org/pdf/${arxiv}`,
    publishedAt: orUndefined(paper.publishedAt),
    featuredAt: orUndefined(entry.publishedAt),
    upvotes: orUndefined(paper.upvotes),
    comments: orUndefined(entry.numComments),
  };
}
