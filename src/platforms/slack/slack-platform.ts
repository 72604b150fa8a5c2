import { App as BoltApp, HTTPReceiver, SocketModeReceiver, webApi } from "@slack/bolt";
import type { App } from "../../app.ts";
import { cardActionsOf } from "../../command-kit/card-actions.ts";
import { type Config, ConfigError } from "../../config.ts";
import { log } from "../../log.ts";
import type { RunningPlatform } from "../contract.ts";
import { boltLogger } from "./bolt-logger.ts";
import type { RenderOptions } from "./render-blocks.ts";
import { refusingFutureTimestamps } from "./request-window.ts";
import { slackChannelAccess } from "./slack-channels.ts";
import { slackDmChannels } from "./slack-dm-channels.ts";
import { slackErrorCode } from "./slack-errors.ts";
import { slackFileDelivery } from "./slack-file-delivery.ts";
import { findSlackDelivery } from "./slack-find-delivery.ts";
import { registerHandlers } from "./slack-handlers.ts";
import { SlackInvokers } from "./slack-invoker.ts";
import { ANSWER_RETRIES, DELIVERY_RETRIES } from "./slack-retries.ts";
import { GrantedScopes } from "./slack-scopes.ts";
import { slackSender } from "./slack-sender.ts";
import { slackConnection } from "./slack-settings.ts";
import { slackThreads } from "./slack-threads.ts";

export interface SlackPlatform extends RunningPlatform {
  readonly mode: "socket" | "http";
  /** The HTTP receiver's port (HTTP mode), useful when it was started on port 0. */
  readonly port?: number;
}

export interface SlackStartOptions {
  /** Overrides PORT for the HTTP receiver; 0 picks a free port (tests, benches). */
  readonly port?: number;
}

/** Codes with which Slack rejects a token outright: start-up stops and names the variable. */
const rejectedToken = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
]);

/**
 * Connects the core to one Slack workspace: Socket Mode when SLACK_APP_TOKEN is set, else
 * Slack's signed HTTP requests on PORT at /slack/events. Registers the commands and buttons,
 * and the sender that posts digests and DMs topic alerts.
 */
export async function startSlack(
  app: App,
  config: Config,
  options: SlackStartOptions = {},
): Promise<SlackPlatform> {
  const connection = slackConnection(config);
  const logger = boltLogger();
  const clientOptions = {
    ...(connection.apiUrl !== undefined && { slackApiUrl: connection.apiUrl }),
    retryConfig: DELIVERY_RETRIES,
    logger,
  };

  const client = new webApi.WebClient(connection.botToken, clientOptions);
  const scopes = new GrantedScopes();
  const identity = await checkedIdentity(client, scopes);

  let socketReceiver: SocketModeReceiver | undefined;
  let httpReceiver: HTTPReceiver | undefined;
  if (connection.mode === "socket") {
    socketReceiver = new SocketModeReceiver({
      appToken: connection.appToken,
      logger,
      installerOptions: { clientOptions: { ...clientOptions } },
    });
  } else {
    httpReceiver = new HTTPReceiver({
      signingSecret: connection.signingSecret,
      endpoints: "/slack/events",
      port: connection.port,
      logger,
      processBeforeResponse: false,
    });
    httpReceiver.requestListener = refusingFutureTimestamps(httpReceiver.requestListener);
  }
  const receiver = socketReceiver ?? httpReceiver;
  const bolt = new BoltApp({
    token: connection.botToken,
    botId: identity.botId,
    botUserId: identity.userId,
    ...(receiver && { receiver }),
    logger,
    clientOptions,
  });
  bolt.error(async (error) => {
    log.error({ err: error }, "Slack request failed");
  });

  const cardActions = cardActionsOf(app.router);
  const render = (): RenderOptions => ({ cardActions });
  // Cards posted in a channel also carry Discuss, which opens the paper's thread under the post.
  const postCardActions = cardActionsOf(app.router, { channelPost: true });
  const renderPost = (): RenderOptions => ({ cardActions: postCardActions });
  const threads = slackThreads(client, render);
  const channels = slackChannelAccess(client, identity.name, scopes);
  const invokers = new SlackInvokers(client, app.router, config.SLACK_ADMIN_USER_IDS);
  const platformWarnings = () => scopes.directMessageWarnings();
  // One DM cache for all: a topic alert is looked for in the DM it was sent to, and exports go there too.
  const dmChannels = slackDmChannels(client);
  // Its own client: a rate-limit pause on one does not stall the other (see FACTS on @slack/web-api).
  const fileClient = new webApi.WebClient(connection.botToken, {
    ...clientOptions,
    retryConfig: ANSWER_RETRIES,
  });
  const deliverFile = slackFileDelivery(fileClient, { dmChannels, scopes, botName: identity.name });
  registerHandlers(bolt, { app, invokers, channels, render, platformWarnings, deliverFile, threads });

  let port: number | undefined;
  try {
    if (connection.mode === "http") {
      const server = await bolt.start(options.port ?? connection.port);
      const address = server.address();
      port = typeof address === "object" && address ? address.port : undefined;
    } else {
      await bolt.start();
    }
  } catch (error) {
    const code = slackErrorCode(error);
    if (connection.mode === "socket" && code && rejectedToken.has(code)) {
      throw new ConfigError(
        `SLACK_APP_TOKEN: Slack rejected it (${code}); copy the app-level token (xapp-…) again`,
      );
    }
    throw error;
  }
  app.outbox.register("slack", slackSender(client, { render, renderPost }, { dmChannels }), {
    find: findSlackDelivery(client, identity, { dmChannels }),
    threads,
  });
  log.info(
    { mode: connection.mode, team: identity.team, ...(port !== undefined && { port }) },
    "Slack connected",
  );

  return {
    mode: connection.mode,
    ...(port !== undefined && { port }),
    async stop() {
      if (socketReceiver) {
        // Bolt's stop() only starts the close handshake; the client's disconnect() ends with the socket closed.
        await socketReceiver.client.disconnect();
      } else if (httpReceiver) {
        await httpReceiver.stop().catch(() => undefined);
      }
    },
  };
}

interface BotIdentity {
  readonly userId: string;
  readonly botId: string;
  readonly name: string;
  readonly team: string;
}

/**
 * Asks Slack who the bot token belongs to: a wrong token stops start-up here, with the variable's
 * name. The answer also says which scopes the token has, kept in `scopes`.
 */
async function checkedIdentity(client: webApi.WebClient, scopes: GrantedScopes): Promise<BotIdentity> {
  try {
    const auth = await client.auth.test();
    scopes.note(auth);
    return {
      userId: auth.user_id ?? "",
      botId: auth.bot_id ?? "",
      name: auth.user ?? "paper-picks",
      team: auth.team ?? auth.team_id ?? "",
    };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && rejectedToken.has(code)) {
      throw new ConfigError(
        `SLACK_BOT_TOKEN: Slack rejected it (${code}); copy the Bot User OAuth Token (xoxb-…) again`,
      );
    }
    throw error;
  }
}
