import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { type Shard, ShardingManager } from "discord.js";
import { DEFAULT_SHUTDOWN_GRACE_MS } from "../../app.ts";
import { log } from "../../log.ts";
import type { ShardPlan } from "./shard-plan.ts";

const shardLog = log.child({ module: "shards" });

/** Discord lets `max_concurrency` shards identify per 5 s; consecutive ids fall in different buckets. */
const IDENTIFY_WINDOW_MS = 5_500;
/** A shard loads the corpus before it connects: a large corpus takes a minute (README, start-up). */
const DEFAULT_READY_TIMEOUT_MS = 5 * 60_000;
/** A shard that lived this long before dying had started fine: its next respawn is immediate again. */
const HEALTHY_RUN_MS = 60_000;
const MAX_RESPAWN_DELAY_MS = 60_000;

export interface ShardManagerOptions {
  /** The script every shard process runs: this bot's own entry point. */
  readonly entry: string;
  readonly token: string;
  readonly plan: ShardPlan;
  /** From spawn to the shard's gateway READY, corpus loading included. */
  readonly readyTimeoutMs?: number;
  /** How long a stopping shard may take (its drain, disconnect and store close) before it is killed. */
  readonly stopTimeoutMs?: number;
}

/**
 * The process that runs no bot itself: it spawns one process per shard with discord.js's
 * ShardingManager (each runs `entry`, which sees SHARDS and SHARD_COUNT and becomes that shard),
 * one after another as Discord's identify limit allows, restarts a shard that dies (with a
 * backoff, so a shard that cannot start does not spin), forwards SIGTERM/SIGINT and SIGHUP to
 * the shards, and waits for them to drain. Resolves with the exit code: 0 once every shard
 * stopped cleanly after a stop signal, 1 when a shard could not start or did not stop cleanly.
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

  function supervise(shard: Shard): void {
    let spawnedAt = Date.now();
    let everReady = false;
    let failuresInARow = 0;
    shard.on("spawn", () => {
      spawnedAt = Date.now();
    });
    shard.on("ready", () => {
      everReady = true;
      shardLog.info({ shard: shard.id, shards: plan.count }, "discord shard ready");
    });
    shard.on("death", (child) => {
      if (stopping) return;
      const { exitCode, signalCode } = child as ChildProcess;
      // A shard that never got ready is start-up's business: it fails the start as a whole.
      if (!everReady) return;
      failuresInARow = Date.now() - spawnedAt >= HEALTHY_RUN_MS ? 0 : failuresInARow + 1;
      const delayMs =
        failuresInARow === 0 ? 0 : Math.min(MAX_RESPAWN_DELAY_MS, 1000 * 2 ** (failuresInARow - 1));
      shardLog.warn(
        { shard: shard.id, exitCode, signalCode, respawnInMs: delayMs },
        "discord shard died; restarting it",
      );
      const timer = setTimeout(() => {
        respawnTimers.delete(timer);
        if (stopping) return;
        shard
          .spawn(readyTimeoutMs)
          .catch((error: unknown) =>
            shardLog.error({ err: error, shard: shard.id }, "discord shard did not restart"),
          );
      }, delayMs);
      respawnTimers.add(timer);
    });
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
    shardLog.info({ shards: running.length, signal }, "stopping the discord shards");
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
    // Each shard holds its own copy of the corpus: each reloads it.
    process.on("SIGHUP", () => {
      for (const shard of manager.shards.values()) shard.process?.kill("SIGHUP");
    });

    void (async () => {
      const delayMs = Math.ceil(IDENTIFY_WINDOW_MS / plan.maxConcurrency);
      shardLog.info({ shards: plan.count }, "starting the discord shards");
      for (let id = 0; id < plan.count && !stopping; id++) {
        const shard = manager.createShard(id);
        supervise(shard);
        try {
          await Promise.all([shard.spawn(readyTimeoutMs), id < plan.count - 1 ? sleep(delayMs) : undefined]);
        } catch (error) {
          if (stopping) break;
          // The shard wrote why on the shared stderr (one line for a fixable cause); stop the rest.
          shardLog.error({ err: error, shard: id }, "a discord shard could not start; stopping all of them");
          resolve(await stop("SIGTERM", 1));
          return;
        }
      }
      if (!stopping)
        shardLog.info({ shards: plan.count }, "all discord shards are running; SIGINT or SIGTERM stops them");
    })();
  });
}
