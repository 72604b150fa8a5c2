import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { HeldPosts } from "./held-posts.ts";
import { PostRateLimiter } from "./rate-limit.ts";
import { answerApiCall, UPLOAD_PATH } from "./web-api.ts";
import { FakeWorkspace } from "./workspace.ts";

export interface ApiCall {
  readonly method: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly token: string | undefined;
}

export interface ResponseUrlPost {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

/** A planned failure for the next call(s) of a Web API method. */
export type InjectedFailure =
  | { readonly error: string }
  | { readonly status: 429; readonly retryAfter: string }
  | { readonly status: 500 };

interface PlannedFailure {
  readonly method: string;
  readonly failure: InjectedFailure;
  remaining: number;
}

export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: Record<string, unknown>;
}

/**
 * A fake Slack on loopback: the Web API under `/api/`, `response_url`s under `/response/`, and a
 * Socket Mode server under `/socket` (the URL `apps.connections.open` hands out). It records
 * every call, post and ack, and answers from a {@link FakeWorkspace}.
 */
export class FakeSlack {
  readonly workspace = new FakeWorkspace();
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly acks: SocketAck[] = [];
  /** Tokens Slack no longer accepts (an uninstalled app, a regenerated token): calls get `invalid_auth`. */
  readonly revokedTokens = new Set<string>();
  /** How many Socket Mode connections were opened, ever (a reconnect counts again). */
  connectionsOpened = 0;
  /** hold() keeps the answers to chat.postMessage (the posts are made) until release(). */
  readonly heldPosts = new HeldPosts();
  /** Slack's chat.postMessage limits (per channel, per workspace), off until `postLimits.enable()`. */
  readonly postLimits = new PostRateLimiter();
  readonly #failures: PlannedFailure[] = [];
  #uploadRefusals = 0;
  readonly #changes = new EventEmitter();
  readonly #sockets = new Set<WebSocket>();
  readonly #wss = new WebSocketServer({ noServer: true });
  #responseCounter = 0;
  #envelopeCounter = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {
    this.#changes.setMaxListeners(100);
  }

  static async start(): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeSlack(server, `http://127.0.0.1:${port}`);
    server.on("request", (request, response) => {
      fake.#onRequest(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    server.on("upgrade", (request, socket, head) => {
      if (!request.url?.startsWith("/socket")) return socket.destroy();
      fake.#wss.handleUpgrade(request, socket, head, (ws) => fake.#onSocket(ws));
    });
    return fake;
  }

  /** What to pass as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  newResponseUrl(): string {
    this.#responseCounter++;
    return `${this.baseUrl}/response/${this.#responseCounter}`;
  }

  /** The next `times` calls of `method` fail as given, then it behaves again. */
  fail(method: string, failure: InjectedFailure, times = 1): void {
    this.#failures.push({ method, failure, remaining: times });
  }

  /** The next `times` POSTs of a file's bytes to its upload URL answer HTTP 500 and keep nothing. */
  refuseUploads(times = 1): void {
    this.#uploadRefusals += times;
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  responsesTo(responseUrl: string): ResponseUrlPost[] {
    const id = responseUrl.split("/").pop();
    return this.responses.filter((post) => post.id === id);
  }

  /** Resolves with `find()`'s first defined value, re-checked after every recorded event. */
  waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = find();
        if (value === undefined) return;
        clearTimeout(timer);
        this.#changes.off("change", check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#changes.off("change", check);
        reject(new Error(`fake Slack: timed out waiting for ${what}`));
      }, timeoutMs);
      this.#changes.on("change", check);
    });
  }

  /** The answer posted to a response_url, once it arrives. */
  nextResponse(responseUrl: string, index = 0, timeoutMs = 5000): Promise<Record<string, unknown>> {
    return this.waitFor(
      () => this.responsesTo(responseUrl)[index]?.body,
      `a post to ${responseUrl}`,
      timeoutMs,
    );
  }

  /** Whether a Socket Mode client is connected (it has had its hello). */
  get socketConnected(): boolean {
    return this.#sockets.size > 0;
  }

  /**
   * Sends an envelope over the open Socket Mode connection and resolves with the client's ack.
   * Passing the same `envelopeId` with a `retryAttempt` is how Slack re-delivers.
   */
  async deliver(
    type: "slash_commands" | "interactive",
    payload: Record<string, unknown>,
    options: { readonly envelopeId?: string; readonly retryAttempt?: number } = {},
  ): Promise<SocketAck> {
    const socket = [...this.#sockets].at(-1);
    if (!socket) throw new Error("fake Slack: no Socket Mode connection to deliver to");
    this.#envelopeCounter++;
    const envelopeId = options.envelopeId ?? `env-${this.#envelopeCounter}`;
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type === "slash_commands",
        ...(options.retryAttempt !== undefined && {
          retry_attempt: options.retryAttempt,
          retry_reason: "timeout",
        }),
      }),
    );
    const seen = this.acks.length;
    return this.waitFor(
      () => this.acks.slice(seen).find((ack) => ack.envelope_id === envelopeId),
      `the ack of envelope ${envelopeId}`,
    );
  }

  /** Resolves once every Socket Mode connection has closed (Bolt's stop() only begins the handshake). */
  socketsClosed(timeoutMs = 5000): Promise<true> {
    return this.waitFor(() => (this.#sockets.size === 0 ? true : undefined), "sockets to close", timeoutMs);
  }

  async close(): Promise<void> {
    this.heldPosts.release();
    for (const socket of this.#sockets) socket.terminate();
    this.#wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #changed(): void {
    this.#changes.emit("change");
  }

  #onSocket(socket: WebSocket): void {
    this.#sockets.add(socket);
    this.connectionsOpened++;
    socket.on("message", (data) => {
      try {
        const ack = JSON.parse(String(data)) as SocketAck;
        if (typeof ack.envelope_id === "string") this.acks.push(ack);
      } catch {
        // Not JSON: a real server would drop the connection; recording nothing is enough here.
      }
      this.#changed();
    });
    socket.on("close", () => {
      this.#sockets.delete(socket);
      this.#changed();
    });
    // Slack's handshake: the client's start() resolves on this hello.
    socket.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0FAKE" } }));
    this.#changed();
  }

  async #onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.baseUrl);
    const raw = await readBody(request);
    if (url.pathname.startsWith(UPLOAD_PATH)) {
      const answer = await this.#takeUpload(url.pathname.slice(UPLOAD_PATH.length), raw, request);
      response.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.text);
      this.#changed();
      return;
    }
    const body = raw.toString("utf8");
    if (url.pathname.startsWith("/response/")) {
      const id = url.pathname.slice("/response/".length);
      this.responses.push({ id, body: JSON.parse(body || "{}") as Record<string, unknown> });
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
      this.#changed();
      return;
    }
    if (!url.pathname.startsWith("/api/")) {
      response.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice("/api/".length);
    const args = parseArgs(body, request.headers["content-type"]);
    const token =
      request.headers.authorization?.replace(/^Bearer /, "") ?? (args.token as string | undefined);
    this.calls.push({ method, args, token });
    this.#changed();

    const planned = this.#failures.find((entry) => entry.method === method && entry.remaining > 0);
    if (planned) {
      planned.remaining--;
      const { failure } = planned;
      if ("status" in failure && failure.status === 429) {
        response
          .writeHead(429, { "content-type": "application/json", "retry-after": failure.retryAfter })
          .end(JSON.stringify({ ok: false, error: "ratelimited" }));
      } else if ("status" in failure) {
        response.writeHead(500).end("internal error");
      } else {
        sendJson(response, { ok: false, error: failure.error });
      }
      return;
    }
    if (this.postLimits.refuse(method, args, response)) return;
    const answer = answerApiCall(this, method, args, token);
    if (method === "chat.postMessage") {
      // The post is made now; a held answer only delays what the bot hears back.
      this.#changed();
      await this.heldPosts.answerWhenReleased();
      // A bot killed while its answer was held is no longer there to hear it.
      if (response.destroyed) return;
    }
    // Slack names the token's scopes on every answer: the workspace's, else all the manifest asks for.
    const scopes = this.workspace.scopes ?? manifestScopes();
    sendJson(response, answer, { "x-oauth-scopes": [...scopes].join(",") });
    this.#changed();
  }

  /**
   * A file's bytes POSTed to its upload URL, raw or as `multipart/form-data` (the file in its one
   * file part), as Slack takes them: 200 once kept; 404 for an id it never handed out; 400 when
   * the bytes are not the length declared to files.getUploadURLExternal.
   */
  async #takeUpload(
    fileId: string,
    raw: Buffer,
    request: IncomingMessage,
  ): Promise<{ status: number; text: string }> {
    if (this.#uploadRefusals > 0) {
      this.#uploadRefusals--;
      return { status: 500, text: "upload failed" };
    }
    const file = this.workspace.files.get(fileId);
    if (!file) return { status: 404, text: "no such upload" };
    const type = request.headers["content-type"] ?? "";
    let bytes = raw;
    if (type.startsWith("multipart/form-data")) {
      // The platform's own multipart reader (undici's), as strict as a real server's.
      const form = await new Response(raw, { headers: { "content-type": type } }).formData();
      const part = [...form.values()].find((value) => typeof value !== "string");
      if (part === undefined || typeof part === "string") return { status: 400, text: "no file part" };
      bytes = Buffer.from(await part.arrayBuffer());
    }
    if (bytes.length !== file.length) {
      return { status: 400, text: `length ${bytes.length} is not the declared ${file.length}` };
    }
    file.bytes = bytes;
    return { status: 200, text: `OK - ${bytes.length}` };
  }
}

function sendJson(response: ServerResponse, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(200, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** The bot scopes slack-app-manifest.json asks for, read as it is now. */
function manifestScopes(): string[] {
  const manifest = JSON.parse(
    readFileSync(new URL("../../../slack-app-manifest.json", import.meta.url), "utf8"),
  ) as { oauth_config: { scopes: { bot: string[] } } };
  return manifest.oauth_config.scopes.bot;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** @slack/web-api posts form fields, with objects (blocks) as JSON strings; some clients post JSON. */
function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes("application/json")) return JSON.parse(body || "{}") as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
