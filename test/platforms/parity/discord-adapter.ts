import { ADMIN_PERMISSIONS, ada, admin, readable, startDiscordBot } from "../discord/discord-bot.ts";
import { type PlatformAdapter, shownPaperId } from "./platform-adapter.ts";
import { typedInvocation } from "./typed-options.ts";

/** Discord: the line as a slash-command interaction with typed options; papers read from embed footers. */
export async function startDiscordAdapter(now: () => Date): Promise<PlatformAdapter> {
  const running = await startDiscordBot({ now });
  const { fake } = running;
  return {
    async run(line, as) {
      const place =
        as === "admin"
          ? fake.member(admin, { channel: "papers", permissions: ADMIN_PERMISSIONS })
          : fake.member(ada, { channel: "papers" });
      const answer = await fake.command(place, typedInvocation(running.bot.app.router, line));
      const embeds = (answer.data.embeds ?? []) as { footer?: { text?: string } }[];
      const paperIds = embeds
        .map((embed) => shownPaperId(embed.footer?.text ?? ""))
        .filter((id): id is string => id !== undefined);
      return { text: readable(answer.data), paperIds };
    },
    close: () => running.close(),
  };
}
