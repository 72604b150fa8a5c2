import { describe, expect, it } from "vitest";
import { readArxivFeed } from "../../../src/corpus/read-arxiv-feed.ts";
import { splitFeedSteps } from "../../../src/corpus/split-feed.ts";
import { runSteps } from "../../../src/runtime/steps.ts";
import { arxivAtom, arxivRdf, arxivRss, type FeedPaper } from "../../fakes/paper-feeds/feed-fixtures.ts";

const papers: FeedPaper[] = Array.from({ length: 40 }, (_, i) => ({
  id: `2507.${String(10_000 + i)}`,
  title: `Paper number ${i} on retrieval & caching`,
  abstract: `We study case ${i}. It has <b>markup</b>-like text, an ampersand & and a second sentence.`,
  authors: [`Ada Lovelace ${i}`, "Alan Turing"],
}));

const feeds = { atom: arxivAtom(papers), rss: arxivRss(papers), rdf: arxivRdf(papers) };

/** A DOCTYPE may declare entities an entry uses, so the reader does not cut such a feed: the whole-document path. */
const wholeDocument = (feed: string) =>
  feed.replace(/^(<\?xml[^>]*\?>\s*)?/, (prolog) => `${prolog}<!DOCTYPE x>\n`);

describe("reading an arXiv feed entry by entry", () => {
  for (const [format, feed] of Object.entries(feeds)) {
    it(`cuts the ${format} feed into its entries and reads the same papers as the whole document`, () => {
      const split = runSteps(splitFeedSteps(feed));
      expect(split?.entries).toHaveLength(papers.length);
      expect(runSteps(splitFeedSteps(wholeDocument(feed)))).toBeUndefined();

      const byEntries = readArxivFeed(feed);
      const whole = readArxivFeed(wholeDocument(feed));
      expect(byEntries.entries.length).toBe(papers.length);
      expect(byEntries.entries.map((entry) => entry.raw)).toEqual(whole.entries.map((entry) => entry.raw));
      expect(byEntries.entries.map((entry) => entry.line)).toEqual(whole.entries.map((entry) => entry.line));
    });
  }

  it("names the same line for a broken entry either way", () => {
    // The eighth entry's title is closed by the wrong tag.
    const parts = feeds.atom.split("</title>");
    const broken = parts
      .map((part, i) => (i === 0 ? part : `${i === 8 ? "</titel>" : "</title>"}${part}`))
      .join("");
    const messageOf = (feed: string) => {
      try {
        readArxivFeed(feed);
        return "no error";
      } catch (error) {
        return (error as Error).message;
      }
    };
    const entryWise = messageOf(broken);
    expect(entryWise).toMatch(/line \d+/);
    // The DOCTYPE line shifts the whole document's lines by one.
    const shifted = messageOf(wholeDocument(broken)).replace(
      /line (\d+)/g,
      (_, n) => `line ${Number(n) - 1}`,
    );
    expect(entryWise.replace(/col(umn)? \d+/i, "")).toBe(shifted.replace(/col(umn)? \d+/i, ""));
  });
});
