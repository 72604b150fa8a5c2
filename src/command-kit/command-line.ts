/**
 * Splits a typed command line into words, honouring "double", “curly” and 'single' quotes, so
 * `/papers subscribe "state space models"` keeps the topic together. Each word keeps its raw
 * text too, for options that read quotes themselves (search phrases).
 */
export interface Word {
  readonly value: string;
  readonly raw: string;
}

const closingQuote: Record<string, string> = { '"': '"', "“": "”", "„": "“", "'": "'", "‘": "’" };

export function splitWords(line: string): Word[] {
  const words: Word[] = [];
  let index = 0;
  while (index < line.length) {
    while (index < line.length && /\s/.test(line[index] as string)) index++;
    if (index >= line.length) break;
    const start = index;
    let value = "";
    while (index < line.length && !/\s/.test(line[index] as string)) {
      const char = line[index] as string;
      const close = closingQuote[char];
      // A quote opens a group only at the start of a word or after `name:`, so "it's" stays one word.
      const opensGroup = close !== undefined && (index === start || line[index - 1] === ":");
      const end = opensGroup ? line.indexOf(close, index + 1) : -1;
      if (end > index) {
        value += line.slice(index + 1, end);
        index = end + 1;
      } else {
        value += char;
        index++;
      }
    }
    words.push({ value, raw: line.slice(start, index) });
  }
  return words;
}
