import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrichedCorpus, PUBLISHED } from "../../support/enriched-corpus.ts";
import { ada, type DiscordBot, startDiscordBot } from "./discord-bot.ts";

let corpus: Awaited<ReturnType<typeof enrichedCorpus>>;
let running: DiscordBot;
beforeAll(async () => {
  corpus = await enrichedCorpus();
  running = await startDiscordBot({ env: { CORPUS: corpus.spec } });
});
afterAll(async () => {
  await running.close();
  await corpus.cleanup();
});

const run = (path: string[], options: Record<string, string | number> = {}) =>
  running.fake.command(running.fake.member(ada), { command: "papers", path, options });

type Embed = { title?: string; description?: string; footer?: { text: string } };
const embedsOf = (data: Record<string, unknown>) => data.embeds as Embed[];

describe("enrichment on Discord, through the fake", () => {
  it("/papers paper shows the source's TL;DR and PDF, Code ⭐ and Project as links in the embed", async () => {
    const answer = await run(["paper"], { id: "2507.09082" });
    const [embed] = embedsOf(answer.data);
    expect(embed?.description).toContain(
      "TL;DR (Hugging Face): Frozen video world models, prompted with small perturbations, output optical flow without any flow training.",
    );
    expect(embed?.description).toContain(
      "[PDF](https://arxiv.org/pdf/2507.09082) · [Code ⭐ 1,234](https://github.com/example-lab/kl-tracing) · [Project](https://example-lab.github.io/kl-tracing/)",
    );
    // Links live in the embed: the rows keep the card's own buttons and the message's, and no link button.
    const rows = answer.data.components as { components: { style?: number }[] }[];
    for (const row of rows) for (const button of row.components) expect(button.style).not.toBe(5);
  });

  it("/papers paper shows the arXiv comment and journal, with the DOI as text and as a link", async () => {
    const answer = await run(["paper"], { id: PUBLISHED.id });
    const [embed] = embedsOf(answer.data);
    expect(embed?.description).toContain(
      "Accepted at NeurIPS 2025 · Published in Phys. Rev. D 76, 013009 (2007)",
    );
    expect(embed?.description).toContain("[DOI](https://doi.org/10.1103/PhysRevD.76.013009)");
    expect(answer.data.content).toContain("DOI 10.1103/PhysRevD.76.013009");
  });

  it("search cards carry the note and links too; hostile text renders inert and pings no one", async () => {
    const answer = await run(["search"], { query: "paper", limit: 10 });
    const hostile = embedsOf(answer.data).find(
      (embed) => embed.title === "A paper whose enrichment is hostile",
    );
    expect(hostile?.description).toContain("TL;DR (Hugging Face): @everyone");
    // The summary's masked link is escaped (an escaped bracket opens no link); the javascript: and
    // ftp: links were dropped when the paper was read, so they make no links at all.
    expect(hostile?.description).toContain("\\[click](https://evil.example)");
    expect(hostile?.description).not.toMatch(/javascript:|ftp:|\[Code|\[Project/);
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
    const plain = embedsOf(answer.data).find((embed) => embed.title === "A paper with no enrichment");
    expect(plain?.description).not.toContain("TL;DR");
  });
});
