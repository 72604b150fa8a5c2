import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { buttonsIn } from "../../fakes/slack/payloads.ts";
import {
  people,
  readableText,
  type SlackHarness,
  type SlackMode,
  startSlackHarness,
  titlesIn,
} from "./slack-harness.ts";

let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

const escaped = (title: string) => title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

describe.each<SlackMode>(["socket", "http"])("commands over %s", (mode) => {
  it("answers /papers search privately, with the console's papers in the console's order", async () => {
    slack = await startSlackHarness(mode);
    const answered = await slack.command(
      people.member,
      slack.channels.papers,
      "/papers",
      '"language model" limit:3',
    );
    expect(answered.delivery.acked).toBe(true);
    // Plain words after /papers are not a subcommand: the answer is the help, not a crash.
    expect(readableText(answered.response)).toContain("search");

    const search = await slack.command(
      people.member,
      slack.channels.papers,
      "/papers",
      "search model limit:3",
    );
    expect(search.response.response_type).toBe("ephemeral");
    const console = await slack.bot.run("/papers search model limit:3");
    expect(console.cards).toHaveLength(3);
    expect(titlesIn(search.response)).toEqual(console.cards.map((card) => escaped(card.title)));
    expect(String(search.response.text)).toContain("Results 1–3");
  });

  it("pages with Next ▶ and ◀ Prev, replacing the private answer in place", async () => {
    slack = await startSlackHarness(mode);
    const { papers } = slack.channels;
    const first = await slack.command(people.member, papers, "/papers", "search model limit:2");
    const firstBlocks = first.response.blocks as Record<string, unknown>[];
    expect(buttonsIn(firstBlocks).map(({ button }) => button.text.text)).toContain("Next ▶");

    const next = await slack.press(people.member, papers, firstBlocks, "Next ▶");
    expect(next.response.replace_original).toBe(true);
    const page2 = await slack.bot.run("/papers search model limit:2 page:2");
    expect(titlesIn(next.response)).toEqual(page2.cards.map((card) => escaped(card.title)));
    expect(String(next.response.text)).toContain("Results 3–4");

    const back = await slack.press(
      people.member,
      papers,
      next.response.blocks as Record<string, unknown>[],
      "◀ Prev",
    );
    expect(titlesIn(back.response)).toEqual(titlesIn(first.response));
  });

  it("offers More like this on each paper, answering with papers like that one", async () => {
    slack = await startSlackHarness(mode);
    const { papers } = slack.channels;
    const search = await slack.command(people.member, papers, "/papers", "search model limit:2");
    const blocks = search.response.blocks as Record<string, unknown>[];
    const similar = buttonsIn(blocks).filter(({ button }) => button.text.text === "More like this");
    expect(similar).toHaveLength(2);
    const console = await slack.bot.run("/papers search model limit:2");
    expect(similar[0]?.button.value).toBe(`/papers similar ${console.cards[0]?.paperId}`);

    const like = await slack.press(people.member, papers, blocks, "More like this");
    expect(String(like.response.text)).toContain("Papers like");
    expect(titlesIn(like.response).length).toBeGreaterThan(0);
  });

  it("rates a paper from its card's 👍, in a private line that leaves the answer or post it is on in place", async () => {
    slack = await startSlackHarness(mode, { now: () => new Date("2026-11-26T08:00:00Z") });
    const { papers } = slack.channels;
    const search = await slack.command(people.member, papers, "/papers", "search model limit:2");
    const blocks = search.response.blocks as Record<string, unknown>[];
    const labels = buttonsIn(blocks).map(({ button }) => button.text.text);
    expect(labels.filter((label) => label === "👍 Relevant")).toHaveLength(2);
    expect(labels.filter((label) => label === "🔖 Save")).toHaveLength(2);
    const console = await slack.bot.run("/papers search model limit:2");
    const up = await slack.press(people.member, papers, blocks, "👍 Relevant");
    // Not a page turn: the search results stay, and the rating is a line of its own.
    expect(up.response.replace_original).not.toBe(true);
    expect(up.response.response_type).toBe("ephemeral");
    expect(String(up.response.text)).toMatch(/^👍 for “/);
    const user = `slack:user:${people.member.id}`;
    const rated = await slack.bot.app.services.store.ratings.newestFirst(user);
    expect(rated.map((rating) => [rating.paperId, rating.value])).toEqual([
      [console.cards[0]?.paperId, "up"],
    ]);

    // On the channel's own post, too: every reader presses for themselves.
    await slack.command(people.admin, papers, "/digest", "setup");
    await slack.command(people.admin, papers, "/digest", "now");
    const [post] = slack.fake.workspace.messagesIn(papers.id);
    const postBlocks = (post?.blocks ?? []) as Record<string, unknown>[];
    const down = await slack.press(people.member, papers, postBlocks, "👎 Not for me", { ephemeral: false });
    expect(down.response.response_type).toBe("ephemeral");
    expect(down.response.replace_original).not.toBe(true);
    expect(String(down.response.text)).toMatch(/^👎 for “/);
    expect(String(down.response.text)).toMatch(/It also counts toward this channel's digest\.$/);
    expect(slack.fake.workspace.messagesIn(papers.id)).toHaveLength(1);
    // The press on the post teaches the channel's digest; the one on the private answer did not.
    const votes = await slack.bot.app.services.store.channelVotes.ratings(`slack:${papers.id}`);
    expect(votes.map((vote) => vote.value)).toEqual(["down"]);
    expect(votes.map((vote) => vote.paperId)).not.toContain(console.cards[0]?.paperId);
  });

  it('keeps quoted words together, as on the console: /papers subscribe "state space models"', async () => {
    slack = await startSlackHarness(mode);
    const { papers } = slack.channels;
    const subscribed = await slack.command(
      people.member,
      papers,
      "/papers",
      'subscribe "state space models"',
    );
    expect(String(subscribed.response.text)).toContain("You now follow “state space models”");
    const listed = await slack.command(people.member, papers, "/papers", "subscriptions");
    expect(String(listed.response.text)).toContain("state space models");
    const stored = await slack.bot.app.services.store.subscriptions.get(`slack:user:${people.member.id}`);
    expect(stored?.topics.map((entry) => entry.topic)).toEqual(["state space models"]);
  });

  it("refuses /digest to a member who is not a workspace admin, and saves nothing", async () => {
    slack = await startSlackHarness(mode);
    const refused = await slack.command(people.member, slack.channels.papers, "/digest", "setup");
    expect(String(refused.response.text)).toContain("is for server and workspace admins");
    expect(await slack.bot.app.services.store.channels.list()).toEqual([]);
    expect(slack.fake.callsOf("users.info").map((call) => call.args.user)).toEqual([people.member.id]);
  });

  it("lets workspace admins, owners and SLACK_ADMIN_USER_IDS set up a digest", async () => {
    slack = await startSlackHarness(mode);
    const { papers } = slack.channels;
    for (const user of [people.admin, people.owner, people.listed]) {
      const answer = await slack.command(user, papers, "/digest", "setup");
      expect(String(answer.response.text)).toMatch(/^(Set up|Updated): daily picks in #papers/);
    }
    const [settings] = await slack.bot.app.services.store.channels.list();
    expect(settings?.target).toBe(`slack:${papers.id}`);
    // The listed user needed no lookup: the environment already says they are an admin.
    expect(slack.fake.callsOf("users.info").map((call) => call.args.user)).not.toContain(people.listed.id);
  });

  it("says how to /invite the bot when /digest setup names a channel it is not in", async () => {
    slack = await startSlackHarness(mode);
    const { papers, uninvited, secret } = slack.channels;
    const publicOne = await slack.command(
      people.admin,
      papers,
      "/digest",
      `setup <#${uninvited.id}|general>`,
    );
    expect(String(publicOne.response.text)).toContain(
      "I'm not in #general yet. Type `/invite @paper-picks` there",
    );
    const privateOne = await slack.command(people.admin, secret, "/digest", "setup");
    expect(String(privateOne.response.text)).toContain("I'm not in this channel yet");
    expect(await slack.bot.app.services.store.channels.list()).toEqual([]);

    const named = await slack.command(people.admin, papers, "/digest", `setup <#${papers.id}|papers>`);
    expect(String(named.response.text)).toContain("daily picks in #papers");
  });

  it("runs every command end to end and answers each in words", async () => {
    slack = await startSlackHarness(mode);
    const { papers } = slack.channels;
    const console = await slack.bot.run("/papers search model limit:1");
    const id = console.cards[0]?.paperId ?? "";
    const lines: [string, string, RegExp][] = [
      ["/papers", "help", /search/],
      ["/papers", "search model limit:2", /Results 1–2/],
      ["/papers", `paper ${id}`, /./],
      ["/papers", `similar ${id} limit:2`, /Papers like/],
      // Typed, it has no post to thread under: a Slack thread hangs from one.
      ["/papers", `discuss ${id}`, /has no channel post here to thread under\. Press Discuss on its card/],
      ["/papers", `save ${id}`, /^Saved “/],
      ["/papers", "saved", /^Your saved papers 1–1 of 1/],
      ["/papers", "export bibtex", /^Sent saved-papers\.bib to your direct messages with paper-picks\./],
      ["/digest", `list add ${id}`, /^Added “.+” to the reading list of #papers \(1 paper\)/],
      ["/digest", "list", /^Reading list of #papers 1–1 of 1, in the order added\.[\s\S]*saved by 1 person/],
      [
        "/papers",
        "export ris from:channel",
        /^Sent reading-list\.ris to your direct messages with paper-picks\./,
      ],
      ["/digest", `list remove ${id}`, /^Removed “.+” from the reading list of #papers/],
      ["/papers", `unsave ${id}`, /^Removed/],
      ["/papers", `rate ${id} up`, /^👍 for “/],
      ["/papers", "ratings", /^Your ratings 1–1 of 1/],
      ["/papers", "foryou limit:2", /^For you \(1–2\)/],
      ["/papers", "alerts weekly day:fri", /every Friday/],
      ["/papers", "forget confirm:yes", /^Deleted all your ratings/],
      ["/papers", "subscribe kv cache", /You now follow “kv cache”/],
      ["/papers", "subscriptions", /kv cache/],
      ["/papers", "unsubscribe kv cache", /kv cache/],
      ["/digest", "setup", /Set up: daily picks in #papers/],
      ["/digest", "time 08:30 Europe/Berlin", /08:30/],
      ["/digest", "size 3", /3/],
      ["/digest", "topics add kv cache", /kv cache/],
      ["/digest", "topics remove kv cache", /Daily picks/],
      ["/digest", "topics clear", /./],
      ["/digest", "pause", /[Pp]aused/],
      ["/digest", "resume", /[Rr]esumed/],
      ["/digest", "learn off", /^Learning is off/],
      ["/digest", "preview", /./],
      ["/digest", "status", /Daily picks/],
      ["/digest", "now", /Posted today's picks in #papers/],
      ["/digest", "threads on", /^Each digest now opens one discussion thread per paper: #papers/],
    ];
    const covered = new Set(lines.map(([command, text]) => `${command} ${text.split(" ")[0]}`));
    for (const command of slack.bot.app.router.commands) {
      for (const subcommand of command.subcommands) {
        expect(covered, "every subcommand has a line here").toContain(
          `/${command.name} ${subcommand.path[0]}`,
        );
      }
    }
    for (const [command, text, expected] of lines) {
      const answer = await slack.command(people.admin, papers, command, text);
      const said = `${String(answer.response.text)}\n${readableText(answer.response)}`;
      expect(said, `${command} ${text}`).toMatch(expected);
      expect(said, `${command} ${text}`).not.toMatch(/failed on our side|Unknown (sub)?command/);
    }
    // /digest now posted the picks in the channel itself.
    expect(slack.fake.workspace.messagesIn(papers.id)).toHaveLength(1);
  });
});

describe("what the bot lacks on Slack, said in setup and status", () => {
  const linesNaming = (text: string, scope: string) =>
    text.split("\n").filter((line) => line.includes(scope));
  /** The app as installed with every scope the manifest asks for but these. */
  const installedWithout = async (...missing: string[]) => {
    const manifest = JSON.parse(
      await readFile(new URL("../../../slack-app-manifest.json", import.meta.url), "utf8"),
    ) as { oauth_config: { scopes: { bot: string[] } } };
    const scopes = manifest.oauth_config.scopes.bot;
    for (const scope of missing) expect(scopes).toContain(scope);
    return new Set(scopes.filter((scope) => !missing.includes(scope)));
  };

  it("sets up a public channel without channels:history, naming the scope in one line there and in status", async () => {
    slack = await startSlackHarness("socket");
    slack.fake.workspace.scopes = await installedWithout("channels:history");
    const { papers } = slack.channels;
    const setup = String((await slack.command(people.admin, papers, "/digest", "setup")).response.text);
    expect(setup).toMatch(/^Set up: daily picks in #papers/);
    const warning =
      "The bot lacks the channels:history scope for #papers: without it a digest interrupted by a restart " +
      "cannot be checked and waits for an admin. Add channels:history to the app's Bot Token Scopes " +
      "(OAuth &amp; Permissions) and reinstall it.";
    expect(linesNaming(setup, "history")).toEqual([warning]);
    expect(await slack.bot.app.services.store.channels.get(`slack:${papers.id}`)).toBeDefined();

    const status = String((await slack.command(people.admin, papers, "/digest", "status")).response.text);
    expect(status).toMatch(/^Daily picks: #papers/);
    expect(linesNaming(status, "history")).toEqual([warning]);

    // Granted by reinstalling the app: the next answer carries the scope, and status says nothing more.
    slack.fake.workspace.scopes = undefined;
    const granted = String((await slack.command(people.admin, papers, "/digest", "status")).response.text);
    expect(granted).not.toContain("history");
  });

  it("asks a private channel for groups:history, and says of im:history in status only", async () => {
    slack = await startSlackHarness("socket");
    slack.fake.workspace.scopes = await installedWithout("groups:history", "im:history");
    const { secret } = slack.channels;
    secret.botIsMember = true;
    const setup = String((await slack.command(people.admin, secret, "/digest", "setup")).response.text);
    expect(setup).toMatch(/^Set up: daily picks in #secret/);
    expect(linesNaming(setup, "history")).toHaveLength(1);
    expect(linesNaming(setup, "groups:history")[0]).toMatch(
      /^The bot lacks the groups:history scope for #secret:/,
    );

    const status = String((await slack.command(people.admin, secret, "/digest", "status")).response.text);
    expect(linesNaming(status, "groups:history")).toHaveLength(1);
    expect(linesNaming(status, "im:history")).toEqual([
      "The bot lacks the im:history scope: without it a topic alert (a DM) interrupted by a restart " +
        "cannot be checked. Add im:history to the app's Bot Token Scopes (OAuth &amp; Permissions) and reinstall it.",
    ]);
  });

  it("warns of nothing when the app has every scope the manifest asks for", async () => {
    slack = await startSlackHarness("socket");
    const { papers } = slack.channels;
    const setup = String((await slack.command(people.admin, papers, "/digest", "setup")).response.text);
    expect(setup).toMatch(/^Set up: daily picks in #papers/);
    expect(setup).not.toContain("lacks");
    const status = String((await slack.command(people.admin, papers, "/digest", "status")).response.text);
    expect(status).toMatch(/^Daily picks: #papers/);
    expect(status).not.toContain("lacks");
  });
});
