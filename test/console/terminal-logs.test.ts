import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** util-linux `script` runs a command on a pseudo-terminal, as a user's shell would. */
const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const TSX = [process.execPath, "--import", "tsx"];

/** Runs `args` with stderr (and stdout) a terminal, or a pipe; the output without colours. */
function run(
  args: readonly string[],
  options: { readonly terminal: boolean; readonly env?: Record<string, string> },
): Promise<{ code: number | null; output: string }> {
  const quoted = [...TSX, ...args].map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(" ");
  const [program, programArgs] = options.terminal
    ? ["script", ["-qec", quoted, "/dev/null"]]
    : [TSX[0] as string, [...TSX.slice(1), ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(program, programArgs, {
      env: { ...process.env, LOG_LEVEL: "", CORPUS_WATCH: "false", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, output: stripVTControlCharacters(output).replaceAll("\r", "") }),
    );
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "paper-picks-terminal-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasScript)("logs on a terminal", () => {
  it("prints a fatal line logged just before exit, readable and redacted", async () => {
    const { code, output } = await run(["test/support/log-then-exit.ts"], { terminal: true });
    expect(code).toBe(1);
    expect(output).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] FATAL: paper-picks stopped$/m);
    expect(output).toContain('"message": "boom"');
    expect(output).toContain('token: "[secret]"');
    expect(output).not.toContain("xoxb-not-to-be-seen");
  });

  it("still names a bad variable in one line and exits 1", async () => {
    const { code, output } = await run(["src/main.ts", "--once", "/papers help"], {
      terminal: true,
      env: { DIGEST_DEFAULT_TIME: "25:00" },
    });
    expect(code).toBe(1);
    expect(output.trim().split("\n")).toHaveLength(1);
    expect(output).toContain("DIGEST_DEFAULT_TIME");
  });

  it("lets --once answer and exit", async () => {
    const { code, output } = await run(["src/main.ts", "--once", "/papers help"], {
      terminal: true,
      env: { STORE_URL: `sqlite://${join(dir, "store.sqlite")}` },
    });
    expect(code).toBe(0);
    expect(output).toContain("/papers search");
  });
});

describe("logs anywhere else", () => {
  it("stay one JSON object a line, redacted", async () => {
    const { code, output } = await run(["test/support/log-then-exit.ts"], { terminal: false });
    expect(code).toBe(1);
    const line = JSON.parse(output.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 60, msg: "paper-picks stopped", token: "[secret]" });
  });
});
