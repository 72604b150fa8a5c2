import type { Message } from "../../core/message.ts";

/**
 * A neutral message as plain text for a terminal: titles in full and in order, so scripts
 * using `--once` can read the answer line by line; an attached file is printed last, as it is.
 */
export function renderText(message: Message): string {
  const lines: string[] = [];
  if (message.text) lines.push(message.text);
  message.cards.forEach((card, position) => {
    if (lines.length > 0) lines.push("");
    lines.push(`${position + 1}. ${card.title}`);
    const details = [card.authors, card.about, `id ${card.paperId}`].filter(Boolean).join(" · ");
    lines.push(`   ${details}`);
    if (card.snippet) lines.push(`   ${card.snippet}`);
    if (card.note) lines.push(`   ${card.note}`);
    if (card.reason) lines.push(`   ${card.reason}`);
    if (card.url) lines.push(`   ${card.url}`);
    if (card.links?.length)
      lines.push(`   ${card.links.map((link) => `${link.label} ${link.url}`).join(" · ")}`);
  });
  if (message.buttons.length) {
    lines.push("");
    for (const button of message.buttons) lines.push(`[${button.label}] ${button.command}`);
  }
  // The file as it would be saved, after one blank line, so `--once … > file` keeps it whole.
  if (message.attachment) lines.push("", message.attachment.text.replace(/\n$/, ""));
  return lines.join("\n");
}
