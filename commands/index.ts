import type { CommandDefinition } from "../src/command-kit/define.ts";
import { digestCommand } from "./digest/index.ts";
import { papersCommand } from "./papers/index.ts";

/** Every slash command the bot has, on every platform. */
export const commands: readonly CommandDefinition[] = [papersCommand, digestCommand];
