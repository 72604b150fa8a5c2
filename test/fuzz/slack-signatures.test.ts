import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slashCommand } from "../fakes/slack/payloads.ts";
import { slackSignature } from "../fakes/slack/signed-request.ts";
import {
  people,
  SIGNING_SECRET,
  type SlackHarness,
  startSlackHarness,
} from "../platforms/slack/slack-harness.ts";
import { FUZZ_SEED, fuzzRuns } from "./fuzz-runs.ts";

/**
 * Every request to the HTTP receiver is checked by the real Bolt receiver: only a signature made
 * with the signing secret, over that exact timestamp and body, within five minutes of now, gets
 * through. Anything else is a 401 and does nothing: no command runs, nothing is posted.
 */

type Signing =
  | "right"
  | "wrong secret"
  | "other body"
  | "other timestamp"
  | "one hex digit changed"
  | "random"
  | "missing";

interface Forgery {
  /** A real slash command, or bytes of any kind. */
  readonly body: { readonly kind: "command" } | { readonly kind: "bytes"; readonly text: string };
  /** Seconds between the request's timestamp and now; Slack's window is five minutes either way. */
  readonly skewSeconds: number;
  readonly signing: Signing;
  readonly timestampHeader: "number" | "garbage" | "missing";
}

/** What Bolt must let through: the right signature, a numeric timestamp, well inside the window. */
const isGenuine = (request: Forgery) =>
  request.signing === "right" && request.timestampHeader === "number" && Math.abs(request.skewSeconds) <= 270;

const request: fc.Arbitrary<Forgery> = fc.record({
  body: fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: "command" as const }) },
    fc.string({ unit: "binary", maxLength: 200 }).map((text) => ({ kind: "bytes" as const, text })),
  ),
  // Away from the edge of the window by 30 s, so a slow run cannot move a request across it.
  skewSeconds: fc.oneof(
    fc.integer({ min: -270, max: 270 }),
    fc.integer({ min: 330, max: 7 * 86_400 }),
    fc.integer({ min: -7 * 86_400, max: -330 }),
  ),
  signing: fc.constantFrom<Signing>(
    "right",
    "wrong secret",
    "other body",
    "other timestamp",
    "one hex digit changed",
    "random",
    "missing",
  ),
  timestampHeader: fc.constantFrom<Forgery["timestampHeader"]>(
    "number",
    "number",
    "number",
    "garbage",
    "missing",
  ),
});

/**
 * Genuine requests with a body that is no Slack payload are left out here: only Slack could send
 * them, and Bolt answers each after waiting three seconds for a handler. They have a test of their own.
 */
const forgery = request.filter((r) => !(r.body.kind === "bytes" && isGenuine(r)));

function flipOneHexDigit(signature: string, at: number): string {
  const index = 3 + (at % (signature.length - 3));
  const digit = signature[index] === "0" ? "1" : "0";
  return signature.slice(0, index) + digit + signature.slice(index + 1);
}

let slack: SlackHarness;
let eventsUrl = "";
beforeAll(async () => {
  slack = await startSlackHarness("http");
  eventsUrl = `http://127.0.0.1:${slack.platform.port}/slack/events`;
});
afterAll(() => slack.close());

/** Sends the request as built; resolves with the HTTP status the receiver answered. */
async function send(request: Forgery, salt: number): Promise<number> {
  const body =
    request.body.kind === "command"
      ? new URLSearchParams(
          slashCommand(
            slack.fake,
            { user: people.member, channel: slack.channels.papers },
            "/papers",
            "help",
          ),
        ).toString()
      : request.body.text;
  const timestamp = Math.floor(Date.now() / 1000) - request.skewSeconds;
  const signature = {
    right: () => slackSignature(SIGNING_SECRET, timestamp, body),
    "wrong secret": () => slackSignature("0123456789abcdef0123456789abcdef", timestamp, body),
    "other body": () => slackSignature(SIGNING_SECRET, timestamp, `${body} `),
    "other timestamp": () => slackSignature(SIGNING_SECRET, timestamp + 1, body),
    "one hex digit changed": () => flipOneHexDigit(slackSignature(SIGNING_SECRET, timestamp, body), salt),
    random: () => `v0=${salt.toString(16).padStart(64, "f")}`,
    missing: () => undefined,
  }[request.signing]();
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (signature !== undefined) headers["x-slack-signature"] = signature;
  if (request.timestampHeader === "number") headers["x-slack-request-timestamp"] = String(timestamp);
  if (request.timestampHeader === "garbage") headers["x-slack-request-timestamp"] = `${timestamp}x`;
  const response = await fetch(eventsUrl, { method: "POST", headers, body });
  await response.arrayBuffer();
  return response.status;
}

const REQUESTS_PER_RUN = 10;

describe("Slack request signatures, through the real Bolt HTTP receiver", () => {
  it("lets through exactly the 10,000 requests' genuine ones, within five minutes", async () => {
    let genuineCommands = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(forgery, fc.nat()), { minLength: REQUESTS_PER_RUN, maxLength: REQUESTS_PER_RUN }),
        async (requests) => {
          const statuses = await Promise.all(requests.map(([request, salt]) => send(request, salt)));
          for (const [index, status] of statuses.entries()) {
            if (!isGenuine((requests[index] as [Forgery, number])[0])) {
              expect(status).toBe(401);
              refused++;
              continue;
            }
            expect(status).toBe(200);
            genuineCommands++;
          }
        },
      ),
      fuzzRuns(10_000 / REQUESTS_PER_RUN),
    );
    expect(refused).toBeGreaterThan(5_000);
    // Only the genuine commands were answered: each once, none of the refused.
    await slack.fake.waitFor(
      () => slack.fake.responses.length >= genuineCommands || undefined,
      "the genuine commands' answers",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.fake.responses).toHaveLength(genuineCommands);
  });

  it("answers genuine requests whose bodies are no Slack payload without falling over", async () => {
    const bodies = fc.sample(fc.string({ unit: "binary", maxLength: 300 }), { seed: FUZZ_SEED, numRuns: 20 });
    const statuses = await Promise.all(
      bodies.map((text, salt) =>
        send(
          { body: { kind: "bytes", text }, skewSeconds: 0, signing: "right", timestampHeader: "number" },
          salt,
        ),
      ),
    );
    for (const status of statuses) expect(status).toBeLessThan(500);
    const answered = await slack.command(people.member, slack.channels.papers, "/papers", "help");
    expect(String(answered.response.text)).toContain("/papers");
  });
});
