const SPECIALS: Readonly<Record<string, string>> = {
  "&": "\\&",
  "%": "\\%",
  $: "\\$",
  "#": "\\#",
  _: "\\_",
  "{": "\\{",
  "}": "\\}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
  "\\": "\\textbackslash{}",
  "<": "\\textless{}",
  ">": "\\textgreater{}",
  "|": "\\textbar{}",
};

const NEEDS_ESCAPE = /[&%$#_{}~^\\<>|]|[-`',!?][-`',]/;

/**
 * Text as LaTeX typesets it back to the same characters: the specials `& % $ # _ { } ~ ^ \` escaped (and `< > |`, which OT1 fonts set as other glyphs),
 * and the ligatures LaTeX would make of `--`, ` `` `, `''`, `!``, `?`` ` and `,,` broken with `{}`.
 * Letters, accents included, stay UTF-8.
 */
export function escapeLatex(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(/[&%$#_{}~^\\<>|]/g, (special) => SPECIALS[special] ?? special)
    .replace(/([-`',!?])(?=[-`',])/g, "$1{}");
}

/** A URL as a braced BibTeX field keeps it: the characters that would unbalance or escape it percent-encoded. */
export function bibtexUrl(url: string): string {
  return url.replace(
    /[{}\\\s]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}
