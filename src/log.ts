import { createRequire } from "node:module";
import { isatty } from "node:tty";
import { type DestinationStream, pino } from "pino";

/**
 * One structured logger for the whole process. Secrets never reach it: config redacts token
 * fields, and platforms log ids, never tokens. LOG_LEVEL=silent turns it off (tests, --once).
 */
const levels = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);
// The level is set again from the validated config at start-up; reading the variable here only
// lets tests and scripts silence modules that log before that (config reports a bad value).
const initialLevel = levels.has(process.env.LOG_LEVEL ?? "") ? (process.env.LOG_LEVEL as string) : "info";

/**
 * stderr, so that stdout carries only what the user asked for (console answers, --once output).
 * A terminal gets readable lines (pino-pretty); anything else (a pipe, a file, a log collector, the
 * tests) gets one JSON object a line. Both write synchronously in this thread: no transport worker
 * keeps the process alive, and a line logged just before `process.exit` is out before it exits.
 * Redaction runs before either, so a redacted field reads "[secret]" in both.
 */
function destination(): DestinationStream {
  if (!isatty(2)) return pino.destination(2);
  // Loaded only for a terminal, and synchronously (pino-pretty is CommonJS): no top-level await.
  const { build } = createRequire(import.meta.url)("pino-pretty") as typeof import("pino-pretty");
  return build({ destination: 2, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" });
}

export const log = pino(
  {
    level: initialLevel,
    redact: { paths: ["*.token", "*.*.token", "token", "*.secret", "secret"], censor: "[secret]" },
  },
  destination(),
);

export type Logger = typeof log;
