import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Message } from "../../src/core/message.ts";
import { consoleChannels, consoleInvoker } from "../../src/platforms/console/console-channel.ts";
import type { Invoker } from "../../src/platforms/contract.ts";

export interface SentMessage {
  readonly target: string;
  readonly message: Message;
}

export interface TestApp {
  readonly app: App;
  /** Everything the core sent to the console platform, in order. */
  readonly sent: SentMessage[];
  /** Targets whose send has begun (before `sendDelayMs`), in order. */
  readonly sending: string[];
  readonly storeUrl: string;
  run(line: string, invoker?: Invoker): Promise<Message>;
  close(): Promise<void>;
}

/** A member of the console channel who is not an admin. */
export const memberInvoker: Invoker = {
  ...consoleInvoker,
  userId: "member",
  userName: "member",
  isAdmin: false,
};

/**
 * The real core (seed corpus, SQLite store in a temp dir, scheduler) with the console platform's
 * sender replaced by a recorder at the boundary, so tests can read what would be posted.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    now?: () => Date;
    storeDir?: string;
    /** The platform's answer to a send, when it refuses one (a deleted channel, closed DMs). */
    refuse?: (target: string) => Error | undefined;
    /** How long the platform takes to accept each send (a slow API). */
    sendDelayMs?: number;
    /** The app's bound on the wait for deliveries in flight at stop(). */
    shutdownGraceMs?: number;
  } = {},
): Promise<TestApp> {
  const ownDir = options.storeDir === undefined;
  const dir = options.storeDir ?? (await mkdtemp(join(tmpdir(), "paper-picks-test-")));
  const storeUrl = `sqlite://${join(dir, "store.sqlite")}`;
  const config = loadConfig({ STORE_URL: storeUrl, CORPUS_WATCH: "false", ...options.env });
  const app = await createApp(config, {
    ...(options.now && { now: options.now }),
    ...(options.shutdownGraceMs !== undefined && { shutdownGraceMs: options.shutdownGraceMs }),
  });
  const sent: SentMessage[] = [];
  const sending: string[] = [];
  let counter = 0;
  app.outbox.register("console", async (target, message) => {
    sending.push(target);
    if (options.sendDelayMs) {
      const delayMs = options.sendDelayMs;
      // Unref'd: a send left hanging by a test must not keep the test process alive.
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    }
    const refusal = options.refuse?.(target);
    if (refusal) throw refusal;
    sent.push({ target, message });
    counter++;
    return { messageId: `m${counter}` };
  });
  return {
    app,
    sent,
    sending,
    storeUrl,
    run: (line, invoker = consoleInvoker) =>
      app.router.runLine(line, { invoker, channels: consoleChannels, services: app.services }),
    async close() {
      await app.stop();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
