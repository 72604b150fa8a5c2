import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Paper } from "../src/core/paper.ts";

/**
 * Bench corpora are JSON lines (one Paper per line): a million abstracts are ~1.7 GB, beyond what one
 * string can hold, so they are streamed both ways.
 */
export async function writePapers(file: string, papers: Iterable<Paper>): Promise<void> {
  const out = createWriteStream(file);
  let buffered = "";
  for (const paper of papers) {
    buffered += `${JSON.stringify(paper)}\n`;
    if (buffered.length > 1 << 20) {
      if (!out.write(buffered)) await once(out, "drain");
      buffered = "";
    }
  }
  out.end(buffered);
  await once(out, "finish");
}

export async function readPapers(file: string): Promise<Paper[]> {
  const papers: Paper[] = [];
  const lines = createInterface({
    input: createReadStream(file, { highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) if (line !== "") papers.push(JSON.parse(line) as Paper);
  return papers;
}
