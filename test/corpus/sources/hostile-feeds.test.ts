import path from "node:path";
import { describe, expect, it } from "vitest";
import { NamePool } from "../../../src/corpus/build-paper.ts";
import { loadCorpus } from "../../../src/corpus/index.ts";
import { readSourceBodySteps, SourceBodyError } from "../../../src/corpus/sources/read-source-body.ts";
import { runSteps } from "../../../src/runtime/steps.ts";
import { arxivAtom } from "../../fakes/paper-feeds/feed-fixtures.ts";
import { seedText, tempCorpus } from "../temp-corpus.ts";
import { ABSTRACT, feedServer, testSources } from "./source-setup.ts";

const ATOM_OPEN = '<?xml version="1.0"?>\n';
const FEED = '<feed xmlns="http://www.w3.org/2005/Atom">';

function atomEntry(title: string): string {
  return `<entry><id>http://arxiv.org/abs/2501.00001v1</id><title>${title}</title><summary>${ABSTRACT}</summary></entry>`;
}

/** An XML body as a remote source would send it. */
function body(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function read(text: string) {
  return runSteps(readSourceBodySteps(body(text), "https://feeds.example/x", new NamePool()));
}

const externalEntity = `${ATOM_OPEN}<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n${FEED}${atomEntry("A &x; title")}</feed>`;

const billionLaughs = `${ATOM_OPEN}<!DOCTYPE feed [
<!ENTITY a "lol">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
${FEED}${atomEntry("&i;")}</feed>`;

describe("XML from a source stays closed to remote tricks", () => {
  it("refuses a body that declares an external entity, and reads nothing from the file it names", () => {
    expect(() => read(externalEntity)).toThrow(SourceBodyError);
    expect(() => read(externalEntity)).toThrow(/external entit/i);
  });

  it("never expands a billion-laughs body: it is refused, or its entities stay unexpanded", () => {
    const before = process.memoryUsage().heapUsed;
    let longest = 0;
    try {
      for (const paper of read(billionLaughs).papers) longest = Math.max(longest, paper.title.length);
    } catch (error) {
      expect(error).toBeInstanceOf(SourceBodyError);
    }
    // Fully expanded, the title would be 3 x 10^8 characters.
    expect(longest).toBeLessThan(10_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("reads a feed with a DOCTYPE that declares no entities", () => {
    const feed = `${ATOM_OPEN}<!DOCTYPE feed>\n${FEED}${atomEntry("A plain title")}</feed>`;
    expect(read(feed).papers.map((paper) => paper.title)).toEqual(["A plain title"]);
  });

  it("refuses a 20 MB single element unparsed, with a one-line error", () => {
    const huge = `${ATOM_OPEN}${FEED}${atomEntry(`Huge ${"x".repeat(20 * 1024 * 1024)}`)}</feed>`;
    expect(() => read(huge)).toThrow(/has an element with over 1 MB of text/);
  });
});

describe("a hostile source at start-up is that source's counted error, never the process's", () => {
  it("starts with the seed file's papers when a source with no cache sends an external entity", async () => {
    const server = await feedServer();
    server.serve("/hostile", { body: externalEntity });
    server.serve("/good", {
      body: arxivAtom([{ id: "2507.09080v1", title: "Good Feed Paper", abstract: ABSTRACT }]),
    });
    const cwd = await tempCorpus({ "papers.txt": seedText([["Seed Paper", ABSTRACT]]) });
    const cacheDir = path.join(cwd, "data", "cache", "sources");
    const sources = testSources(cacheDir);
    const corpus = `papers.txt,${server.url("/hostile")},${server.url("/good")}`;

    const { papers } = await loadCorpus(corpus, { cwd, sources });

    expect(papers.map((paper) => paper.title).sort()).toEqual(["Good Feed Paper", "Seed Paper"]);
    const hostile = sources.status().find((status) => status.url === server.url("/hostile"));
    expect(hostile).toMatchObject({ papers: 0, consecutiveFailures: 1 });
    expect(hostile?.lastError).toMatch(/external entit/i);
    await sources.close();
  });
});
