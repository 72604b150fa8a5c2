import { people, readableText, type SlackMode, startSlackHarness } from "../slack/slack-harness.ts";
import { type PlatformAdapter, shownPaperId } from "./platform-adapter.ts";

/** Slack in one connection mode: the line as slash-command text; papers read from the context blocks. */
export async function startSlackAdapter(mode: SlackMode, now: () => Date): Promise<PlatformAdapter> {
  const slack = await startSlackHarness(mode, { now });
  return {
    async run(line, as) {
      const [command = "", ...rest] = line.trim().split(" ");
      const user = as === "admin" ? people.admin : people.member;
      const { response } = await slack.command(user, slack.channels.papers, command, rest.join(" "));
      const blocks = (response.blocks ?? []) as { type: string; elements?: { text?: unknown }[] }[];
      const paperIds = blocks
        .filter((block) => block.type === "context")
        .flatMap((block) => block.elements ?? [])
        .map((element) =>
          typeof element.text === "string" ? shownPaperId(unescapeBlockKit(element.text)) : undefined,
        )
        .filter((id): id is string => id !== undefined);
      return { text: readableText(response), paperIds };
    },
    close: () => slack.close(),
  };
}

/** Block Kit text has `&`, `<` and `>` escaped; ids are compared as the user reads them. */
function unescapeBlockKit(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}
