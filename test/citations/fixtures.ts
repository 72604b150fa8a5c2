import type { Paper } from "../../src/core/paper.ts";

/** A paper with the given fields and defaults for the rest. */
export function paperWith(fields: Partial<Paper> & { readonly id: string }): Paper {
  return { title: "Untitled", abstract: "", authors: [], rank: 1, source: "test", ...fields };
}

/** Made-up papers with what breaks citation files: specials, particles, accents, one-word names, no date. */
export const HOSTILE_PAPERS: readonly Paper[] = [
  paperWith({
    id: "2407.12345v3",
    title: "Fast & 100% $cheap$ #1 under_score {x} ~y^2 \\z: Études -- a ``test'' <b>|</b>",
    authors: ["Jan van der Berg", "Émile Le Roux", "Zoë Müller", "Martin Luther King Jr.", "OpenAI"],
    publishedAt: "2024-07-16T12:00:00Z",
    categories: ["cs.CL", "cs.LG"],
    url: "https://arxiv.org/abs/2407.12345",
  }),
  paperWith({
    id: "hep-th/9901001v1",
    title: "The   String\tLandscape\nRevisited",
    authors: ["de la Cruz, María José", "Smith and Sons, Jo", "Ludwig von Beethoven"],
    publishedAt: "1999-01-04",
    categories: ["hep-th"],
  }),
  paperWith({
    id: "t-0123456789ab",
    title: "Fast & 100% $cheap$ #1 under_score {x} ~y^2 \\z: Études -- a ``test'' <b>|</b>",
    authors: ["Jan van der Berg"],
    publishedAt: "2024-03-01",
    url: "https://example.org/paper?a=1&b=%20{x}",
  }),
  paperWith({ id: "t-ffffffffffff", title: "東京大学の研究: 機械学習 🚀", authors: [] }),
];
