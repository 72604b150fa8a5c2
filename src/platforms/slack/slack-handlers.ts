import type { App as BoltApp, RespondArguments, RespondFn } from "@slack/bolt";
import type { App } from "../../app.ts";
import { followUpAfterAnswer } from "../../command-kit/follow-up.ts";
import { isPagingCommand, type Message, textMessage } from "../../core/message.ts";
import { log } from "../../log.ts";
import type { ChannelAccess, ThreadOpener, ThreadPost } from "../contract.ts";
import { RecentRequests } from "./recent-requests.ts";
import { type RenderOptions, RUN_ACTION_PREFIX, renderBlocks } from "./render-blocks.ts";
import type { DeliverFile } from "./slack-file-delivery.ts";
import type { SlackActor, SlackInvokers } from "./slack-invoker.ts";

export interface HandlerDeps {
  readonly app: App;
  readonly invokers: SlackInvokers;
  readonly channels: ChannelAccess;
  readonly render: () => RenderOptions;
  /** See CommandRequest.platformWarnings. */
  readonly platformWarnings: () => readonly string[];
  /** Sends an answer's file (a response_url cannot carry one) and says where it went. */
  readonly deliverFile: DeliverFile;
  readonly threads?: ThreadOpener;
}

/**
 * Every slash command of the core becomes a Slack command of the same name, and every button
 * we render runs the command line it carries. Each request is acknowledged first (Slack gives
 * 3 seconds), run once even if Slack re-sends it, and answered through its response_url.
 */
export function registerHandlers(bolt: BoltApp, deps: HandlerDeps): void {
  const recent = new RecentRequests();

  for (const command of deps.app.router.commands) {
    bolt.command(`/${command.name}`, async ({ ack, command: body, respond }) => {
      // Claimed before the ack, so a re-send that arrives once Slack has our ack is already known.
      const first = recent.claim(body.trigger_id || body.response_url);
      await ack();
      if (!first) return;
      const actor: SlackActor = {
        userId: body.user_id,
        userName: body.user_name,
        channelId: body.channel_id,
        channelName: body.channel_name,
        teamId: body.team_id,
      };
      await answer(deps, actor, `/${command.name} ${body.text ?? ""}`.trim(), respond, {
        replace: false,
        post: undefined,
      });
    });
  }

  bolt.action(new RegExp(`^${RUN_ACTION_PREFIX}`), async ({ ack, body, action, respond }) => {
    const identity =
      body.type === "block_actions" && "action_id" in action
        ? `${body.trigger_id}:${action.action_id}`
        : undefined;
    const first = identity !== undefined && recent.claim(identity);
    await ack();
    if (!first || body.type !== "block_actions" || action.type !== "button" || !action.value) return;
    const channel = body.channel ?? { id: String(body.container.channel_id ?? ""), name: "" };
    const actor: SlackActor = {
      userId: body.user.id,
      userName: body.user.username ?? body.user.name ?? body.user.id,
      channelId: channel.id,
      ...(channel.name && { channelName: channel.name }),
      ...(body.team?.id !== undefined && { teamId: body.team.id }),
    };
    // Paging an answer only its reader sees replaces it; any other button, and any button on a
    // channel post, answers privately beside it.
    const replace = body.container.is_ephemeral === true && isPagingCommand(action.value);
    await answer(deps, actor, action.value, respond, { replace, post: postOf(body) });
  });
}

/** Card buttons' action ids are `run:card:<card>:<kind>` (render-blocks.ts): a card's first button names it. */
const FIRST_CARD_BUTTON = new RegExp(`^${RUN_ACTION_PREFIX}card:\\d+:0$`);

/**
 * The channel post a button was pressed on (its ts), with how many cards it shows; undefined on
 * a private (ephemeral) answer, which no thread can hang from.
 */
function postOf(body: {
  readonly container: { readonly is_ephemeral?: boolean; readonly message_ts?: string };
  readonly message?: { readonly ts?: string; readonly blocks?: unknown };
}): ThreadPost | undefined {
  const ts = body.message?.ts ?? body.container.message_ts;
  if (body.container.is_ephemeral === true || !ts) return undefined;
  const blocks = Array.isArray(body.message?.blocks) ? (body.message.blocks as { elements?: unknown }[]) : [];
  const cards = blocks.filter(
    (block) =>
      Array.isArray(block.elements) &&
      block.elements.some((element: { action_id?: unknown }) =>
        FIRST_CARD_BUTTON.test(String(element.action_id)),
      ),
  ).length;
  return { id: ts, cards };
}

async function answer(
  deps: HandlerDeps,
  actor: SlackActor,
  line: string,
  respond: RespondFn,
  options: { readonly replace: boolean; readonly post: ThreadPost | undefined },
): Promise<void> {
  // Notes (see CommandRequest.followUp) follow the answer through the same response_url.
  const { followUp, answered } = followUpAfterAnswer((text) =>
    respond(responseBody(textMessage(text), deps.render(), false)).then(() => undefined),
  );
  try {
    const invoker = await deps.invokers.invoker(actor, line);
    const message = await deps.app.router.runLine(line, {
      invoker,
      channels: deps.channels,
      services: deps.app.services,
      followUp,
      platformWarnings: deps.platformWarnings,
      ...(options.post && { post: options.post }),
      ...(deps.threads && { threads: deps.threads }),
    });
    const said = message.attachment
      ? await deps.deliverFile(actor.userId, { ...message, attachment: message.attachment }, line)
      : message;
    await respond(responseBody(said, deps.render(), options.replace));
  } catch (error) {
    // The router answers every command failure itself; what lands here is Slack refusing the answer.
    log.error({ err: error, user: actor.userId, command: line.split(" ")[0] }, "could not answer on Slack");
  } finally {
    answered();
  }
}

/** An answer as a response_url takes it: text and blocks only (a file goes by deliverFile). */
export function responseBody(message: Message, render: RenderOptions, replace: boolean): RespondArguments {
  const { text, blocks } = renderBlocks(message, render);
  return {
    response_type: message.ephemeral ? "ephemeral" : "in_channel",
    replace_original: replace && message.ephemeral,
    text,
    blocks,
  };
}
