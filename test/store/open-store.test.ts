import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  defaultChannelSettings,
  openStore,
  StoreError,
  StoreOpenError,
  type StoreOptions,
} from "../../src/store/index.ts";
import { runChild, startChild } from "./run-child.ts";
import { useTempStores } from "./temp-store.ts";

const { tempDir, newStore, open } = useTempStores();

const channel = (id: string) =>
  defaultChannelSettings({ platform: "discord", channelId: id, setupBy: "admin" });

async function openError(url: string, options: StoreOptions = {}): Promise<Error> {
  const error = await openStore(url, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreOpenError);
  const message = (error as Error).message;
  expect(message).toContain("STORE_URL");
  expect(message).not.toContain("\n");
  return error as Error;
}

describe("STORE_URL", () => {
  it("sqlite:///absolute/path creates the file and any missing folders", async () => {
    const file = join(await tempDir(), "deep", "er", "state.sqlite");
    const store = await open(`sqlite://${file}`);
    await store.channels.put(channel("1"));
    expect(existsSync(file)).toBe(true);
  });

  it("sqlite://relative/path is relative to the working directory", async () => {
    const dir = await tempDir();
    const child = await runChild("child-open-relative.ts", [dir, "sqlite://data/paper-picks.sqlite"]);
    expect(child.stderr).toBe("");
    expect(child.code).toBe(0);
    expect(existsSync(join(dir, "data", "paper-picks.sqlite"))).toBe(true);
    expect(
      await (await open(`sqlite://${join(dir, "data", "paper-picks.sqlite")}`)).channels.get("discord:1"),
    ).toEqual(expect.objectContaining({ target: "discord:1" }));
  });

  it.each(["mysql://x", "postgress://db/x", "data/paper-picks.sqlite", "sqlite://", "sqlite://:memory:"])(
    "refuses %s with one line naming STORE_URL",
    async (url) => {
      const error = await openError(url);
      expect(error.message).toContain("sqlite://");
    },
  );

  it.each([
    "redis://bot:hunter2@127.0.0.1:1",
    "postgres://bot:hunter2@127.0.0.1:1/db",
    "redis://bot:hunter2@[not a host",
  ])("never repeats the password of %s when the server cannot be reached", async (url) => {
    const error = await openError(url, { timeoutMs: 300 });
    expect(error.message).not.toContain("hunter2");
    expect(error.message).toContain("bot:***@");
  });

  it("names STORE_URL when the folder cannot be created", async () => {
    const blocker = join(await tempDir(), "a-file");
    await writeFile(blocker, "not a folder");
    const error = await openError(`sqlite://${blocker}/state.sqlite`);
    expect(error.message).toContain(`${blocker} is a file, not a folder`);
  });

  it
    .skipIf(process.platform !== "linux")
    .each(["sqlite:///proc/paper-picks/state.sqlite", "sqlite:///proc/state.sqlite"])(
    "names STORE_URL when %s is in a place nobody can write, even root",
    async (url) => {
      await openError(url);
    },
  );

  it("names STORE_URL when the file is not an SQLite database", async () => {
    const file = join(await tempDir(), "notes.sqlite");
    await writeFile(file, "these are my notes, not a database\n".repeat(200));
    const error = await openError(`sqlite://${file}`);
    expect(error.message).toMatch(/not a database/);
  });
});

describe("a database that does not answer", () => {
  it("gives a clear error while another process holds the write lock, and works again after", async () => {
    const { store, file } = await newStore({ busyTimeoutMs: 150 });
    await store.channels.put(channel("1"));
    const holder = startChild("child-hold-lock.ts", [file], "locked");
    try {
      await holder.started;
      const error = await store.channels.put(channel("2")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toMatch(/writing channels "discord:2" failed: .*database is locked/);
      expect((error as Error).message).toContain("STORE_URL");
    } finally {
      await holder.stop();
    }
    await store.channels.put(channel("2"));
    expect(await store.channels.list()).toHaveLength(2);
  });

  it("turns a call that would wait too long into an error instead of hanging", async () => {
    const { store, file } = await newStore({ busyTimeoutMs: 60_000, timeoutMs: 200 });
    const holder = startChild("child-hold-lock.ts", [file], "locked");
    try {
      await holder.started;
      await expect(store.channels.put(channel("1"))).rejects.toThrow(
        /writing channels "discord:1" did not finish within 200 ms/,
      );
    } finally {
      await holder.stop();
    }
  });

  it("says the store is closed after close()", async () => {
    const { store } = await newStore();
    await store.close();
    await expect(store.channels.get("discord:1")).rejects.toThrow(/the store is closed/);
  });
});
