import { describe, expect, it } from "vitest";
import { z } from "zod";
import { bindOptions } from "../../src/command-kit/bind-options.ts";
import { splitWords } from "../../src/command-kit/command-line.ts";
import { optionSpecs, optionUsage } from "../../src/command-kit/option-specs.ts";
import { text, timeOfDay, timeZone, wholeNumber } from "../../src/command-kit/options.ts";

const values = (line: string) => splitWords(line).map((word) => word.value);

describe("splitWords", () => {
  it("groups quoted words, straight or curly, and keeps apostrophes inside words", () => {
    expect(values(`/papers subscribe "state space models"`)).toEqual([
      "/papers",
      "subscribe",
      "state space models",
    ]);
    expect(values("search “kv cache” it's")).toEqual(["search", "kv cache", "it's"]);
    expect(values(`author:"Tri Dao" flash`)).toEqual(["author:Tri Dao", "flash"]);
  });

  it("keeps the raw text of each word for options that read quotes themselves", () => {
    expect(splitWords(`"kv cache" limit:3`).map((word) => word.raw)).toEqual([`"kv cache"`, "limit:3"]);
  });

  it("treats an unclosed quote as an ordinary character instead of swallowing the line", () => {
    expect(values(`"kv cache`)).toEqual([`"kv`, "cache"]);
  });
});

describe("bindOptions", () => {
  const search = optionSpecs(
    z.object({
      query: text({ description: "q", greedy: true, keepQuotes: true }),
      limit: wholeNumber({ description: "n", min: 1, max: 10 }).default(5),
    }),
  );
  const time = optionSpecs(
    z.object({ time: timeOfDay({ description: "t" }), timezone: timeZone({ description: "z" }).optional() }),
  );

  it("gives a greedy option the rest of the line, quotes kept where it reads them", () => {
    expect(bindOptions(search, splitWords(`"kv cache" eviction limit:3`))).toEqual({
      ok: true,
      values: { query: `"kv cache" eviction`, limit: "3" },
    });
  });

  it("leaves query syntax such as author:name in the text when it is not an option", () => {
    expect(bindOptions(search, splitWords("author:dao attention"))).toEqual({
      ok: true,
      values: { query: "author:dao attention" },
    });
  });

  it("binds one word per positional option in definition order", () => {
    expect(bindOptions(time, splitWords("08:30 Europe/Berlin"))).toEqual({
      ok: true,
      values: { time: "08:30", timezone: "Europe/Berlin" },
    });
  });

  it("refuses words left over, naming them", () => {
    const result = bindOptions(time, splitWords("08:30 Europe/Berlin tomorrow"));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain("tomorrow");
  });
});

describe("optionSpecs", () => {
  it("reads types, ranges and requiredness from the zod schema, for usage lines and registration", () => {
    const [query, limit] = optionSpecs(
      z.object({
        query: text({ description: "What to look for", greedy: true }),
        limit: wholeNumber({ description: "How many", min: 1, max: 10 }).optional(),
      }),
    );
    expect(query).toMatchObject({
      name: "query",
      type: "string",
      required: true,
      description: "What to look for",
    });
    expect(limit).toMatchObject({ name: "limit", type: "integer", required: false, min: 1, max: 10 });
    expect([query, limit].map((spec) => spec && optionUsage(spec))).toEqual(["<query>", "[limit:1-10]"]);
  });
});
