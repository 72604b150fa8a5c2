import type { CommandDefinition } from "../src/command-kit/define.ts";
import type { Notice } from "../src/command-kit/notice.ts";
import { digestCommand } from "./digest/index.ts";
import { alertsPausedNotice } from "./notices/alerts-paused.ts";
import { papersCommand } from "./papers/index.ts";

/** Every slash command the bot has, on every platform. */
export const commands: readonly CommandDefinition[] = [papersCommand, digestCommand];

/** What the bot tells a user after the answer to any of their commands, when it applies to them. */
export const notices: readonly Notice[] = [alertsPausedNotice];
