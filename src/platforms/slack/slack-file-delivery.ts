import type { webApi } from "@slack/bolt";
import { type Message, type MessageAttachment, textMessage } from "../../core/message.ts";
import { log } from "../../log.ts";
import { escapeText, TEXT_LIMIT } from "./escape.ts";
import type { SlackDmChannels } from "./slack-dm-channels.ts";
import { slackErrorCode } from "./slack-errors.ts";
import { FILES_SCOPE, type GrantedScopes, howToGrant } from "./slack-scopes.ts";

/**
 * Delivers an answer's file and returns what to answer the command with instead, one private
 * message. Never throws: every failure is an answer in words.
 */
export type DeliverFile = (
  userId: string,
  message: Message & { readonly attachment: MessageAttachment },
  line: string,
) => Promise<Message>;

export interface FileDeliveryDeps {
  readonly dmChannels: SlackDmChannels;
  readonly scopes: GrantedScopes;
  /** The bot's name, as people find its DMs in Slack's sidebar. */
  readonly botName: string;
}

/** Refusals that asking again will not change: the file is shown in the answer instead, when it fits. */
const uploadsOff: Readonly<Record<string, string>> = {
  file_uploads_disabled: "file uploads are turned off in this workspace",
  file_uploads_except_images_disabled: "this workspace allows only images to be uploaded",
  file_type_not_allowed: "this workspace does not allow files of this type",
};

/**
 * A file cannot be ephemeral on Slack and a response_url cannot carry one, so the file goes to
 * the person's DM with the bot (files.uploadV2: upload URL, bytes, completion with the answer's
 * text as its comment) and the command is answered privately where it was typed, naming the file.
 * The scopes Slack reports on each answer, refused or not, are noted in `scopes`.
 */
export function slackFileDelivery(client: webApi.WebClient, deps: FileDeliveryDeps): DeliverFile {
  return async (userId, message, line) => {
    const file = message.attachment;
    try {
      const channel = await deps.dmChannels(userId);
      const uploaded = await client.files.uploadV2({
        channel_id: channel,
        filename: file.filename,
        title: file.filename,
        content: file.text,
        initial_comment: escapeText(message.text),
      });
      // uploadV2 answers with one files.completeUploadExternal result per completed share.
      const completions = (uploaded as { files?: webApi.WebAPICallResult[] }).files ?? [];
      for (const completion of completions) deps.scopes.note(completion);
      return textMessage(`Sent ${file.filename} to your direct messages with ${deps.botName}.`);
    } catch (error) {
      noteScopes(deps.scopes, error);
      return failureAnswer(error, file, line);
    }
  };
}

function noteScopes(scopes: GrantedScopes, error: unknown): void {
  const data = (error as { data?: webApi.WebAPICallResult } | null)?.data;
  if (data && typeof data === "object") scopes.note(data);
}

function failureAnswer(error: unknown, file: MessageAttachment, line: string): Message {
  const code = slackErrorCode(error);
  if (code === "missing_scope") {
    const needed = (error as { data?: { needed?: unknown } }).data?.needed;
    const scope = typeof needed === "string" && needed !== "" ? needed : FILES_SCOPE;
    return notSentAnswer(
      file,
      `the Slack app lacks the ${scope} scope. Ask a workspace admin: ${howToGrant(scope)} Nothing is lost: run ${line} again then.`,
    );
  }
  const off = code === undefined ? undefined : uploadsOff[code];
  if (off !== undefined) {
    return notSentAnswer(
      file,
      `${off}; a workspace admin can change that. Nothing is lost: run ${line} again then.`,
    );
  }
  log.warn({ err: error, file: file.filename }, "could not send a file on Slack");
  const why = code === undefined ? "the upload failed" : `Slack answered ${code}`;
  return textMessage(
    `Could not send ${file.filename} to your direct messages (${why}); try ${line} again in a minute.`,
  );
}

/**
 * Says why the file was not sent and what to do; below it, the file itself in a code block when
 * it fits in one Block Kit section, so the export can be copied now rather than lost.
 */
export function notSentAnswer(file: MessageAttachment, why: string): Message {
  const said = `Could not send ${file.filename}: ${why}`;
  const shown = `${said}\nHere it is to copy:\n\`\`\`\n${file.text.replace(/\n$/, "")}\n\`\`\``;
  // A fence inside the file would end the code block early; escaping grows the text, so it is measured escaped.
  const fits = !file.text.includes("```") && escapeText(shown).length <= TEXT_LIMIT;
  return textMessage(fits ? shown : `${said}\nIt is too long to show here.`);
}
