/** An author's name split the way citation formats want it: "Family, Given" with particles in the family. */
export interface PersonName {
  /** Surname with its particles ("van der Berg", "Le Roux"); the whole name when it cannot be split. */
  readonly family: string;
  /** Empty for a one-word name (an organisation, a mononym). */
  readonly given: string;
  /** "Jr.", "III": kept apart so the family name stays the surname. */
  readonly suffix: string;
}

/** Particles written in lower case start the family name wherever they stand after the given name. */
const LOWER_PARTICLES = new Set([
  "van",
  "von",
  "der",
  "den",
  "de",
  "del",
  "della",
  "degli",
  "di",
  "da",
  "dos",
  "das",
  "du",
  "des",
  "la",
  "le",
  "ter",
  "ten",
  "zu",
  "zur",
  "af",
  "av",
  "op",
  "'t",
  "bin",
  "ibn",
  "al",
  "el",
  "st.",
]);
/** Capitalised, these start the family name only inside a name ("Émile Le Roux", not "Van Nguyen"). */
const CAPITAL_PARTICLES = new Set([
  "van",
  "von",
  "de",
  "del",
  "della",
  "di",
  "da",
  "du",
  "des",
  "la",
  "le",
  "dos",
]);
const SUFFIXES = new Set(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"]);

/** Control characters, whitespace other than one space between words. */
const UNCLEAN = /\p{Cc}|[^\S ]| {2}|^ | $/u;

/** Collapses runs of whitespace and drops control characters: what every citation format can hold. */
export function cleanField(text: string): string {
  if (!UNCLEAN.test(text)) return text;
  return text
    .replace(/\p{Cc}/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Splits an author as a source wrote it ("Jan van der Berg", "Le Roux, Émile", "Martin King Jr.").
 * A name with a comma is already "Family, Given"; otherwise the family name starts at the first
 * particle after the first word, else it is the last word. Accents and case are kept as written.
 */
export function splitName(raw: string): PersonName {
  const name = cleanField(raw);
  const comma = name.indexOf(",");
  if (comma >= 0) {
    const family = name.slice(0, comma).trim();
    const given = name.slice(comma + 1).trim();
    if (family) return { family, given, suffix: "" };
    return splitName(given);
  }
  const words = name.split(" ").filter(Boolean);
  let suffix = "";
  const last = words.at(-1);
  if (words.length > 2 && last !== undefined && SUFFIXES.has(last.toLowerCase())) {
    suffix = last;
    words.pop();
  }
  if (words.length <= 1) return { family: words[0] ?? "", given: "", suffix };
  let start = words.length - 1;
  for (let i = 1; i < words.length - 1; i++) {
    const word = words[i] ?? "";
    const lower = word.toLowerCase();
    const isLower = word === lower && LOWER_PARTICLES.has(lower);
    if (isLower || CAPITAL_PARTICLES.has(lower)) {
      start = i;
      break;
    }
  }
  return { family: words.slice(start).join(" "), given: words.slice(0, start).join(" "), suffix };
}
