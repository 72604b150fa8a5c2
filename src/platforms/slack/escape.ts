/**
 * Slack's mrkdwn treats `<…>` as links, mentions and `<!channel>`/`<!here>`, and `&` starts an
 * entity. Text we did not write (paper titles and abstracts, a user's query) is escaped so it
 * reads as typed and can never ping anyone or become a link.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Block Kit's cap on one text object. */
export const TEXT_LIMIT = 3000;

/**
 * Escapes `text` and cuts it to at most `max` characters after escaping, never inside an entity,
 * with an ellipsis when something was cut.
 */
export function fitEscaped(text: string, max = TEXT_LIMIT): string {
  const escaped = escapeText(text);
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, max - 1);
  const entityStart = cut.lastIndexOf("&");
  if (entityStart !== -1 && !cut.slice(entityStart).includes(";")) cut = cut.slice(0, entityStart);
  return `${cut}…`;
}

/**
 * An http(s) link target safe inside `<url|label>`: anything else (javascript:, mailto:, a
 * malformed string) gives no link at all. `|` and `>` would end the link early, so they are
 * percent-encoded; `&` is escaped as in any mrkdwn text.
 */
export function linkTarget(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  const href = parsed.href.replace(/\|/g, "%7C").replace(/</g, "%3C").replace(/>/g, "%3E");
  return href.length > 2000 ? undefined : href.replace(/&/g, "&amp;");
}

/** Splits escaped text into pieces of at most `max` characters, at line breaks where it can. */
export function chunkEscaped(escaped: string, max = TEXT_LIMIT): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of escaped.split("\n")) {
    let rest = line;
    while (rest.length > max) {
      if (current) chunks.push(current);
      current = "";
      let cut = max;
      const entityStart = rest.lastIndexOf("&", cut);
      if (entityStart > cut - 6 && !rest.slice(entityStart, cut).includes(";")) cut = entityStart;
      chunks.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    const joined = current ? `${current}\n${rest}` : rest;
    if (joined.length > max) {
      chunks.push(current);
      current = rest;
    } else {
      current = joined;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}
