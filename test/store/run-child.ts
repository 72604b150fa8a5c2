import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(here, "..", "..");

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnChild(script: string, args: readonly string[]) {
  return spawn(process.execPath, ["--import", "tsx", join(here, script), ...args], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: "warn" },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs one of this folder's child scripts under tsx in a separate Node process, to its end. */
export function runChild(script: string, args: readonly string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(script, args);
    child.stdin.end();
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Starts a child script that keeps running; resolves once it has printed `ready`. `stop()` closes
 * its stdin (the script's cue to let go) and waits for it to exit.
 */
export function startChild(script: string, args: readonly string[], ready: string) {
  const child = spawnChild(script, args);
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const started = new Promise<void>((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(ready)) resolve();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => reject(new Error(`${script} exited (${code}) before "${ready}": ${stderr}`)));
  });
  return {
    started,
    async stop(): Promise<void> {
      child.stdin.end();
      await exited;
    },
  };
}
