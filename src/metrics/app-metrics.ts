import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CommandObserver } from "../command-kit/router.ts";
import type { DeliveryObserver } from "../digest/digest-service.ts";

/**
 * The app's Prometheus metrics, on a registry of its own rather than prom-client's global one,
 * so several apps in one process (tests, a bench) each count only their own work.
 */
export class AppMetrics {
  readonly registry = new Registry();

  readonly #deliveries = new Counter({
    name: "paper_picks_deliveries_total",
    help: "Digest and topic-alert deliveries by platform and outcome (delivered, reconciled, unconfirmed, nothing-new, already-delivered, not-configured, paused, failed).",
    labelNames: ["platform", "outcome"] as const,
    registers: [this.registry],
  });

  readonly #failures = new Counter({
    name: "paper_picks_delivery_failures_total",
    help: "Failed deliveries by platform and kind (transient, target-gone, dm-closed, abandoned at shutdown).",
    labelNames: ["platform", "kind"] as const,
    registers: [this.registry],
  });

  readonly #retries = new Counter({
    name: "paper_picks_delivery_retries_total",
    help: "Sends the platform did not take (429, 5xx, connection refused) and that were tried again after a backoff, by platform.",
    labelNames: ["platform"] as const,
    registers: [this.registry],
  });

  readonly #commandDuration = new Histogram({
    name: "paper_picks_command_duration_seconds",
    help: "Time from a command reaching the router to its answer, by command and platform.",
    labelNames: ["command", "platform"] as const,
    registers: [this.registry],
  });

  /** @param paperCount read at each scrape, so the gauge follows corpus reloads without being told. */
  constructor(paperCount: () => number) {
    new Gauge({
      name: "paper_picks_papers",
      help: "Papers in the catalog in use.",
      registers: [this.registry],
      collect() {
        this.set(paperCount());
      },
    });
  }

  readonly deliveries: DeliveryObserver = {
    delivered: (platform, outcome) => this.#deliveries.inc({ platform, outcome }),
    failed: (platform, kind) => {
      this.#deliveries.inc({ platform, outcome: "failed" });
      this.#failures.inc({ platform, kind });
    },
    retried: (platform) => this.#retries.inc({ platform }),
  };

  readonly commands: CommandObserver = (command, platform, seconds) =>
    this.#commandDuration.observe({ command, platform }, seconds);

  /** The Prometheus text exposition of every metric above. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
