import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { paperId } from "../../src/command-kit/options.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { paperCard } from "../../src/paper-card.ts";

export const paper = defineSubcommand({
  path: ["paper"],
  description: "Show one paper in full: title, authors, abstract and links",
  options: z.object({ id: paperId({ description: "The paper's id, as shown in search results" }) }),
  access: "everyone",
  examples: ["/papers paper 2112.05682"],
  async run({ services }, { id }) {
    const found =
      services.catalog.current.byId.get(id) ?? services.catalog.current.byId.get(id.toLowerCase());
    if (!found) throw new UserError(`No paper has the id “${id}”. Ids appear under each search result.`);
    const links = [found.url, found.pdfUrl && `PDF: ${found.pdfUrl}`].filter(Boolean).join("\n");
    return {
      text: links ? `${found.title}\n${links}` : found.title,
      cards: [paperCard(found, { fullAbstract: true })],
      buttons: [{ label: "More like this", command: `/papers similar ${found.id}` }],
      ephemeral: true,
    };
  },
});
