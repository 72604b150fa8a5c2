/** Logs a fatal line with a secret in it and exits at once, as main.ts does when the bot stops on an error. */
import { log } from "../../src/log.ts";

log.fatal({ err: new Error("boom"), token: "xoxb-not-to-be-seen" }, "paper-picks stopped");
process.exit(1);
