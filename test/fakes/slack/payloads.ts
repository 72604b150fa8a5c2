import { randomBytes } from "node:crypto";
import type { FakeSlack } from "./fake-slack.ts";
import { BOT_ID, BOT_USER_ID, type FakeSlackChannel, type FakeSlackUser, TEAM_ID } from "./workspace.ts";

/**
 * Request bodies as Slack sends them to an app: slash commands as flat string fields, block
 * actions as a JSON `payload`. Each carries a fresh `trigger_id` and a `response_url` on the fake.
 */

function triggerId(): string {
  return `${Date.now()}.${randomBytes(6).toString("hex")}`;
}

export function slashCommand(
  fake: FakeSlack,
  where: {
    readonly user: FakeSlackUser;
    readonly channel: FakeSlackChannel | { readonly id: string; readonly name: string };
  },
  command: string,
  text: string,
): Record<string, string> {
  return {
    token: "verification-token-unused",
    team_id: TEAM_ID,
    team_domain: "fake-workspace",
    channel_id: where.channel.id,
    channel_name: where.channel.name,
    user_id: where.user.id,
    user_name: where.user.name,
    command,
    text,
    api_app_id: "A0FAKE",
    is_enterprise_install: "false",
    response_url: fake.newResponseUrl(),
    trigger_id: triggerId(),
  };
}

/** A press of one of the buttons in `blocks` (found by its text), as Slack's block_actions payload. */
export function buttonPress(
  fake: FakeSlack,
  where: { readonly user: FakeSlackUser; readonly channel: { readonly id: string; readonly name: string } },
  blocks: readonly Record<string, unknown>[],
  label: string,
  options: {
    readonly ephemeral?: boolean;
    /** The ts of the channel post the button is on: the press then carries that message, as Slack's does. */
    readonly messageTs?: string;
    /** Which of the buttons with this label (0: the first). */
    readonly nth?: number;
  } = {},
): Record<string, unknown> {
  const found = buttonsIn(blocks).filter(({ button }) => button.text.text === label)[options.nth ?? 0];
  if (!found) throw new Error(`no button “${label}” in the message`);
  const { button, blockId } = found;
  return {
    type: "block_actions",
    user: { id: where.user.id, username: where.user.name, name: where.user.name, team_id: TEAM_ID },
    api_app_id: "A0FAKE",
    token: "verification-token-unused",
    container: {
      type: "message",
      message_ts: options.messageTs ?? "1700000000.000100",
      channel_id: where.channel.id,
      is_ephemeral: options.messageTs === undefined ? (options.ephemeral ?? true) : false,
    },
    ...(options.messageTs !== undefined && {
      message: { type: "message", ts: options.messageTs, user: BOT_USER_ID, bot_id: BOT_ID, blocks },
    }),
    trigger_id: triggerId(),
    team: { id: TEAM_ID, domain: "fake-workspace" },
    channel: { id: where.channel.id, name: where.channel.name },
    response_url: fake.newResponseUrl(),
    actions: [
      {
        action_id: button.action_id,
        block_id: blockId,
        text: button.text,
        value: button.value,
        type: "button",
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

interface ButtonElement {
  readonly type: string;
  readonly action_id: string;
  readonly value: string;
  readonly text: { readonly text: string };
}

export function buttonsIn(
  blocks: readonly Record<string, unknown>[],
): { button: ButtonElement; blockId: string }[] {
  const found: { button: ButtonElement; blockId: string }[] = [];
  for (const block of blocks) {
    const blockId = String(block.block_id ?? "");
    const elements = [
      ...((block.elements as ButtonElement[] | undefined) ?? []),
      ...(block.accessory ? [block.accessory as ButtonElement] : []),
    ];
    for (const element of elements) if (element.type === "button") found.push({ button: element, blockId });
  }
  return found;
}
