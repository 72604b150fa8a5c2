/**
 * Everything the bot says, before a platform renders it: Discord turns it into embeds and
 * components, Slack into Block Kit, the console into plain text. Commands and deliveries
 * build these; they never build platform payloads.
 */

/** One paper as shown in a reply or a digest. */
export interface PaperCard {
  readonly paperId: string;
  readonly title: string;
  readonly url?: string;
  /** Authors already shortened for display ("A. Vaswani, N. Shazeer et al."). */
  readonly authors?: string;
  /** A short excerpt of the abstract, around the matched words when there was a query. */
  readonly snippet: string;
  /** Where the paper is filed and whether it has a newer version: "cs.CL · cs.LG · updated 2025-07-14". */
  readonly about?: string;
  /** Why this paper is here, in words: "▲ 42 · 2 days old", "#3 on today's list", "matches “kv cache”". */
  readonly reason?: string;
  /** What its sources add, in one line: "TL;DR (Hugging Face): … · Accepted at NeurIPS 2025". */
  readonly note?: string;
  /** Links beside the title's, in this order when present: PDF, Code ⭐ stars, Project, DOI. */
  readonly links?: readonly CardLink[];
}

/** A link on a card: a label the bot wrote and an http(s) URL of printable ASCII (see clean-extras.ts). */
export interface CardLink {
  readonly label: string;
  readonly url: string;
}

/**
 * A button carries the command line it runs when pressed, so platforms need no per-button
 * code: pressing "Next ▶" runs `/papers search kv cache page:2` as the user who pressed it.
 */
export interface MessageButton {
  readonly label: string;
  readonly command: string;
}

/** Paging buttons (`page:N`) replace the answer they are on; every other button answers anew, privately. */
export function isPagingCommand(command: string): boolean {
  return /\spage:\d+/.test(command);
}

/** A text file that goes with a message (a citation export): attached on Discord, printed on the console. */
export interface MessageAttachment {
  /** "saved-papers.bib": a plain name, no folders. */
  readonly filename: string;
  /** "application/x-bibtex". */
  readonly mimeType: string;
  /** The file's content, UTF-8. */
  readonly text: string;
}

export interface Message {
  /** Plain text, the header of a digest or the whole answer; never contains markup from papers. */
  readonly text: string;
  readonly cards: readonly PaperCard[];
  readonly buttons: readonly MessageButton[];
  /** Shown only to the person who asked (a slash-command reply), not to the channel. */
  readonly ephemeral: boolean;
  readonly attachment?: MessageAttachment;
}

export function textMessage(text: string, options: { ephemeral?: boolean } = {}): Message {
  return { text, cards: [], buttons: [], ephemeral: options.ephemeral ?? true };
}
