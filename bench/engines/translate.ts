import { parseQuery } from "../../src/search/query.ts";

/** Our query grammar taken apart, for engines that need it spelled their way. */
export interface QueryParts {
  readonly words: readonly string[];
  readonly phrases: readonly (readonly string[])[];
  readonly authors: readonly (readonly string[])[];
  readonly lastWordIsPrefix: boolean;
}

export function queryParts(query: string): QueryParts {
  const parsed = parseQuery(query);
  const words: string[] = [];
  const phrases: string[][] = [];
  const authors: string[][] = [];
  for (const clause of parsed.clauses) {
    if (clause.kind === "word") words.push(clause.word);
    else if (clause.kind === "phrase") phrases.push([...clause.words]);
    else if (clause.kind === "author") authors.push([...clause.words]);
  }
  return { words, phrases, authors, lastWordIsPrefix: parsed.lastWordIsPrefix };
}
