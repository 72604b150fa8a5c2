import { z } from "zod";
import { citationRecord, EXPORT_FORMATS, exportCitations } from "../../src/citations/index.ts";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { choice } from "../../src/command-kit/options.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import type { Message } from "../../src/core/message.ts";
import type { Paper } from "../../src/core/paper.ts";
import { plural } from "../../src/core/text.ts";
import { userTarget } from "../../src/digest/targets.ts";

const FORMAT_NAMES = { bibtex: "BibTeX", ris: "RIS", "csl-json": "CSL-JSON" } as const;

export const exportCommand = defineSubcommand({
  path: ["export"],
  description: "Your saved papers as a citation file: BibTeX, RIS (Zotero, EndNote) or CSL-JSON",
  options: z.object({
    format: choice({ description: "bibtex, ris or csl-json" }, EXPORT_FORMATS),
    from: choice({ description: "Which list: your saved papers" }, ["saved"]).default("saved"),
  }),
  requires: [],
  examples: ["/papers export bibtex", "/papers export ris from:saved"],
  async run({ services, invoker }, { format }): Promise<Message> {
    const saved = await services.store.saved.newestFirst(userTarget(invoker));
    if (saved.length === 0) {
      throw new UserError("Nothing saved yet; /papers save <id> first, then export.");
    }
    const { byId } = services.catalog.current;
    const papers = saved.flatMap((entry): Paper[] => {
      const paper = byId.get(entry.paperId);
      return paper ? [paper] : [];
    });
    const gone = saved.length - papers.length;
    const goneNote =
      gone > 0
        ? ` ${plural(gone, "saved paper")} no longer in the corpus ${gone === 1 ? "is" : "are"} left out.`
        : "";
    if (papers.length === 0) {
      throw new UserError(
        `None of your saved papers is in the corpus any more, so there is nothing to export.`,
      );
    }
    const file = exportCitations(
      format,
      papers.map((paper) => citationRecord(paper)),
      "saved-papers",
    );
    return {
      text: `Your ${plural(papers.length, "saved paper")} as ${FORMAT_NAMES[format]}, newest first: ${file.filename}.${goneNote}`,
      cards: [],
      buttons: [],
      ephemeral: true,
      attachment: file,
    };
  },
});
