import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("runs on the embedded defaults with nothing set", () => {
    expect(loadConfig({})).toMatchObject({
      CORPUS: "data/papers.txt",
      STORE_URL: "sqlite://data/paper-picks.sqlite",
      DIGEST_DEFAULT_TIME: "09:00",
      DIGEST_DEFAULT_TIMEZONE: "UTC",
      DIGEST_DEFAULT_SIZE: 5,
    });
  });

  it("treats an empty variable as unset, as .env files write them", () => {
    expect(loadConfig({ DIGEST_DEFAULT_SIZE: "" }).DIGEST_DEFAULT_SIZE).toBe(5);
  });

  it.each([
    [
      "DIGEST_DEFAULT_TIMEZONE",
      "Mars/Olympus",
      'DIGEST_DEFAULT_TIMEZONE (got "Mars/Olympus"): must be an IANA time zone',
    ],
    ["DIGEST_DEFAULT_SIZE", "12", 'DIGEST_DEFAULT_SIZE (got "12"): must be a whole number from 1 to 10'],
    ["STORE_URL", "mysql://db", 'STORE_URL (got "mysql://db"): must be sqlite://'],
    ["CORPUS_WATCH", "maybe", 'CORPUS_WATCH (got "maybe"): must be true or false'],
    [
      "SOURCE_CONTACT",
      "call me maybe",
      'SOURCE_CONTACT (got "call me maybe"): must be an e-mail address or an http(s) URL',
    ],
    ["SOURCE_CONTACT", "ftp://example.org", 'SOURCE_CONTACT (got "ftp://example.org"): must be an e-mail'],
  ])("names a bad %s in one line", (name, value, expected) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(expected);
    expect(() => loadConfig({ [name]: value })).toThrow(/^[^\n]*$/);
  });

  it("takes an e-mail address or a web page as SOURCE_CONTACT", () => {
    expect(loadConfig({ SOURCE_CONTACT: " ops@example.org " }).SOURCE_CONTACT).toBe("ops@example.org");
    expect(loadConfig({ SOURCE_CONTACT: "https://example.org/bot" }).SOURCE_CONTACT).toBe(
      "https://example.org/bot",
    );
    expect(loadConfig({}).SOURCE_CONTACT).toBeUndefined();
  });

  it("names a malformed token without echoing it", () => {
    const secret = "not-a-real-token-but-secret";
    let message = "";
    try {
      loadConfig({ DISCORD_TOKEN: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("DISCORD_TOKEN");
    expect(message).not.toContain(secret);
    expect(message.split("\n")).toHaveLength(1);
  });

  it("reads a comma-separated list of Slack admins", () => {
    expect(loadConfig({ SLACK_ADMIN_USER_IDS: "U0123ABCD, W0456EFGH" }).SLACK_ADMIN_USER_IDS).toEqual([
      "U0123ABCD",
      "W0456EFGH",
    ]);
  });
});
