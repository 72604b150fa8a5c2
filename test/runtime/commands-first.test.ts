import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type CommandRequest, defineSubcommand } from "../../src/command-kit/define.ts";
import { CommandRouter } from "../../src/command-kit/router.ts";
import { textMessage } from "../../src/core/message.ts";
import { afterCommands, commandStarted, commandsRunning } from "../../src/runtime/commands-first.ts";
import { pauseBetweenSlices } from "../../src/runtime/steps.ts";
import { startTsWorker } from "../../src/runtime/ts-worker.ts";

/** Starts `wait` while a command runs: it must still be waiting 30 ms later, and end once the command does. */
async function expectToWaitForTheCommand(wait: () => Promise<void>): Promise<void> {
  const ended = commandStarted();
  let resumed = false;
  const waiting = wait().then(() => {
    resumed = true;
  });
  await sleep(30);
  expect(resumed).toBe(false);
  ended();
  await waiting;
  expect(commandsRunning()).toBe(false);
}

describe("background work steps aside while a command is answered", () => {
  it("waits for the command to end, then goes on", () =>
    expectToWaitForTheCommand(() => afterCommands(60_000)));

  it("a slice of background work does not start while a command runs", () =>
    expectToWaitForTheCommand(() => pauseBetweenSlices(60_000)));

  it("under a command that never ends, still goes on after the longest wait", async () => {
    const ended = commandStarted();
    try {
      await afterCommands(5);
      expect(commandsRunning()).toBe(true);
    } finally {
      ended();
    }
  });

  it("counts each command once, however often its end is reported", async () => {
    const first = commandStarted();
    const second = commandStarted();
    first();
    first();
    expect(commandsRunning()).toBe(true);
    second();
    expect(commandsRunning()).toBe(false);
  });

  it("a worker thread sees the commands of the thread that started it", async () => {
    const worker = startTsWorker(new URL("./report-commands-running.ts", import.meta.url));
    const ask = async () => {
      worker.postMessage("running?");
      const [running] = (await once(worker, "message")) as [boolean];
      return running;
    };
    try {
      expect(await ask()).toBe(false);
      const ended = commandStarted();
      expect(await ask()).toBe(true);
      ended();
      expect(await ask()).toBe(false);
    } finally {
      await worker.terminate();
    }
  });

  it("the router marks every command as running until its answer is ready, failed or not", async () => {
    const seen: boolean[] = [];
    const router = new CommandRouter([
      {
        name: "probe",
        description: "test command",
        subcommands: [
          defineSubcommand({
            path: ["ok"],
            description: "answers",
            options: z.object({}),
            requires: [],
            run: async () => {
              await sleep(1);
              seen.push(commandsRunning());
              return textMessage("done");
            },
          }),
          defineSubcommand({
            path: ["fail"],
            description: "throws",
            options: z.object({}),
            requires: [],
            run: async () => {
              seen.push(commandsRunning());
              throw new Error("boom");
            },
          }),
        ],
      },
    ]);
    const request = { invoker: { platform: "console", userId: "u", isAdmin: false } } as CommandRequest;
    expect((await router.runLine("/probe ok", request)).text).toBe("done");
    expect(commandsRunning()).toBe(false);
    expect((await router.runLine("/probe fail", request)).text).toMatch(/failed on our side/);
    expect(commandsRunning()).toBe(false);
    expect(seen).toEqual([true, true]);
  });
});
