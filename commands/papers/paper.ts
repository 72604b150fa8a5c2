import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { paperId } from "../../src/command-kit/options.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { paperOrExplain } from "./paper-ids.ts";

export const paper = defineSubcommand({
  path: ["paper"],
  description: "Show one paper in full: title, authors, abstract, links and what its sources add",
  options: z.object({ id: paperId({ description: "The paper's id, as shown in search results" }) }),
  requires: [],
  examples: ["/papers paper 2112.05682"],
  async run({ services }, { id }) {
    const found = paperOrExplain(services, id);
    // The card shows the title, the abstract in full, the sources' note uncut and the links (PDF, code,
    // project, DOI); the text adds what a card has no room for.
    const details = [
      found.publishedAt && `Published ${found.publishedAt.slice(0, 10)}`,
      found.extras?.doi && `DOI ${found.extras.doi}`,
    ]
      .filter(Boolean)
      .join(" · ");
    return {
      text: details,
      cards: [paperCard(found, { fullAbstract: true })],
      buttons: [{ label: "More like this", command: `/papers similar ${found.id}` }],
      ephemeral: true,
    };
  },
});
