/** Cuts text to at most `max` characters at a word boundary, marking the cut with an ellipsis. */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, Math.max(0, max - 1));
  const lastSpace = room.lastIndexOf(" ");
  // A single very long word is cut mid-word rather than dropped.
  const cut = lastSpace > max * 0.6 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:.–-]+$/u, "")}…`;
}

/** One formatter for every call: toLocaleDateString builds a new one each time, ~0.3 ms. */
const dayAndMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** "26 Nov" for a local date "2026-11-26", as headers show it. */
export function shortDate(localDate: string): string {
  const [year, month, day] = localDate.split("-").map(Number);
  return dayAndMonth.format(new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1)));
}

/** "1 paper", "2 papers", "0 papers"; `pluralWord` for irregular plurals: plural(n, "try", "tries"). */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}
