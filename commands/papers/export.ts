import { z } from "zod";
import { citationRecord, EXPORT_FORMATS, exportCitations } from "../../src/citations/index.ts";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { choice } from "../../src/command-kit/options.ts";
import { refuseOutsideChannel } from "../../src/command-kit/preconditions.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import type { Message } from "../../src/core/message.ts";
import type { Paper } from "../../src/core/paper.ts";
import { plural } from "../../src/core/text.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { channelWords, readingListKey } from "../digest/reading-list.ts";

const FORMAT_NAMES = { bibtex: "BibTeX", ris: "RIS", "csl-json": "CSL-JSON" } as const;

/** What one `from:` exports: its papers' ids in the file's order, and how the answer words them. */
interface Source {
  readonly paperIds: readonly string[];
  /** "saved paper": one entry. */
  readonly noun: string;
  /** "Your 2 saved papers" / "The reading list of #papers, 2 papers". */
  readonly describe: (count: string) => string;
  readonly order: string;
  readonly empty: string;
  readonly allGone: string;
  readonly filename: string;
}

export const exportCommand = defineSubcommand({
  path: ["export"],
  description:
    "Your saved papers or this channel's reading list as BibTeX, RIS (Zotero, EndNote) or CSL-JSON",
  options: z.object({
    format: choice({ description: "bibtex, ris or csl-json" }, EXPORT_FORMATS),
    from: choice({ description: "Which list: your saved papers, or this channel's reading list" }, [
      "saved",
      "channel",
    ]).default("saved"),
  }),
  requires: [],
  examples: ["/papers export bibtex", "/papers export ris from:channel"],
  async run(context, { format, from }): Promise<Message> {
    const { services, invoker } = context;
    let source: Source;
    if (from === "channel") {
      const outside = refuseOutsideChannel("/papers export from:channel", context);
      if (outside !== undefined) throw new UserError(outside);
      const where = channelWords(invoker);
      const listed = await services.store.readingLists.inOrder(readingListKey(invoker));
      source = {
        paperIds: listed.map((entry) => entry.paperId),
        noun: "listed paper",
        describe: (count) => `The reading list of ${where}, ${count},`,
        order: "in the order added",
        empty: `The reading list of ${where} is empty, so there is nothing to export; /digest list add <id> first.`,
        allGone: `None of the papers on the reading list of ${where} is in the corpus any more, so there is nothing to export.`,
        filename: "reading-list",
      };
    } else {
      const saved = await services.store.saved.newestFirst(userTarget(invoker));
      source = {
        paperIds: saved.map((entry) => entry.paperId),
        noun: "saved paper",
        describe: (count) => `Your ${count}`,
        order: "newest first",
        empty: "Nothing saved yet; /papers save <id> first, then export.",
        allGone: "None of your saved papers is in the corpus any more, so there is nothing to export.",
        filename: "saved-papers",
      };
    }
    if (source.paperIds.length === 0) throw new UserError(source.empty);
    const { byId } = services.catalog.current;
    const papers = source.paperIds.flatMap((id): Paper[] => {
      const paper = byId.get(id);
      return paper ? [paper] : [];
    });
    const gone = source.paperIds.length - papers.length;
    const goneNote =
      gone > 0
        ? ` ${plural(gone, source.noun)} no longer in the corpus ${gone === 1 ? "is" : "are"} left out.`
        : "";
    if (papers.length === 0) throw new UserError(source.allGone);
    const file = exportCitations(
      format,
      papers.map((paper) => citationRecord(paper)),
      source.filename,
    );
    return {
      text: `${source.describe(plural(papers.length, source.noun))} as ${FORMAT_NAMES[format]}, ${source.order}: ${file.filename}.${goneNote}`,
      cards: [],
      buttons: [],
      ephemeral: true,
      attachment: file,
    };
  },
});
