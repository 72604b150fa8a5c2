import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { people, type SlackHarness, startSlackHarness } from "./slack-harness.ts";

interface Manifest {
  features: { slash_commands: { command: string; description: string; should_escape?: boolean }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

const manifest = JSON.parse(
  await readFile(new URL("../../../slack-app-manifest.json", import.meta.url), "utf8"),
) as Manifest;

/** The bot scope each Web API method needs, from Slack's method reference (conversations.info: per channel type). */
const scopeOf: Record<string, readonly string[]> = {
  "auth.test": [],
  "chat.postMessage": ["chat:write"],
  "conversations.open": ["im:write"],
  "conversations.info": ["channels:read", "groups:read"],
  "conversations.history": ["channels:history", "groups:history", "im:history"],
  "users.info": ["users:read"],
  "files.getUploadURLExternal": ["files:write"],
  "files.completeUploadExternal": ["files:write"],
};

let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

describe("the Slack app manifest", () => {
  it("declares every command the bot has, with channel mentions escaped so /digest setup #channel resolves", async () => {
    slack = await startSlackHarness("socket");
    const names = slack.bot.app.router.commands.map((command) => `/${command.name}`);
    expect(manifest.features.slash_commands.map((command) => command.command).sort()).toEqual(names.sort());
    for (const command of manifest.features.slash_commands) {
      expect(command.should_escape).toBe(true);
      expect(command.description.length).toBeLessThanOrEqual(100);
    }
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it("asks for exactly the scopes the bot uses", async () => {
    slack = await startSlackHarness("socket", { now: () => new Date("2026-11-26T08:00:00Z") });
    const { papers, secret } = slack.channels;
    await slack.command(people.admin, papers, "/digest", "setup");
    await slack.command(people.admin, secret, "/digest", "setup");
    await slack.command(people.member, papers, "/papers", "subscribe model");
    // An export goes to the person's DMs as a file.
    const [paper] = (await slack.bot.run("/papers search model limit:1")).cards;
    await slack.command(people.member, papers, "/papers", `save ${paper?.paperId ?? ""}`);
    await slack.command(people.member, papers, "/papers", "export bibtex", { timeoutMs: 20_000 });
    await slack.bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));
    // Finding a delivery's post again reads the history of a channel or a DM.
    const since = new Date(Date.now() - 60_000);
    await slack.bot.app.outbox.find(`slack:${papers.id}`, "a delivery key", since);
    await slack.bot.app.outbox.find(`slack:user:${people.member.id}`, "a delivery key", since);

    const botCalls = slack.fake.calls.filter((call) => call.token?.startsWith("xoxb-"));
    const used = new Set(botCalls.map((call) => call.method));
    expect([...used].sort()).toEqual(Object.keys(scopeOf).sort());
    const needed = new Set([...used].flatMap((method) => scopeOf[method] ?? [`unknown scope for ${method}`]));
    // Slash commands need `commands`; it guards no Web API method.
    needed.add("commands");
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
