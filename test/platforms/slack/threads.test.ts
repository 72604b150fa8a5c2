import { afterEach, describe, expect, it } from "vitest";
import type { PostedMessage } from "../../fakes/slack/workspace.ts";
import { people, readableText, type SlackHarness, startSlackHarness, titlesIn } from "./slack-harness.ts";

let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

const now = () => new Date("2026-11-26T08:00:00Z");

/** Sets up a digest of `size` papers in #papers and posts today's: the post. */
async function postDigest(harness: SlackHarness, size: number): Promise<PostedMessage> {
  const { papers } = harness.channels;
  await harness.command(people.admin, papers, "/digest", "setup");
  await harness.command(people.admin, papers, "/digest", `size ${size}`);
  const posted = await harness.command(people.admin, papers, "/digest", "now");
  expect(String(posted.response.text)).toMatch(/^Posted today's picks/);
  const post = harness.fake.workspace.messagesIn(papers.id).at(-1);
  if (!post) throw new Error("no digest posted");
  return post;
}

/** The reply's permalink as the answer's mrkdwn carries it (Slack shows `&amp;` as `&`). */
const permalinkOf = (channel: string, reply: PostedMessage | undefined) =>
  `https://fake-workspace.slack.com/archives/${channel}/p${reply?.ts.replace(".", "")}?thread_ts=${reply?.threadTs}&amp;cid=${channel}`;

describe("a discussion thread per paper on Slack", () => {
  it("replies under the post with the paper's card, and a second member's press is sent to the same reply", async () => {
    slack = await startSlackHarness("socket", { now });
    const { papers } = slack.channels;
    const post = await postDigest(slack, 3);
    const titles = titlesIn({ blocks: post.blocks });
    const first = await slack.press(people.member, papers, post.blocks, "Discuss", {
      messageTs: post.ts,
      nth: 1,
    });
    expect(first.response.response_type).toBe("ephemeral");
    const [reply] = slack.fake.workspace.repliesTo(papers.id, post.ts);
    expect(titlesIn({ blocks: reply?.blocks ?? [] })).toEqual([titles[1]]);
    // The reply's card has no Discuss of its own: the thread is where it leads.
    expect(JSON.stringify(reply?.blocks)).not.toContain('"Discuss"');
    const link = permalinkOf(papers.id, reply);
    expect(readableText(first.response)).toContain(`Opened the discussion of “${titles[1]}”: ${link}`);

    const second = await slack.press(people.owner, papers, post.blocks, "Discuss", {
      messageTs: post.ts,
      nth: 1,
    });
    expect(readableText(second.response)).toContain(`Joined the discussion of “${titles[1]}”: ${link}`);
    expect(slack.fake.workspace.repliesTo(papers.id, post.ts)).toHaveLength(1);
    // Nothing new appeared in the channel itself: the digest is still its one post.
    expect(slack.fake.workspace.messagesIn(papers.id)).toHaveLength(1);
  });

  it("says there is no post to thread under when Discuss is pressed on a private answer or typed", async () => {
    slack = await startSlackHarness("socket", { now });
    const { papers } = slack.channels;
    const post = await postDigest(slack, 1);
    const onPrivate = await slack.press(people.member, papers, post.blocks, "Discuss", { ephemeral: true });
    expect(readableText(onPrivate.response)).toContain("has no channel post here to thread under");
    expect(slack.fake.workspace.repliesTo(papers.id, post.ts)).toHaveLength(0);
  });

  it("opens one reply per paper with each digest once an admin turns threads on, and not for a member", async () => {
    slack = await startSlackHarness("socket", { now });
    const { papers } = slack.channels;
    await slack.command(people.admin, papers, "/digest", "setup");
    await slack.command(people.admin, papers, "/digest", "size 3");
    const refused = await slack.command(people.member, papers, "/digest", "threads on");
    expect(readableText(refused.response)).toMatch(/^\/digest threads is for server and workspace admins/);
    const on = await slack.command(people.admin, papers, "/digest", "threads on");
    expect(readableText(on.response)).toMatch(/^Each digest now opens one discussion thread per paper/);
    await slack.command(people.admin, papers, "/digest", "now");
    const [post] = slack.fake.workspace.messagesIn(papers.id);
    if (!post) throw new Error("no digest posted");
    const replies = slack.fake.workspace.repliesTo(papers.id, post.ts);
    expect(replies.map((reply) => titlesIn({ blocks: reply.blocks })[0])).toEqual(
      titlesIn({ blocks: post.blocks }),
    );
    // A press afterwards is sent to the digest's reply for that paper.
    const pressed = await slack.press(people.member, papers, post.blocks, "Discuss", {
      messageTs: post.ts,
      nth: 2,
    });
    expect(readableText(pressed.response)).toContain(`Joined the discussion of`);
    expect(readableText(pressed.response)).toContain(permalinkOf(papers.id, replies[2]));
    expect(slack.fake.workspace.repliesTo(papers.id, post.ts)).toHaveLength(3);
  });
});
