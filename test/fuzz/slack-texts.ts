import type { renderBlocks } from "../../src/platforms/slack/render-blocks.ts";

/** A Slack mention or broadcast: `<!…>`, `<@…>`, `<#…>`, only ever written by Slack markup, never by escaped text. */
export const SLACK_MENTION = /<[!@#]/;

/** The fallback text and every mrkdwn text: the ones Slack parses for mentions (plain_text it never does). */
export function slackTexts(rendered: ReturnType<typeof renderBlocks>): string[] {
  const texts = [rendered.text];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") {
      const object = value as Record<string, unknown>;
      if (object.type === "mrkdwn" && typeof object.text === "string") texts.push(object.text);
      for (const inner of Object.values(object)) visit(inner);
    }
  };
  visit(rendered.blocks);
  return texts;
}
