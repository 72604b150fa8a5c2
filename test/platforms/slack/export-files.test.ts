import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { readBibtex } from "../../citations/parse-back.ts";
import { people, type SlackHarness, type SlackMode, startSlackHarness } from "./slack-harness.ts";

let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

/** An export's answer comes after three calls and an upload; give a busy CI machine room. */
const EXPORT_ANSWER = { timeoutMs: 20_000 };

async function saveFirst(harness: SlackHarness, query: string): Promise<string> {
  const [paper] = (await harness.bot.run(`/papers search ${query} limit:1`)).cards;
  await harness.command(people.member, harness.channels.papers, "/papers", `save ${paper?.paperId ?? ""}`);
  return paper?.title ?? "";
}

function exportBibtex(harness: SlackHarness) {
  return harness.command(people.member, harness.channels.papers, "/papers", "export bibtex", EXPORT_ANSWER);
}

/** The member's DM with the bot, once conversations.open made it. */
function memberDm(harness: SlackHarness): string {
  const dm = harness.fake.workspace.dms.get(people.member.id);
  if (!dm) throw new Error("no DM was opened for the member");
  return dm;
}

const fromMrkdwn = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The file shown in a code block of an answer, as a person copying it would get it. */
function codeBlockOf(text: string): string {
  const found = /```\n([\s\S]*)\n```/.exec(text);
  if (!found?.[1]) throw new Error(`no code block in: ${text}`);
  return fromMrkdwn(found[1]);
}

async function manifestScopesWithout(scope: string): Promise<Set<string>> {
  const manifest = JSON.parse(
    await readFile(new URL("../../../slack-app-manifest.json", import.meta.url), "utf8"),
  ) as { oauth_config: { scopes: { bot: string[] } } };
  expect(manifest.oauth_config.scopes.bot).toContain(scope);
  return new Set(manifest.oauth_config.scopes.bot.filter((granted) => granted !== scope));
}

describe.each<SlackMode>(["socket", "http"])("/papers export on Slack over %s", (mode) => {
  it("sends the file to the person's DM with the bot, which a BibTeX reader reads back, and says so privately", async () => {
    slack = await startSlackHarness(mode);
    const title = await saveFirst(slack, "diffusion");
    const answer = await exportBibtex(slack);
    expect(answer.response.response_type).toBe("ephemeral");
    expect(answer.response.text).toBe("Sent saved-papers.bib to your direct messages with paper-picks.");

    const dm = memberDm(slack);
    const [file, ...more] = slack.fake.workspace.filesIn(dm);
    expect(more).toEqual([]);
    expect(file).toMatchObject({
      name: "saved-papers.bib",
      title: "saved-papers.bib",
      comment: "Your 1 saved paper as BibTeX, newest first: saved-papers.bib.",
    });
    expect(readBibtex(file?.text ?? "").map((entry) => entry.fields.title)).toEqual([title]);
    // Slack sending the same command again (it thought the first timed out) sends no second file.
    await answer.delivery.retry(1);
    await slack.command(people.member, slack.channels.papers, "/papers", "help");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(slack.fake.workspace.filesIn(dm)).toHaveLength(1);
    // Slack files cannot be ephemeral: nothing of the reading list shows in the channel.
    expect(slack.fake.workspace.messagesIn(slack.channels.papers.id)).toEqual([]);
    expect(slack.fake.workspace.filesIn(slack.channels.papers.id)).toEqual([]);
  });

  it("without files:write, names the scope and how to grant it, shows the file to copy, and sends it once granted", async () => {
    slack = await startSlackHarness(mode);
    slack.fake.workspace.scopes = await manifestScopesWithout("files:write");
    const title = await saveFirst(slack, "kv cache");
    const refused = await exportBibtex(slack);
    expect(refused.response.response_type).toBe("ephemeral");
    const said = String(refused.response.text);
    expect(said.split("\n")[0]).toBe(
      "Could not send saved-papers.bib: the Slack app lacks the files:write scope. Ask a workspace admin: " +
        "Add files:write to the app's Bot Token Scopes (OAuth &amp; Permissions) and reinstall it. " +
        "Nothing is lost: run /papers export bibtex again then.",
    );
    expect(readBibtex(codeBlockOf(said)).map((entry) => entry.fields.title)).toEqual([title]);
    expect(slack.fake.workspace.files.size).toBe(0);
    expect(slack.fake.callsOf("files.getUploadURLExternal")).toHaveLength(1);

    // Reinstalled with the scope: the same command now sends the file.
    slack.fake.workspace.scopes = undefined;
    const sent = await exportBibtex(slack);
    expect(sent.response.text).toBe("Sent saved-papers.bib to your direct messages with paper-picks.");
    expect(slack.fake.workspace.filesIn(memberDm(slack)).map((file) => file.name)).toEqual([
      "saved-papers.bib",
    ]);
  });

  it("answers an upload the upload URL refuses in one line, and the next export goes through", async () => {
    slack = await startSlackHarness(mode);
    await saveFirst(slack, "diffusion");
    // The first try and both of the client's retries.
    slack.fake.refuseUploads(3);
    const failed = await exportBibtex(slack);
    expect(failed.response.response_type).toBe("ephemeral");
    expect(failed.response.text).toBe(
      "Could not send saved-papers.bib to your direct messages (the upload failed); try /papers export bibtex again in a minute.",
    );
    expect(slack.fake.callsOf("files.completeUploadExternal")).toEqual([]);
    expect(slack.fake.workspace.filesIn(memberDm(slack))).toEqual([]);

    const sent = await exportBibtex(slack);
    expect(sent.response.text).toBe("Sent saved-papers.bib to your direct messages with paper-picks.");
    expect(slack.fake.workspace.filesIn(memberDm(slack))).toHaveLength(1);
  });

  it("answers Slack's refusals in words: an error code in one line, uploads turned off with the file to copy", async () => {
    slack = await startSlackHarness(mode);
    const title = await saveFirst(slack, "diffusion");
    slack.fake.fail("files.completeUploadExternal", { error: "internal_error" });
    const failed = await exportBibtex(slack);
    expect(failed.response.text).toBe(
      "Could not send saved-papers.bib to your direct messages (Slack answered internal_error); try /papers export bibtex again in a minute.",
    );
    expect(slack.fake.workspace.filesIn(memberDm(slack))).toEqual([]);

    slack.fake.fail("files.getUploadURLExternal", { error: "file_uploads_disabled" });
    const off = String((await exportBibtex(slack)).response.text);
    expect(off.split("\n")[0]).toBe(
      "Could not send saved-papers.bib: file uploads are turned off in this workspace; a workspace admin can change that. Nothing is lost: run /papers export bibtex again then.",
    );
    expect(readBibtex(codeBlockOf(off)).map((entry) => entry.fields.title)).toEqual([title]);
  });
});
