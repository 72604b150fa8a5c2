import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { type Shard, ShardingManager } from "discord.js";
import { DEFAULT_SHUTDOWN_GRACE_MS } from "../../app.ts";
import { log } from "../../log.ts";
import type { ShardPlan } from "./shard-plan.ts";

const shardLog = log.child({ module: "shards" });

/**
 * Discord lets `max_concurrency` shards identify per 5 s; consecutive ids fall in different
 * buckets. Within a process discord.js spaces its shards' identifies; between processes, we do.
 */
const IDENTIFY_WINDOW_MS = 5_500;
/** A shard process loads the corpus before it connects: a large corpus takes a minute (README, start-up). */
const DEFAULT_READY_TIMEOUT_MS = 5 * 60_000;
/** A process that lived this long before dying had started fine: its next respawn is immediate again. */
const HEALTHY_RUN_MS = 60_000;
const MAX_RESPAWN_DELAY_MS = 60_000;

export interface ShardManagerOptions {
  /** The script every shard process runs: this bot's own entry point. */
  readonly entry: string;
  readonly token: string;
  readonly plan: ShardPlan;
  /** From spawn to the gateway READY of the process's first shard, corpus loading included; as long again for the rest. */
  readonly readyTimeoutMs?: number;
  /** How long a stopping process may take (its drain, disconnect and store close) before it is killed. */
  readonly stopTimeoutMs?: number;
}

/**
 * The process that runs no bot itself: it spawns one process per entry of `plan.processes` with
 * discord.js's ShardingManager (each runs `entry`, which sees SHARDS, the JSON list of its shard
 * ids, and SHARD_COUNT, and runs those shards in one Client), one after another as Discord's
 * identify limit allows, restarts a process that dies (with a backoff, so one that cannot start
 * does not spin), forwards SIGTERM/SIGINT and SIGHUP to the processes, and waits for them to
 * drain. Resolves with the exit code: 0 once every process stopped cleanly after a stop signal,
 * 1 when one could not start or did not stop cleanly.
 *
 * discord.js numbers its Shard objects; here each is a process, numbered 0, 1, ... in plan order.
 */
export function runShardManager(options: ShardManagerOptions): Promise<number> {
  const { plan } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const manager = new ShardingManager(options.entry, {
    totalShards: plan.count,
    mode: "process",
    // Respawns are ours: with a backoff, and never for a shard that is being stopped.
    respawn: false,
    token: options.token,
    // A shard runs as this process was run (tsx's loader included), without its debugger port.
    execArgv: process.execArgv.filter((arg) => !arg.startsWith("--inspect")),
  });

  let stopping: Promise<number> | undefined;
  const respawnTimers = new Set<NodeJS.Timeout>();

  /**
   * Watches one process of `ids` shards and restarts it when it dies; returns a wait for all of
   * its shards to be ready (discord.js's Shard says "ready" once per gateway shard of its process).
   */
  function supervise(shard: Shard, ids: readonly number[]): () => Promise<void> {
    let spawnedAt = Date.now();
    let readyShards = 0;
    let everReady = false;
    let failuresInARow = 0;
    let waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;
    shard.on("spawn", () => {
      spawnedAt = Date.now();
      readyShards = 0;
    });
    shard.on("ready", () => {
      readyShards++;
      if (readyShards !== ids.length) return;
      everReady = true;
      shardLog.info({ process: shard.id, shards: ids, of: plan.count }, "discord shards ready");
      waiting?.resolve();
      waiting = undefined;
    });
    shard.on("death", (child) => {
      waiting?.reject(
        new Error(`the process of discord shards ${ids.join(",")} exited before they were ready`),
      );
      waiting = undefined;
      if (stopping) return;
      const { exitCode, signalCode } = child as ChildProcess;
      // A process that never got ready is start-up's business: it fails the start as a whole.
      if (!everReady) return;
      failuresInARow = Date.now() - spawnedAt >= HEALTHY_RUN_MS ? 0 : failuresInARow + 1;
      const delayMs =
        failuresInARow === 0 ? 0 : Math.min(MAX_RESPAWN_DELAY_MS, 1000 * 2 ** (failuresInARow - 1));
      shardLog.warn(
        { process: shard.id, shards: ids, exitCode, signalCode, respawnInMs: delayMs },
        "discord shard process died; restarting it",
      );
      const timer = setTimeout(() => {
        respawnTimers.delete(timer);
        if (stopping) return;
        shard
          .spawn(readyTimeoutMs)
          .catch((error: unknown) =>
            shardLog.error(
              { err: error, process: shard.id, shards: ids },
              "discord shard process did not restart",
            ),
          );
      }, delayMs);
      respawnTimers.add(timer);
    });
    return () => {
      if (readyShards >= ids.length) return Promise.resolve();
      if (shard.process === null)
        return Promise.reject(new Error(`the process of discord shards ${ids.join(",")} is gone`));
      return new Promise<void>((resolve, reject) => {
        waiting = { resolve, reject };
      });
    };
  }

  /** Starts one process and waits for all its shards, each within the ready timeout. */
  async function start(shard: Shard, allReady: () => Promise<void>): Promise<void> {
    await shard.spawn(readyTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("its shards were not all ready in time")), readyTimeoutMs);
    });
    try {
      await Promise.race([allReady(), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function stopShards(signal: NodeJS.Signals): Promise<number> {
    for (const timer of respawnTimers) clearTimeout(timer);
    respawnTimers.clear();
    const running = [...manager.shards.values()]
      .map((shard) => shard.process)
      .filter(
        (child): child is ChildProcess =>
          child !== null && child.exitCode === null && child.signalCode === null,
      );
    shardLog.info({ processes: running.length, signal }, "stopping the discord shard processes");
    const exits = running.map(async (child) => {
      const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
      child.kill(signal);
      const killer = setTimeout(
        () => child.kill("SIGKILL"),
        options.stopTimeoutMs ?? DEFAULT_SHUTDOWN_GRACE_MS + 10_000,
      );
      const [code, killedBy] = await exited;
      clearTimeout(killer);
      // A shard stopped by the signal itself (before its handlers were installed) stopped cleanly too.
      return code === 0 || killedBy === signal;
    });
    const clean = (await Promise.all(exits)).every(Boolean);
    return clean ? 0 : 1;
  }

  const stop = (signal: NodeJS.Signals, exitCode = 0): Promise<number> => {
    stopping ??= stopShards(signal).then((code) => Math.max(code, exitCode));
    return stopping;
  };

  return new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => void stop(signal).then(resolve);
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    // Each process holds its own copy of the corpus: each reloads it.
    process.on("SIGHUP", () => {
      for (const shard of manager.shards.values()) shard.process?.kill("SIGHUP");
    });

    void (async () => {
      const delayMs = Math.ceil(IDENTIFY_WINDOW_MS / plan.maxConcurrency);
      shardLog.info(
        { shards: plan.count, processes: plan.processes.length },
        "starting the discord shard processes",
      );
      for (const [index, ids] of plan.processes.entries()) {
        if (stopping) break;
        const shard = manager.createShard(index);
        // discord.js sets SHARDS to the Shard's own number; its Client reads SHARDS as JSON, so a list works.
        (shard.env as Record<string, unknown>).SHARDS = JSON.stringify(ids);
        const allReady = supervise(shard, ids);
        try {
          await start(shard, allReady);
          // The process's last identify came just before its last shard was ready.
          if (index < plan.processes.length - 1) await sleep(delayMs);
        } catch (error) {
          if (stopping) break;
          // The process wrote why on the shared stderr (one line for a fixable cause); stop the rest.
          shardLog.error(
            { err: error, process: index, shards: ids },
            "a discord shard process could not start; stopping all of them",
          );
          resolve(await stop("SIGTERM", 1));
          return;
        }
      }
      if (!stopping)
        shardLog.info(
          { shards: plan.count, processes: plan.processes.length },
          "all discord shards are running; SIGINT or SIGTERM stops them",
        );
    })();
  });
}
