import { type ChildProcess, spawn } from "node:child_process";

export interface BotProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/**
 * `npm start` as a user deploys it: the real entry point in a child process, with `env` on top.
 * `imports` are modules loaded (after tsx) before src/main.ts, for tests that instrument the process.
 */
export function startBotProcess(
  env: Record<string, string>,
  options: { readonly imports?: readonly string[] } = {},
): BotProcess {
  const preloads = (options.imports ?? []).flatMap((module) => ["--import", module]);
  const child = spawn(process.execPath, ["--import", "tsx", ...preloads, "src/main.ts"], {
    env: { ...process.env, LOG_LEVEL: "", CORPUS_WATCH: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, exited, stderr: () => stderr };
}

/** The lines of stderr meant for a person: everything but the JSON log lines a service writes. */
export function plainLines(stderr: string): string[] {
  return stderr
    .trim()
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("{"));
}

/** The exit code once the process is gone; fails naming `what` if it is still running after `timeoutMs`. */
export async function exitCodeWithin(
  bot: BotProcess,
  timeoutMs: number,
  what = "the bot",
): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not exit within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([bot.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once the process has written `text` to stderr; fails if it exits or `timeoutMs` passes first. */
export function stderrContains(bot: BotProcess, text: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = bot.child.stderr;
    const done = (error?: Error): void => {
      clearTimeout(timer);
      stream?.off("data", check);
      bot.child.off("close", closed);
      if (error) reject(error);
      else resolve();
    };
    // The process's own listener runs first and accumulates stderr(), which is what is searched.
    const check = (): void => {
      if (bot.stderr().includes(text)) done();
    };
    const closed = (): void => done(new Error(`the bot exited before writing "${text}"`));
    const timer = setTimeout(
      () => done(new Error(`the bot did not write "${text}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    stream?.on("data", check);
    bot.child.on("close", closed);
    check();
  });
}

/** Ends a bot that a failed test left running, and waits until it is gone. */
export async function killBotProcess(bot: BotProcess): Promise<void> {
  if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill("SIGKILL");
  await bot.exited;
}
