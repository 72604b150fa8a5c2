export { AppMetrics } from "./app-metrics.ts";
export { type MetricsServer, startMetricsServer } from "./metrics-server.ts";
