import { pino } from "pino";

/**
 * One structured logger for the whole process. Secrets never reach it: config redacts token
 * fields, and platforms log ids, never tokens. LOG_LEVEL=silent turns it off (tests, --once).
 */
const levels = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);
// The level is set again from the validated config at start-up; reading the variable here only
// lets tests and scripts silence modules that log before that (config reports a bad value).
const initialLevel = levels.has(process.env.LOG_LEVEL ?? "") ? (process.env.LOG_LEVEL as string) : "info";

export const log = pino(
  {
    level: initialLevel,
    redact: { paths: ["*.token", "*.*.token", "token", "*.secret", "secret"], censor: "[secret]" },
  },
  // stderr, so that stdout carries only what the user asked for (console answers, --once output).
  pino.destination(2),
);

export type Logger = typeof log;
