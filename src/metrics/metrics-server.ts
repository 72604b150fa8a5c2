import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { log } from "../log.ts";
import type { AppMetrics } from "./app-metrics.ts";

export interface MetricsServer {
  /** The bound port: the asked one, or the one the system chose for port 0. */
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

/**
 * Serves GET /healthz (200 "ok" while `healthy()`, else 503) and GET /metrics (Prometheus text).
 * Resolves once listening; rejects when the port cannot be bound (in use, not permitted).
 */
export async function startMetricsServer(options: {
  readonly port: number;
  readonly host: string;
  readonly metrics: AppMetrics;
  readonly healthy: () => boolean;
}): Promise<MetricsServer> {
  const { metrics, healthy } = options;
  const server = createServer((request, response) => {
    void answer(request, response).catch((error: unknown) => {
      log.error({ err: error, url: request.url }, "metrics request failed");
      if (!response.headersSent) reply(response, 500, "text/plain; charset=utf-8", "error\n");
      else response.destroy();
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.setHeader("Allow", "GET, HEAD");
      reply(response, 405, "text/plain; charset=utf-8", "method not allowed\n");
    } else if (path === "/healthz") {
      const up = healthy();
      reply(response, up ? 200 : 503, "text/plain; charset=utf-8", up ? "ok\n" : "unavailable\n");
    } else if (path === "/metrics") {
      reply(response, 200, metrics.contentType, await metrics.text());
    } else {
      reply(response, 404, "text/plain; charset=utf-8", "not found: try /metrics or /healthz\n");
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  log.info({ host: options.host, port }, "metrics endpoint listening");
  let closed: Promise<void> | undefined;
  return {
    port,
    host: options.host,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper's keep-alive connection must not hold shutdown open.
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { "Content-Type": contentType, "Cache-Control": "no-store" });
  response.end(response.req.method === "HEAD" ? undefined : body);
}
