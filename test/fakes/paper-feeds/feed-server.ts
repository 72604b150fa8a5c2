import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A paper feed server on loopback for the live-source tests: each path answers with the responses a
 * test queued, in order, the last one repeating. It honours If-None-Match like a real server, records
 * every request's headers, and can stall, cut a body short, or go away altogether.
 */

export interface FakeResponse {
  readonly status?: number;
  readonly body?: string | Uint8Array;
  readonly headers?: Record<string, string>;
  /** Answers 304 to a request whose If-None-Match carries this ETag. */
  readonly etag?: string;
  /** Waits this long before answering: a slow source. */
  readonly delayMs?: number;
  /** Declares the full length but sends only this many bytes, then drops the connection. */
  readonly truncateAt?: number;
}

export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface FeedServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  url(path: string): string;
  /** Replaces what `path` answers with these responses, in order; the last one repeats. */
  serve(path: string, ...responses: FakeResponse[]): void;
  readonly requests: RecordedRequest[];
  /** Requests for one path (query included), in order. */
  requestsFor(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, FakeResponse[]>();
  const requests: RecordedRequest[] = [];
  const pending = new Set<NodeJS.Timeout>();

  const server = createServer((request, response) => {
    const path = request.url ?? "/";
    requests.push({ path, headers: request.headers });
    const queue = routes.get(path);
    const next =
      queue === undefined ? { status: 404, body: "not found" } : queue.length > 1 ? queue.shift() : queue[0];
    const answer = () => respond(next ?? { status: 404 }, request.headers, response);
    if (next?.delayMs === undefined) return answer();
    const timer = setTimeout(() => {
      pending.delete(timer);
      answer();
    }, next.delayMs);
    pending.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: (path) => `${origin}${path}`,
    serve(path, ...responses) {
      routes.set(path, [...responses]);
    },
    requests,
    requestsFor: (path) => requests.filter((request) => request.path === path),
    async close() {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function respond(spec: FakeResponse, headers: IncomingHttpHeaders, response: ServerResponse): void {
  if (spec.etag !== undefined && headers["if-none-match"] === spec.etag) {
    response.writeHead(304, { etag: spec.etag }).end();
    return;
  }
  const body = typeof spec.body === "string" ? Buffer.from(spec.body) : Buffer.from(spec.body ?? "");
  response.writeHead(spec.status ?? 200, {
    "content-length": String(body.length),
    ...(spec.etag === undefined ? {} : { etag: spec.etag }),
    ...spec.headers,
  });
  if (spec.truncateAt === undefined) {
    response.end(body);
    return;
  }
  response.write(body.subarray(0, spec.truncateAt), () => response.destroy());
}
