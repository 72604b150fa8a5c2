import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { log } from "../../log.ts";

/**
 * Bolt, its Web API client and its Socket Mode client log through our pino logger, so their
 * lines land on stderr with ours and LOG_LEVEL silences them too. Their level follows ours.
 */
export function boltLogger(name = "slack"): BoltLogger {
  let child = log.child({ module: name });
  return {
    debug: (...parts: unknown[]) => child.debug(parts.map(String).join(" ")),
    info: (...parts: unknown[]) => child.info(parts.map(String).join(" ")),
    warn: (...parts: unknown[]) => child.warn(parts.map(String).join(" ")),
    error: (...parts: unknown[]) => child.error(parts.map(String).join(" ")),
    // Bolt sets its default level on the logger it is given; ours comes from LOG_LEVEL instead.
    setLevel: () => {},
    getLevel: () => boltLevel(child.level),
    setName: (next: string) => {
      child = log.child({ module: next });
    },
  };
}

function boltLevel(level: string): LogLevel {
  if (level === "debug" || level === "trace") return LogLevel.DEBUG;
  if (level === "info") return LogLevel.INFO;
  if (level === "warn") return LogLevel.WARN;
  return LogLevel.ERROR;
}
