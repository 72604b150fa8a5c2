import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { paperId } from "../../src/command-kit/options.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { paperCard } from "../../src/core/paper-card.ts";

export const paper = defineSubcommand({
  path: ["paper"],
  description: "Show one paper in full: title, authors, abstract and links",
  options: z.object({ id: paperId({ description: "The paper's id, as shown in search results" }) }),
  requires: [],
  examples: ["/papers paper 2112.05682"],
  async run({ services }, { id }) {
    const found =
      services.catalog.current.byId.get(id) ?? services.catalog.current.byId.get(id.toLowerCase());
    if (!found) throw new UserError(`No paper has the id “${id}”. Ids appear under each search result.`);
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
