import { describe, expect, it } from "vitest";
import { z } from "zod";
import { alertsPausedNotice } from "../../commands/notices/alerts-paused.ts";
import { type CommandContext, type CommandRequest, defineSubcommand } from "../../src/command-kit/define.ts";
import { CommandRouter } from "../../src/command-kit/router.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { textMessage } from "../../src/core/message.ts";
import { consoleChannels } from "../../src/platforms/console/console-channel.ts";
import type { Services } from "../../src/services.ts";
import type { Store } from "../../src/store/index.ts";
import { useTempStores } from "../store/temp-store.ts";

const USER = "console:user:ada";
const REASON = "the bot could not send you a direct message";

/** A router with the real alerts-paused notice over a real store, and commands that answer or fail. */
function routerOver(store: Store, log: string[]) {
  const command = (name: string, run: (context: CommandContext) => Promise<void>) =>
    defineSubcommand({
      path: [name],
      description: name,
      options: z.object({}),
      requires: [],
      run: async (context) => {
        await run(context);
        return textMessage(`${name} done`);
      },
    });
  const router = new CommandRouter(
    [
      {
        name: "probe",
        description: "test commands",
        subcommands: [
          command("ok", async () => {
            log.push("ok ran");
          }),
          command("crash", async () => {
            throw new Error("boom");
          }),
          command("refuse", async () => {
            throw new UserError("Not like that.");
          }),
          // A command that changes the user's record while the notice's check is in flight.
          command("touch", async () => {
            await store.subscriptions.update(USER, (current) => ({ ...current, topics: [] }));
          }),
        ],
      },
    ],
    [alertsPausedNotice],
  );
  const request: CommandRequest = {
    invoker: {
      platform: "console",
      userId: "ada",
      userName: "ada",
      channelId: "general",
      isAdmin: false,
      isDirectMessage: false,
    },
    channels: consoleChannels,
    services: { store } as unknown as Services,
  };
  return (line: string, followUp?: (text: string) => Promise<void>) =>
    router.runLine(line, followUp === undefined ? request : { ...request, followUp });
}

async function pauseAlerts(store: Store): Promise<void> {
  await store.subscriptions.upsert(USER, () => ({
    schemaVersion: 1,
    user: USER,
    platform: "console",
    userId: "ada",
    topics: [{ topic: "kv cache", addedAt: "2026-11-25T08:00:00.000Z" }],
    alertsPausedReason: REASON,
    updatedAt: "2026-11-25T09:00:00.000Z",
  }));
}

describe("the alerts-paused notice", () => {
  const { newStore } = useTempStores();

  it("is told with the next command that answers, once, and lifts the pause", async () => {
    const { store } = await newStore();
    const log: string[] = [];
    const run = routerOver(store, log);
    await pauseAlerts(store);

    const answer = await run("/probe ok");
    expect(answer.text).toContain("ok done");
    expect(answer.text).toContain(`Your topic alerts were paused: ${REASON}.`);
    expect(log).toEqual(["ok ran"]);
    expect((await store.subscriptions.get(USER))?.alertsPausedReason).toBeUndefined();
    expect((await run("/probe ok")).text).not.toContain("paused");
  });

  it("waits for a command that answers: a failed or refused one leaves the pause for the next", async () => {
    const { store } = await newStore();
    const run = routerOver(store, []);
    await pauseAlerts(store);

    expect((await run("/probe crash")).text).toMatch(/failed on our side/);
    expect((await run("/probe refuse")).text).toBe("Not like that.");
    expect((await store.subscriptions.get(USER))?.alertsPausedReason).toBe(REASON);
    expect((await run("/probe ok")).text).toContain("Your topic alerts were paused");
  });

  it("is told by one of two commands answered at once, and the pause is lifted exactly once", async () => {
    const { store } = await newStore();
    const run = routerOver(store, []);
    await pauseAlerts(store);

    const answers = await Promise.all([run("/probe ok"), run("/probe ok"), run("/probe ok")]);
    expect(answers.filter((answer) => answer.text.includes("alerts were paused"))).toHaveLength(1);
    expect((await store.subscriptions.get(USER))?.alertsPausedReason).toBeUndefined();
  });

  it("keeps what the command itself wrote to the user's record", async () => {
    const { store } = await newStore();
    const run = routerOver(store, []);
    await pauseAlerts(store);

    expect((await run("/probe touch")).text).toContain("Your topic alerts were paused");
    const after = await store.subscriptions.get(USER);
    expect(after?.topics).toEqual([]);
    expect(after?.alertsPausedReason).toBeUndefined();
  });

  it("on a platform that sends follow-ups, comes after the answer, in a message of its own, once", async () => {
    const { store } = await newStore();
    const run = routerOver(store, []);
    await pauseAlerts(store);
    const followUps: string[] = [];
    const followUp = async (text: string) => {
      followUps.push(text);
    };

    const answer = await run("/probe ok", followUp);
    expect(answer.text).toBe("ok done");
    await expect.poll(() => followUps.length).toBe(1);
    expect(followUps[0]).toContain(`Your topic alerts were paused: ${REASON}.`);
    expect((await store.subscriptions.get(USER))?.alertsPausedReason).toBeUndefined();
    expect((await run("/probe ok", followUp)).text).toBe("ok done");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(followUps).toHaveLength(1);
  });

  it("on a platform that sends follow-ups, is not sent after a failed command, and a failed send is no crash", async () => {
    const { store } = await newStore();
    const run = routerOver(store, []);
    await pauseAlerts(store);
    const sent: string[] = [];

    expect((await run("/probe crash", async (text) => void sent.push(text))).text).toMatch(
      /failed on our side/,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toEqual([]);
    expect((await store.subscriptions.get(USER))?.alertsPausedReason).toBe(REASON);
    const refused = run("/probe ok", async () => {
      throw new Error("the platform refused the follow-up");
    });
    expect((await refused).text).toBe("ok done");
    await expect.poll(async () => (await store.subscriptions.get(USER))?.alertsPausedReason).toBeUndefined();
  });
});
