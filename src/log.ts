import { pino } from "pino";

/**
 * One structured logger for the whole process. Secrets never reach it: config redacts token
 * fields, and platforms log ids, never tokens. LOG_LEVEL=silent turns it off (tests, --once).
 */
export const log = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    redact: { paths: ["*.token", "*.*.token", "token", "*.secret", "secret"], censor: "[secret]" },
  },
  // stderr, so that stdout carries only what the user asked for (console answers, --once output).
  pino.destination(2),
);

export type Logger = typeof log;
