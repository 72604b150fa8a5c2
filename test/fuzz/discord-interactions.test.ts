import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerOf, type InteractionRecord } from "../fakes/discord/fake-discord.ts";
import { buttonInteraction, nextSnowflake } from "../fakes/discord/interactions.ts";
import { EVERYONE_PERMISSIONS, messageJson, PERMISSIONS } from "../fakes/discord/payloads.ts";
import {
  ADMIN_PERMISSIONS,
  admin,
  type DiscordBot,
  grace,
  readable,
  startDiscordBot,
} from "../platforms/discord/discord-bot.ts";
import { fuzzRuns } from "./fuzz-runs.ts";

/**
 * A button's custom_id carries a command line, so anyone able to make an interaction could try to
 * run any line through it. Whatever the id and the permission field say, the bot checks rights on
 * its own: no admin action happens for a member without Manage Server, nothing it answers can
 * ping, ids it never made go unanswered, and nothing an interaction holds stops the bot.
 */

const adminLine = fc.constantFrom(
  "/digest setup",
  "/digest time 06:30",
  "/digest time 06:30 timezone:Asia/Tokyo",
  "/digest size 3",
  "/digest topics add forged topic",
  "/digest topics remove kv cache",
  "/digest topics clear",
  "/digest pause",
  "/digest resume",
  "/digest now",
);
const memberLine = fc.oneof(
  fc.constantFrom("/papers help", "/papers trending", "/digest status", "/digest preview", "/papers search"),
  fc.string({ maxLength: 40 }).map((query) => `/papers search ${query}`),
  fc.string({ unit: "grapheme", maxLength: 60 }).map((text) => `/papers ${text}`),
  fc.string({ unit: "binary", maxLength: 60 }),
);

type Kind = "ours" | "expired" | "foreign";

/** A custom_id the way this bot writes one (inline line or remembered key), or one it never made. */
const customId: fc.Arbitrary<{ id: string; kind: Kind }> = fc.oneof(
  fc
    .tuple(fc.constantFrom("u:", "r:"), fc.oneof(adminLine, memberLine))
    .map(([prefix, line]) => ({ id: (prefix + line).slice(0, 100), kind: "ours" as Kind })),
  fc
    .tuple(fc.constantFrom("u:#", "r:#"), fc.stringMatching(/^[0-9a-z]{1,8}$/))
    .map(([prefix, key]) => ({ id: prefix + key, kind: "expired" as Kind })),
  fc
    .string({ unit: "binary", minLength: 1, maxLength: 100 })
    .filter((id) => !id.startsWith("u:") && !id.startsWith("r:"))
    .map((id) => ({ id, kind: "foreign" as Kind })),
);

const ADMIN_BITS = PERMISSIONS.manageGuild | PERMISSIONS.administrator;

/** A member's permissions without Manage Server or Administrator, as Discord writes them or garbled. */
const nonAdminPermissions: fc.Arbitrary<{ field: string; wellFormed: boolean }> = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 53n) - 1n }).map((bits) => ({
    field: ((bits | EVERYONE_PERMISSIONS) & ~ADMIN_BITS).toString(),
    wellFormed: true,
  })),
  fc
    .string({ unit: "binary", maxLength: 30 })
    .filter((text) => Number.isNaN(Number(text)))
    .map((field) => ({ field, wellFormed: false })),
);

let running: DiscordBot;
let channelsBefore = "";
let postsBefore = 0;
beforeAll(async () => {
  running = await startDiscordBot();
  const { fake } = running;
  await fake.command(fake.member(admin, { channel: "papers", permissions: ADMIN_PERMISSIONS }), {
    command: "digest",
    path: ["setup"],
    options: {},
  });
  channelsBefore = JSON.stringify(await running.bot.app.services.store.channels.list());
  postsBefore = fake.messagesIn(fake.channel("papers").id).length;
});
afterAll(() => running.close());

/** Dispatches a press as Discord would, with `permissions` as the member's field, without waiting. */
function press(id: string, permissions: string): InteractionRecord {
  const { fake } = running;
  const place = fake.member(grace, { channel: "papers" });
  const message = messageJson(nextSnowflake(), String(place.channel?.id), fake.bot, { content: "Results" });
  const interaction = buttonInteraction(fake.applicationId, place, id, message);
  (interaction.payload.member as { permissions: string }).permissions = permissions;
  return fake.send(interaction);
}

/** The message a user reads once the interaction is answered (the edit after a deferral). */
const answered = (record: InteractionRecord) => answerOf(record)?.data;

const PRESSES_PER_RUN = 10;

describe("Discord button interactions with forged custom ids and permission fields", () => {
  it("answer 10,000 presses by a member without admin rights, and no admin action happens", async () => {
    const { fake } = running;
    const counts: Record<Kind | "garbled permissions", number> = {
      ours: 0,
      expired: 0,
      foreign: 0,
      "garbled permissions": 0,
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(customId, nonAdminPermissions), {
          minLength: PRESSES_PER_RUN,
          maxLength: PRESSES_PER_RUN,
        }),
        async (presses) => {
          const records = presses.map(([{ id }, { field }]) => press(id, field));
          // The last press is an ordinary one: once it is answered, every press before it has been
          // taken off the gateway.
          const last = press("r:/papers help", EVERYONE_PERMISSIONS.toString());
          await fake.waitFor(() => answered(last), 5000, "the closing press");
          for (const [index, [{ kind }, { wellFormed }]] of presses.entries()) {
            const record = records[index] as InteractionRecord;
            counts[kind]++;
            if (!wellFormed) counts["garbled permissions"]++;
            if (kind === "foreign") {
              // An id this bot never made is not its to answer.
              expect(record.callbacks).toEqual([]);
              continue;
            }
            // Every other press is answered, a garbled permission field read as no rights.
            const data = await fake.waitFor(
              () => answered(record),
              5000,
              `an answer to ${kind} press ${index}`,
            );
            expect(data.allowed_mentions).toEqual({ parse: [] });
          }
        },
      ),
      fuzzRuns(10_000 / PRESSES_PER_RUN),
    );
    expect(JSON.stringify(await running.bot.app.services.store.channels.list())).toBe(channelsBefore);
    expect(fake.messagesIn(fake.channel("papers").id)).toHaveLength(postsBefore);
    expect(counts.ours).toBeGreaterThan(2_000);
    expect(counts["garbled permissions"]).toBeGreaterThan(2_000);
  });

  it("reads a permission field it cannot parse as no rights, and says the command is for admins", async () => {
    const record = press("r:/digest pause", "ADMINISTRATOR");
    const data = await running.fake.waitFor(() => answered(record), 5000, "the answer");
    expect(readable(data)).toMatch(/admin/i);
    expect(JSON.stringify(await running.bot.app.services.store.channels.list())).toBe(channelsBefore);
  });
});
