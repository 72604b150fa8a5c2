import type { Role } from "./platform-adapter.ts";

/** A seed-corpus paper the `similar` cases start from; `{seed}` in a line stands for its id. */
export const SEED_TITLE = "BASS: Batched Attention-optimized Speculative Sampling";

export interface ParityCase {
  readonly name: string;
  /** The command line as a user would write it; `{seed}` is replaced by the seed paper's id. */
  readonly line: string;
  readonly as: Role;
  /** Lines the same user runs first, on the same platform (a digest must exist to be previewed). */
  readonly before?: readonly string[];
  /** How many papers the answer shows; the console's answer must show exactly this many. */
  readonly papers: number;
  /** What the answer must say on every platform. */
  readonly says?: RegExp;
}

export const parityCases: readonly ParityCase[] = [
  {
    name: "a plain search",
    line: "/papers search kv cache",
    as: "member",
    papers: 5,
    says: /Results 1–5 of/,
  },
  {
    name: "a quoted phrase with a limit",
    line: '/papers search "speculative decoding" limit:3',
    as: "member",
    papers: 3,
    says: /Results 1–3 of/,
  },
  {
    name: "a typo, second page",
    line: "/papers search specualtive decoding page:2",
    as: "member",
    papers: 5,
    says: /Results 6–10 of[\s\S]*Showing results for “speculative”/,
  },
  {
    name: "more like a seed paper",
    line: "/papers similar {seed}",
    as: "member",
    papers: 5,
    says: /Papers like “BASS/,
  },
  {
    name: "more like a seed paper, paged",
    line: "/papers similar {seed} limit:2 page:2",
    as: "member",
    papers: 2,
    says: /\(3–4\)/,
  },
  {
    name: "an admin previews the digest",
    line: "/digest preview",
    as: "admin",
    before: ["/digest setup"],
    papers: 5,
    says: /Preview, only you can see this/,
  },
  {
    name: "no results",
    line: "/papers search qwxzvq jjkkqqw",
    as: "member",
    papers: 0,
    says: /No papers match/,
  },
  {
    name: "a wrong option",
    line: "/papers search kv cache limit:0",
    as: "member",
    papers: 0,
    says: /limit must be a whole number from 1 to 10/,
  },
  {
    name: "an unknown paper id",
    line: "/papers similar no-such-paper",
    as: "member",
    papers: 0,
    says: /No paper has the id/,
  },
  {
    name: "a member asks for the digest preview",
    line: "/digest preview",
    as: "member",
    papers: 0,
    says: /is for server and workspace admins/,
  },
];
