import { z } from "zod";
import type { RawPaper } from "./build-paper.ts";
import type { RawExtras } from "./clean-extras.ts";
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
    // Enrichment, checked and cleaned when the paper is built: a malformed one drops that field, not the paper.
    ai_summary: z.unknown().optional(),
    githubRepo: z.unknown().optional(),
    githubStars: z.unknown().optional(),
    projectPage: z.unknown().optional(),
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
    extras: extrasOf(paper),
  };
}

/** The paper's enrichment fields, or undefined when it has none of them (most papers of a day have some). */
function extrasOf(paper: {
  ai_summary?: unknown;
  githubRepo?: unknown;
  githubStars?: unknown;
  projectPage?: unknown;
}): RawExtras | undefined {
  const { ai_summary, githubRepo, githubStars, projectPage } = paper;
  if (ai_summary == null && githubRepo == null && projectPage == null) return undefined;
  return {
    tldr: ai_summary,
    tldrBy: "Hugging Face",
    codeUrl: githubRepo,
    codeStars: githubStars,
    projectUrl: projectPage,
  };
}
