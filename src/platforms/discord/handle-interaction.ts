import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  MessageFlags,
  type StringSelectMenuInteraction,
} from "discord.js";
import type { CommandRequest } from "../../command-kit/define.ts";
import { followUpAfterAnswer } from "../../command-kit/follow-up.ts";
import type { CommandRouter, Invocation } from "../../command-kit/router.ts";
import { type Message, textMessage } from "../../core/message.ts";
import { log } from "../../log.ts";
import type { Services } from "../../services.ts";
import type { ChannelAccess, ThreadOpener, ThreadPost } from "../contract.ts";
import type { ButtonIds, ButtonMode } from "./button-ids.ts";
import { invokerFrom } from "./invoker.ts";
import { CARD_MENU_PREFIX } from "./render-components.ts";
import type { DiscordMessage } from "./render-message.ts";

/** Answer at once when the work is done by then; otherwise defer, well inside Discord's 3 s. */
export const DEFER_AFTER_MS = 1000;
/** Discord's caps on autocomplete: 25 choices, names and values of at most 100 characters. */
const CHOICES_MAX = 25;
const CHOICE_TEXT_MAX = 100;

export interface InteractionDeps {
  readonly router: CommandRouter;
  readonly services: Services;
  readonly buttonIds: ButtonIds;
  readonly render: (message: Message) => DiscordMessage;
  readonly channels: ChannelAccess;
  readonly threads?: ThreadOpener;
  readonly deferAfterMs?: number;
}

/** Every interaction ends here; nothing it does can throw into discord.js or crash the process. */
export async function handleInteraction(interaction: Interaction, deps: InteractionDeps): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await suggest(interaction, deps);
    else if (interaction.isChatInputCommand()) await command(interaction, deps);
    else if (interaction.isButton()) await button(interaction, interaction.customId, deps);
    else if (interaction.isStringSelectMenu() && interaction.customId.startsWith(CARD_MENU_PREFIX)) {
      // A card menu's chosen option carries what that card's button would.
      const [chosen] = interaction.values;
      if (chosen !== undefined) await button(interaction, chosen, deps);
    }
  } catch (error) {
    log.warn({ err: error, interaction: interaction.id }, "could not answer a Discord interaction");
  }
}

function requestOf(interaction: Interaction, deps: InteractionDeps): CommandRequest {
  const post = postOf(interaction);
  return {
    invoker: invokerFrom(interaction),
    channels: deps.channels,
    services: deps.services,
    ...(post && { post }),
    ...(deps.threads && { threads: deps.threads }),
  };
}

/** A card's footer ends with its paper's id (render-message.ts): how the cards of a post are counted. */
const CARD_FOOTER = /(?:^| · )id \S+$/;

/**
 * The channel post a button or menu was used on, with how many paper cards it shows; undefined for
 * a typed command and for a private (ephemeral) answer, which no thread can hang from.
 */
function postOf(interaction: Interaction): ThreadPost | undefined {
  if (!interaction.isButton() && !interaction.isStringSelectMenu()) return undefined;
  const message = interaction.message;
  if (message.flags.has(MessageFlags.Ephemeral)) return undefined;
  const cards = message.embeds.filter((embed) => CARD_FOOTER.test(embed.footer?.text ?? "")).length;
  return { id: message.id, cards };
}

/** `/digest topics add topic:x` arrives as nested options; the router wants path + flat values. */
export function invocationOf(interaction: ChatInputCommandInteraction | AutocompleteInteraction): Invocation {
  const path: string[] = [];
  let options: readonly CommandInteractionOption[] = interaction.options.data;
  for (;;) {
    const [first] = options;
    if (!first || (first.type !== 1 && first.type !== 2)) break;
    path.push(first.name);
    options = first.options ?? [];
  }
  const values = Object.fromEntries(options.map((option) => [option.name, option.value]));
  return { command: interaction.commandName, path, options: values };
}

/**
 * Runs a command or a button's work with `run` and answers with its message; the notes of the request
 * (see CommandRequest.followUp) follow that answer as messages only the user sees.
 */
async function answerWithNotes(
  interaction: ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction,
  mode: ButtonMode,
  deps: InteractionDeps,
  run: (request: CommandRequest) => Promise<Message>,
): Promise<void> {
  const { followUp, answered } = followUpAfterAnswer(async (text) => {
    await interaction.followUp({ ...payloadOf(textMessage(text), deps), flags: MessageFlags.Ephemeral });
  });
  try {
    await answer(interaction, run({ ...requestOf(interaction, deps), followUp }), mode, deps);
  } finally {
    answered();
  }
}

async function command(interaction: ChatInputCommandInteraction, deps: InteractionDeps): Promise<void> {
  await answerWithNotes(interaction, "reply", deps, (request) =>
    deps.router.run(invocationOf(interaction), request),
  );
}

async function button(
  interaction: ButtonInteraction | StringSelectMenuInteraction,
  customId: string,
  deps: InteractionDeps,
): Promise<void> {
  const action = deps.buttonIds.resolve(customId);
  if (!action) return;
  const { line, mode } = action;
  if (!line) {
    await answer(
      interaction,
      Promise.resolve(
        textMessage("This button has expired (the bot restarted since). Run the command again."),
      ),
      "reply",
      deps,
    );
    return;
  }
  await answerWithNotes(interaction, mode, deps, (request) => deps.router.runLine(line, request));
}

async function suggest(interaction: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const suggestions = await deps.router.suggest(
    { ...invocationOf(interaction), focused: focused.name },
    requestOf(interaction, deps),
  );
  await interaction.respond(
    suggestions
      .filter((suggestion) => suggestion.name && suggestion.value)
      .slice(0, CHOICES_MAX)
      .map((suggestion) => ({
        name: suggestion.name.slice(0, CHOICE_TEXT_MAX),
        value: suggestion.value.slice(0, CHOICE_TEXT_MAX),
      })),
  );
}

/**
 * Replies (or updates the message a paging button is on) directly when the work finishes within
 * DEFER_AFTER_MS, else acknowledges first and edits the answer in when it is ready. A deferred
 * reply must choose ephemeral up front: it is private, as every command answer here is.
 */
async function answer(
  interaction: ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction,
  work: Promise<Message>,
  mode: ButtonMode,
  deps: InteractionDeps,
): Promise<void> {
  const deferAfterMs = deps.deferAfterMs ?? DEFER_AFTER_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deferAfterMs);
  });
  // A threshold of 0 means "always defer", without racing a timer against work that may finish first.
  const quick =
    deferAfterMs <= 0 ? undefined : await Promise.race([work.then((message) => ({ message })), late]);
  clearTimeout(timer);
  if (quick) {
    const payload = payloadOf(quick.message, deps);
    if (mode === "update" && interaction.isButton()) await interaction.update(payload);
    else
      await interaction.reply({
        ...payload,
        ...(quick.message.ephemeral && { flags: MessageFlags.Ephemeral }),
      });
    return;
  }
  if (mode === "update" && interaction.isButton()) await interaction.deferUpdate();
  else await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const message = await work;
  await interaction.editReply(payloadOf(message, deps));
}

/** A message as discord.js sends it: rendered, with its file, and never pinging anyone. */
function payloadOf(message: Message, deps: InteractionDeps) {
  return { ...deps.render(message), allowedMentions: { parse: [] }, ...filesOf(message) };
}

/** A message's file as discord.js uploads it: a `files[0]` part of a multipart request. */
function filesOf(message: Message): { files?: { attachment: Buffer; name: string; contentType: string }[] } {
  const file = message.attachment;
  if (!file) return {};
  return {
    files: [{ attachment: Buffer.from(file.text, "utf8"), name: file.filename, contentType: file.mimeType }],
  };
}
