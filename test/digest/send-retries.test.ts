import { describe, expect, it } from "vitest";
import { NotTakenError, OutcomeUnknownError } from "../../src/digest/delivery-error.ts";
import {
  DEFAULT_SEND_RETRIES,
  type SendRetryPolicy,
  sendWithRetries,
} from "../../src/digest/send-retries.ts";
import { quietLog } from "./memory-seams.ts";

/** A policy whose pauses take no time; `waits` records each pause asked for. */
function instantPolicy(waits: number[] = []): SendRetryPolicy {
  return {
    ...DEFAULT_SEND_RETRIES,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

const heldGuard = () => {
  const stop = new AbortController();
  return {
    abandoned: false,
    signal: stop.signal,
    abandonedError: () => new Error("abandoned at shutdown"),
    stop,
  };
};

/** A send that fails with each of `errors` in turn, then succeeds. */
function flakySend(errors: Error[]) {
  let tries = 0;
  return {
    tries: () => tries,
    send: async () => {
      tries += 1;
      const error = errors.shift();
      if (error) throw error;
      return { messageId: `m${tries}` };
    },
  };
}

describe("sending with retries", () => {
  it("tries again after a backoff when the platform did not take the message, up to the policy's tries", async () => {
    const waits: number[] = [];
    const flaky = flakySend([
      new NotTakenError("429", "rate-limited"),
      new NotTakenError("503", "server-error"),
    ]);
    let retries = 0;
    const sent = await sendWithRetries(flaky.send, {
      policy: instantPolicy(waits),
      guard: heldGuard(),
      log: quietLog,
      onRetry: () => {
        retries += 1;
      },
    });
    expect(sent).toEqual({ messageId: "m3" });
    expect(retries).toBe(2);
    expect(waits).toEqual([750, 3000]);
  });

  it("gives up after the last try with the platform's error", async () => {
    const flaky = flakySend([1, 2, 3].map((n) => new NotTakenError(`503 #${n}`, "server-error")));
    await expect(
      sendWithRetries(flaky.send, { policy: instantPolicy(), guard: heldGuard(), log: quietLog }),
    ).rejects.toThrow("503 #3");
    expect(flaky.tries()).toBe(3);
  });

  it("waits at least what Retry-After asked", async () => {
    const waits: number[] = [];
    const flaky = flakySend([new NotTakenError("429", "rate-limited", { retryAfterMs: 9000 })]);
    await sendWithRetries(flaky.send, { policy: instantPolicy(waits), guard: heldGuard(), log: quietLog });
    expect(waits).toEqual([9000]);
  });

  it("never resends an unknown outcome the platform would not dedupe: it could post twice", async () => {
    const flaky = flakySend([new OutcomeUnknownError("socket hang up")]);
    await expect(
      sendWithRetries(flaky.send, { policy: instantPolicy(), guard: heldGuard(), log: quietLog }),
    ).rejects.toThrow("socket hang up");
    expect(flaky.tries()).toBe(1);
  });

  it("resends an unknown outcome under its idempotency key only inside the platform's dedupe window", async () => {
    const inside = flakySend([new OutcomeUnknownError("timeout", { resendableForMs: 120_000 })]);
    await sendWithRetries(inside.send, { policy: instantPolicy(), guard: heldGuard(), log: quietLog });
    expect(inside.tries()).toBe(2);

    // The first pause (750 ms) would already end past a 500 ms window.
    const outside = flakySend([new OutcomeUnknownError("timeout", { resendableForMs: 500 })]);
    await expect(
      sendWithRetries(outside.send, { policy: instantPolicy(), guard: heldGuard(), log: quietLog }),
    ).rejects.toThrow("timeout");
    expect(outside.tries()).toBe(1);
  });

  it("stops at shutdown: the pause is cut short and no further try is made", async () => {
    const guard = heldGuard();
    const flaky = flakySend([new NotTakenError("503", "server-error")]);
    const policy: SendRetryPolicy = {
      ...instantPolicy(),
      sleep: (_ms, signal) =>
        new Promise((_, reject) => {
          signal.addEventListener("abort", () => reject(new Error("aborted")));
          guard.abandoned = true;
          guard.stop.abort();
        }),
    };
    await expect(sendWithRetries(flaky.send, { policy, guard, log: quietLog })).rejects.toThrow(
      "abandoned at shutdown",
    );
    expect(flaky.tries()).toBe(1);
  });
});
