import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Message } from "../../src/core/message.ts";
import { consoleChannels, consoleInvoker } from "../../src/platforms/console/console-channel.ts";

export interface MetricsTestApp {
  readonly app: App;
  run(line: string): Promise<Message>;
  /** GET on the metrics endpoint over loopback. */
  get(path: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/**
 * As test/support/test-app.ts: the real core on a temp SQLite store with the console sender at the
 * boundary, plus the metrics endpoint on a port the system picks (port 0), bound to loopback.
 */
export async function startMetricsTestApp(options: {
  readonly now: () => Date;
  readonly refuse?: (target: string) => Error | undefined;
}): Promise<MetricsTestApp> {
  const dir = await mkdtemp(join(tmpdir(), "paper-picks-metrics-"));
  const config = loadConfig({ STORE_URL: `sqlite://${join(dir, "store.sqlite")}`, CORPUS_WATCH: "false" });
  const app = await createApp(config, { now: options.now, metricsPort: 0 });
  app.outbox.register("console", async (target) => {
    const refusal = options.refuse?.(target);
    if (refusal) throw refusal;
    return { messageId: "m1" };
  });
  await app.start();
  const server = app.metricsServer();
  if (!server) throw new Error("the metrics endpoint did not start");
  return {
    app,
    run: (line) =>
      app.router.runLine(line, {
        invoker: consoleInvoker,
        channels: consoleChannels,
        services: app.services,
      }),
    async get(path) {
      const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
      return { status: response.status, body: await response.text() };
    },
    async close() {
      await app.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The value of one sample of the Prometheus text, matched by name and (a subset of) labels. */
export function sampleValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}
