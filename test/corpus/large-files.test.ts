import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/index.ts";
import { seedText, tempCorpus } from "./temp-corpus.ts";

// Files are read in pieces of 1 MiB; these tests put the awkward bytes exactly where a piece ends.
const PIECE = 1 << 20;
const ABSTRACT = "A method is proposed. It works better than the old one on every benchmark we tried.";

function record(i: number, abstract = ABSTRACT): string {
  return JSON.stringify({ id: `p-${i}`, title: `Paper number ${i}`, abstract, upvotes: i });
}

const BOM_BYTES = 3;

/** Appends numbered records until the next line would start within `room` bytes of file offset `offset`. */
function fillTo(lines: string[], offset: number, room: number, lineEnd = "\n"): number {
  let bytes = BOM_BYTES + Buffer.byteLength(lines.join(""));
  while (bytes + Buffer.byteLength(record(lines.length + 1)) + lineEnd.length < offset - room) {
    const line = `${record(lines.length + 1)}${lineEnd}`;
    lines.push(line);
    bytes += Buffer.byteLength(line);
  }
  return bytes;
}

describe("large JSON Lines files, read piece by piece", () => {
  it("keeps a character, a CRLF and the line count intact where a piece ends", async () => {
    const lines: string[] = [];
    // A 4-byte emoji straddling the end of the first piece.
    let bytes = fillTo(lines, PIECE, 200);
    const before = '{"title": "Emoji paper", "abstract": "';
    const pad = "x".repeat(PIECE - 2 - bytes - Buffer.byteLength(before));
    lines.push(`${before}${pad}\u{1F600} survives."}\n`);
    // A CRLF whose "\r" ends the second piece and whose "\n" starts the third.
    bytes = fillTo(lines, 2 * PIECE, 200, "\r\n");
    const last = record(lines.length + 1);
    lines.push(`${last}${" ".repeat(2 * PIECE - 1 - bytes - Buffer.byteLength(last))}\r\n`);
    lines.push("not json\n", `${record(lines.length + 2)}\r`, `${record(lines.length + 3)}`);
    const dir = await tempCorpus({ "big.jsonl": `\uFEFF${lines.join("")}` });

    const { papers, warnings, files } = await loadCorpus("big.jsonl", { cwd: dir });

    expect(papers).toHaveLength(lines.length - 1);
    expect(papers.map((paper) => paper.rank)).toEqual(papers.map((_, index) => index + 1));
    expect(papers[0]?.id).toBe("p-1");
    const emoji = papers.find((paper) => paper.title === "Emoji paper");
    expect(emoji?.abstract.endsWith("x\u{1F600} survives.")).toBe(true);
    expect(papers.at(-1)?.title).toBe(`Paper number ${lines.length}`);
    // One warning, on the line it is really on: no line break was counted twice or missed.
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^big\\.jsonl:${lines.length - 2}: not valid JSON`)),
    ]);
    expect(files[0]?.skipped).toBe(1);
  });

  it("reads a line longer than a piece whole", async () => {
    const long = "Long abstract words. ".repeat(Math.ceil((PIECE * 1.5) / 21));
    const dir = await tempCorpus({ "long.jsonl": `${record(1)}\n${record(2, long)}\n${record(3)}\n` });

    const { papers, warnings } = await loadCorpus("long.jsonl", { cwd: dir });

    expect(papers.map((paper) => paper.title)).toEqual([
      "Paper number 1",
      "Paper number 2",
      "Paper number 3",
    ]);
    expect(papers[1]?.abstract.length).toBeLessThanOrEqual(20_000);
    expect(warnings).toEqual(["long.jsonl:2: record: abstract cut to 20000 characters"]);
  });

  it("reads a pretty-printed single object as one record, and a broken first line as a skipped line", async () => {
    const pretty = JSON.stringify({ title: "Pretty Paper", abstract: ABSTRACT, upvotes: 3 }, null, 2);
    const dir = await tempCorpus({
      "pretty.jsonl": `\n\n${pretty}\n`,
      "broken-start.jsonl": `{ broken\n${record(1)}\n${record(2)}\n`,
    });

    const one = await loadCorpus("pretty.jsonl", { cwd: dir });
    const broken = await loadCorpus("broken-start.jsonl", { cwd: dir });

    expect(one.papers.map((paper) => [paper.title, paper.upvotes])).toEqual([["Pretty Paper", 3]]);
    expect(broken.papers.map((paper) => paper.title)).toEqual(["Paper number 1", "Paper number 2"]);
    expect(broken.warnings).toEqual([expect.stringMatching(/^broken-start\.jsonl:1: not valid JSON/)]);
  });
});

describe("large seed text files, read piece by piece", () => {
  it("pairs titles and abstracts across pieces and points warnings at the right lines", async () => {
    const pairs: Array<[string, string]> = [];
    for (let i = 1; pairs.length * (ABSTRACT.length + 20) < 2.5 * PIECE; i++)
      pairs.push([`Paper ${i}`, ABSTRACT]);
    const body = seedText(pairs).replaceAll("\n", "\r\n");
    const dir = await tempCorpus({ "page.txt": `${body}Dangling Title\r\n` });

    const { papers, warnings } = await loadCorpus("page.txt", { cwd: dir });

    expect(papers).toHaveLength(pairs.length);
    expect(papers.at(-1)).toMatchObject({ title: `Paper ${pairs.length}`, abstract: ABSTRACT });
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^page\\.txt:${2 * pairs.length + 1}: title without an abstract`)),
    ]);
  });
});
