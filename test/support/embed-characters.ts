/**
 * The characters of a message's embeds as Discord counts them against its 6,000 in all: every
 * title, description, footer and author name. Counted here on its own, not by the renderer's code,
 * so a test of the renderer's limit cannot agree with a mistake in it.
 */
export function embedCharacters(
  embeds: readonly {
    readonly title?: string;
    readonly description?: string;
    readonly footer?: { readonly text: string };
    readonly author?: { readonly name: string };
  }[],
): number {
  return embeds.reduce(
    (sum, embed) =>
      sum +
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.footer?.text.length ?? 0) +
      (embed.author?.name.length ?? 0),
    0,
  );
}
