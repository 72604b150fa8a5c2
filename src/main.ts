import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { CorpusError } from "./corpus/index.ts";
import { log } from "./log.ts";
import { ConsolePlatform } from "./platforms/console/console-platform.ts";
import { StoreError } from "./store/index.ts";

/**
 * Wiring only: read the environment, build the core, start the console, and turn the errors a
 * user can fix (bad variable, bad corpus file, unusable store) into one line and exit code 1.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { once: { type: "string" } }, allowPositionals: false });
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  // The prompt shares the terminal with the log: keep it to warnings unless asked otherwise.
  const interactive = values.once === undefined;
  log.level = process.env.LOG_LEVEL ? config.LOG_LEVEL : interactive ? "warn" : "error";

  const app = await createApp(config);
  const console = new ConsolePlatform(app.router, app.services);
  app.outbox.register("console", console.send);

  if (values.once !== undefined) {
    process.stdout.write(`${await console.answer(values.once)}\n`);
    await app.stop();
    return;
  }

  await app.start();
  process.on("SIGHUP", () => void app.reloadCorpus("SIGHUP"));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  await console.repl();
  await stop();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof CorpusError || error instanceof StoreError) {
    process.stderr.write(`paper-picks: ${error.message}\n`);
  } else {
    log.fatal({ err: error }, "paper-picks stopped");
  }
  process.exit(1);
});
