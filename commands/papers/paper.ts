import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { paperId } from "../../src/command-kit/options.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { paperOrExplain } from "./paper-ids.ts";

export const paper = defineSubcommand({
  path: ["paper"],
  description: "Show one paper in full: title, authors, abstract and links",
  options: z.object({ id: paperId({ description: "The paper's id, as shown in search results" }) }),
  requires: [],
  examples: ["/papers paper 2112.05682"],
  async run({ services }, { id }) {
    const found = paperOrExplain(services, id);
    // The card shows the title and its link; the text adds what a card has no room for.
    const links = [
      found.pdfUrl && `PDF: ${found.pdfUrl}`,
      found.publishedAt && `Published ${found.publishedAt.slice(0, 10)}`,
    ]
      .filter(Boolean)
      .join(" · ");
    return {
      text: links,
      cards: [paperCard(found, { fullAbstract: true })],
      buttons: [{ label: "More like this", command: `/papers similar ${found.id}` }],
      ephemeral: true,
    };
  },
});
