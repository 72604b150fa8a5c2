import { renderText } from "../../../src/platforms/console/render-text.ts";
import { memberInvoker, startTestApp, type TestApp } from "../../support/test-app.ts";
import { type PlatformAdapter, shownPaperId } from "./platform-adapter.ts";

/**
 * The console, the reference platform: a line as typed at the prompt, read back from the text the
 * terminal prints. Each numbered title line is followed by the card's details line with its id.
 */
export async function startConsoleAdapter(now: () => Date): Promise<PlatformAdapter & { bot: TestApp }> {
  const bot = await startTestApp({ now });
  return {
    bot,
    async run(line, as) {
      const text = renderText(await bot.run(line, ...(as === "member" ? [memberInvoker] : [])));
      const lines = text.split("\n");
      const paperIds = lines
        .flatMap((current, index) => (/^\d+\. /.test(current) ? [lines[index + 1] ?? ""] : []))
        .map((details) => shownPaperId(details))
        .filter((id): id is string => id !== undefined);
      return { text, paperIds };
    },
    close: () => bot.close(),
  };
}
