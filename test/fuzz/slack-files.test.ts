import { webApi } from "@slack/bolt";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEXT_LIMIT } from "../../src/platforms/slack/escape.ts";
import { renderBlocks } from "../../src/platforms/slack/render-blocks.ts";
import { notSentAnswer } from "../../src/platforms/slack/slack-file-delivery.ts";
import { FakeSlack } from "../fakes/slack/fake-slack.ts";
import { fuzzRuns } from "./fuzz-runs.ts";
import { SLACK_MENTION, slackTexts } from "./slack-texts.ts";

/**
 * An export's text comes from papers (untrusted titles, authors, abstracts): whatever it holds,
 * the file reaches Slack byte for byte, and an answer that shows it to copy cannot ping anyone.
 */

/** Text with what means something to Slack mrkdwn, code fences, entities, and any unicode. */
const exportText = fc.oneof(
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 400 }),
  fc
    .array(
      fc.constantFrom(
        "<!everyone>",
        "<!here>",
        "<@U0ADMIN01>",
        "&amp;",
        "&",
        "<",
        ">",
        "```",
        "`",
        "\n",
        "é",
        "🦀",
      ),
      { minLength: 1, maxLength: 40 },
    )
    .map((parts) => parts.join("")),
  fc.string({ unit: "grapheme", minLength: 2500, maxLength: 3200 }),
);

const fromMrkdwn = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

describe("an export Slack could not take, shown in the answer", () => {
  it("never pings, keeps every section within Block Kit's cap, and shows the file exactly or not at all", () => {
    const file = (text: string) => ({ filename: "saved-papers.bib", mimeType: "application/x-bibtex", text });
    fc.assert(
      fc.property(exportText, (text) => {
        const answer = notSentAnswer(file(text), "the Slack app lacks the files:write scope.");
        const rendered = renderBlocks(answer);
        for (const said of slackTexts(rendered)) {
          expect(said).not.toMatch(SLACK_MENTION);
          expect(said.length).toBeLessThanOrEqual(TEXT_LIMIT);
        }
        const shown = /```\n([\s\S]*)\n```$/.exec(rendered.text)?.[1];
        if (shown !== undefined) {
          expect(rendered.blocks).toHaveLength(1);
          expect(fromMrkdwn(shown)).toBe(text.replace(/\n$/, ""));
        } else {
          expect(answer.text).toMatch(/\nIt is too long to show here\.$/);
        }
      }),
      fuzzRuns(2000),
    );
  });
});

describe("an export uploaded with files.uploadV2", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    fake.workspace.addUser({ id: "U0MEMBER1", name: "mia" });
    fake.workspace.dms.set("U0MEMBER1", "D0MEMBER1");
  });
  afterAll(async () => {
    await fake.close();
  });

  it("is refused with missing_scope naming files:write when the app was installed without it, and nothing is kept", async () => {
    const client = new webApi.WebClient("xoxb-fuzz", {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    fake.workspace.scopes = new Set(["chat:write", "im:write"]);
    try {
      const refused = await client.files
        .uploadV2({ channel_id: "D0MEMBER1", filename: "saved-papers.bib", content: "@misc{a,}" })
        .then(
          () => undefined,
          (error: { data?: Record<string, unknown> }) => error.data,
        );
      expect(refused).toMatchObject({ ok: false, error: "missing_scope", needed: "files:write" });
      expect(fake.workspace.files.size).toBe(0);
    } finally {
      fake.workspace.scopes = undefined;
    }
  });

  it("arrives byte for byte, its UTF-8 length the one declared, whatever the text", async () => {
    const client = new webApi.WebClient("xoxb-fuzz", {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    await fc.assert(
      fc.asyncProperty(exportText, async (text) => {
        const before = fake.workspace.files.size;
        await client.files.uploadV2({
          channel_id: "D0MEMBER1",
          filename: "saved-papers.bib",
          content: text,
          initial_comment: "Your saved papers",
        });
        const [file] = [...fake.workspace.files.values()].slice(before);
        expect(file?.length).toBe(Buffer.byteLength(text, "utf8"));
        expect(file?.bytes?.equals(Buffer.from(text, "utf8"))).toBe(true);
        expect(file?.channel).toBe("D0MEMBER1");
      }),
      fuzzRuns(40),
    );
  });
});
