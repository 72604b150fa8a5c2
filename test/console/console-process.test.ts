import { spawn } from "node:child_process";
import { appendFile, copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** `npm start` minus npm: a real child process on the real entry point. */
const ENTRY_POINT = [process.execPath, "--import", "tsx", "src/main.ts"];
/** `npm start` itself: package.json's start script, with the Node flags it gives the bot. */
const NPM_START = ["npm", "start", "--silent", "--"];

/** Runs the bot as a user would (`command`, then `args`). */
function runBot(
  args: readonly string[],
  env: Record<string, string>,
  input?: string,
  command: readonly string[] = ENTRY_POINT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [program = "", ...programArgs] = command;
    const child = spawn(program, [...programArgs, ...args], {
      env: { ...process.env, LOG_LEVEL: "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "paper-picks-console-"));
  env = { STORE_URL: `sqlite://${join(dir, "store.sqlite")}`, CORPUS_WATCH: "false" };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm start -- --once", () => {
  it("prints one answer as plain text, titles in full and in rank order, and exits 0", async () => {
    const { code, stdout, stderr } = await runBot(["--once", "/papers search kv cache"], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const titles = stdout
      .split("\n")
      .filter((line) => /^\d+\. /.test(line))
      .map((line) => line.replace(/^\d+\. /, ""));
    expect(titles).toHaveLength(5);
    expect(titles[0]).toMatch(/KV|Key-Value/i);
    // In full: no title is cut with an ellipsis.
    for (const title of titles) expect(title).not.toMatch(/…$/);
    expect(stdout).toContain("Results 1–5 of");
  });

  it("runs through package.json's start script itself, Node flags and all", async () => {
    const { code, stdout } = await runBot(["--once", "/papers search kv cache"], env, "", NPM_START);
    expect(code).toBe(0);
    expect(stdout).toContain("Results 1–5 of");
  });

  it("keeps subscriptions in the database file across runs", async () => {
    await runBot(["--once", `/papers subscribe "state space models"`], env);
    const { stdout } = await runBot(["--once", "/papers subscriptions"], env);
    expect(stdout).toContain("• state space models");
  });
});

describe("start-up errors", () => {
  it("names a bad variable in one line and exits 1", async () => {
    const { code, stderr } = await runBot(["--once", "/papers help"], {
      ...env,
      DIGEST_DEFAULT_TIME: "25:00",
    });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("DIGEST_DEFAULT_TIME");
  });

  it("names a corpus file with nothing usable in one line and exits 1", async () => {
    const empty = join(dir, "empty.txt");
    await writeFile(empty, "");
    const { code, stderr } = await runBot(["--once", "/papers help"], { ...env, CORPUS: empty });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("empty.txt");
  });
});

describe("a busy port", () => {
  it("names it in one line and exits 1", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const { code, stderr } = await runBot([], { ...env, METRICS_PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr.trim().split("\n")).toEqual([
        `paper-picks: port ${port} is already in use; set PORT or METRICS_PORT to a free one`,
      ]);
    } finally {
      blocker.close();
    }
  });
});

describe("the interactive console", () => {
  it("takes commands at the prompt, sets up the console channel and prints its digest", async () => {
    const { code, stdout } = await runBot(
      [],
      { ...env, STORE_URL: `sqlite://${join(dir, "interactive.sqlite")}` },
      "/digest setup\n/digest now\nkv cache\nexit\n",
    );
    expect(code).toBe(0);
    expect(stdout).toContain("paper-picks on the console: 196 papers");
    expect(stdout).toContain("Set up: daily picks in #console");
    expect(stdout).toContain("── #console ──");
    expect(stdout).toMatch(/Today's picks · \d+ \w+/);
    expect(stdout).toContain("Posted today's picks in #console: 5 papers");
    expect(stdout).toContain("for “kv cache”");
  });

  it("answers every piped line when input ends without exit, then exits 0", async () => {
    const { code, stdout, stderr } = await runBot(
      [],
      { ...env, STORE_URL: `sqlite://${join(dir, "piped.sqlite")}` },
      "/digest setup\n/digest now\nkv cache\n",
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Posted today's picks in #console: 5 papers");
    expect(stdout).toContain("for “kv cache”");
  });
});

describe("SIGHUP", () => {
  it("reloads the corpus in a running bot", async () => {
    const corpus = join(dir, "hup.txt");
    await copyFile("data/papers.txt", corpus);
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        ...process.env,
        ...env,
        LOG_LEVEL: "",
        CORPUS: corpus,
        STORE_URL: `sqlite://${join(dir, "hup.sqlite")}`,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 25_000;
      while (!stdout.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return stdout.includes(text);
    };
    const exited = new Promise((resolve) => child.on("close", resolve));

    child.stdin.write("/papers search quasicrystalline\n");
    expect(await waitFor("No papers match “quasicrystalline”")).toBe(true);
    await appendFile(
      corpus,
      "\nQuasicrystalline Tokenizers for Aperiodic Sequence Modeling\n" +
        "We study tokenizers whose vocabularies tile sequences aperiodically. They compress long contexts well.",
    );
    child.kill("SIGHUP");
    // The reload runs in the background: ask again until it has landed (bounded by waitFor's deadline).
    const asking = setInterval(() => child.stdin.write("/papers search quasicrystalline\n"), 200);
    const found = await waitFor("Results 1–1 of 1 for “quasicrystalline”");
    clearInterval(asking);
    expect(found).toBe(true);
    child.stdin.end("exit\n");
    expect(await exited).toBe(0);
  });
});
