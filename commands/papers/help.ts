import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { commandHelp } from "../../src/command-kit/help.ts";
import { textMessage } from "../../src/core/message.ts";

const INTRO =
  "paper-picks finds research papers and posts a daily selection of trending ones.\n" +
  'Search forgives typos and understands "exact phrases", author:name and cat:cs.CL\n' +
  "(papers in an arXiv category; cat:cs for every cs.* category).";

export const help = defineSubcommand({
  path: ["help"],
  description: "What paper-picks can do and how to ask",
  options: z.object({}),
  requires: [],
  async run({ commands }) {
    return textMessage([INTRO, ...commands.map(commandHelp)].join("\n\n"));
  },
});
