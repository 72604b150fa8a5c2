import type { CommandDefinition } from "../../src/command-kit/define.ts";
import { learn } from "./learn.ts";
import { now } from "./now.ts";
import { pause, resume } from "./pause.ts";
import { preview } from "./preview.ts";
import { listAdd, listRemove, listShow } from "./reading-list.ts";
import { setup } from "./setup.ts";
import { size } from "./size.ts";
import { status } from "./status.ts";
import { threads } from "./threads.ts";
import { time } from "./time.ts";
import { topicsAdd, topicsClear, topicsRemove } from "./topics.ts";

export const digestCommand: CommandDefinition = {
  name: "digest",
  description: "Set up and steer this channel's daily picks; keep its reading list",
  subcommands: [
    setup,
    time,
    size,
    topicsAdd,
    topicsRemove,
    topicsClear,
    pause,
    resume,
    learn,
    preview,
    now,
    status,
    threads,
    listShow,
    listAdd,
    listRemove,
  ],
};
