import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type WebSocket, WebSocketServer } from "ws";
import type { FailureRule, FakeFailure } from "./failures.ts";
import {
  autocompleteInteraction,
  buttonInteraction,
  type CommandInvocation,
  chatInputInteraction,
  DISCORD_EPOCH_MS,
  type InteractionEnvelope,
  type InteractionPlace,
  nextSnowflake,
  selectInteraction,
} from "./interactions.ts";
import {
  channelJson,
  EVERYONE_PERMISSIONS,
  everyoneRoleJson,
  type FakeChannel,
  type FakeGuild,
  type FakeUser,
  guildCreateJson,
  guildJson,
  memberJson,
  messageJson,
  PERMISSIONS,
  userJson,
} from "./payloads.ts";
import { GlobalRateLimit } from "./rate-limit.ts";
import { readBody } from "./request-body.ts";

/**
 * A Discord on loopback that speaks the real protocols to a real discord.js client: REST v10
 * under `<apiUrl>/v10` and gateway v10 as plain JSON (discord.js asks for `encoding=json` and,
 * without zlib-sync installed, no transport compression). It records every request and frame it
 * receives, and can be told to fail the way Discord fails.
 */

export interface RecordedRequest {
  readonly method: string;
  /** Without the `/api/v10` prefix, e.g. `/channels/123/messages`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  /** 0 when the fake dropped the connection instead of answering (see failures.answerDropped). */
  readonly status: number;
}

export interface PostedMessage {
  readonly id: string;
  readonly channelId: string;
  readonly body: Record<string, unknown>;
}

/** A message in a channel's history: the bot's posts and those of anyone else (postAs). */
interface StoredMessage {
  readonly id: string;
  readonly author: FakeUser;
  readonly body: Record<string, unknown>;
  deleted: boolean;
}

/** A public thread the bot opened: in a channel, or started from one of its messages (then its id is the message's). */
export interface FakeThread {
  readonly id: string;
  readonly parentId: string;
  readonly guildId: string;
  readonly name: string;
  /** The message it was started from, when it was. */
  readonly fromMessage?: string;
  /** Who is in it: the bot, who opened it, and everyone added since. */
  readonly members: Set<string>;
}

/** One interaction's responses, as the bot sent them. */
export interface InteractionRecord {
  readonly id: string;
  readonly token: string;
  readonly callbacks: { readonly type: number; readonly data?: Record<string, unknown> }[];
  readonly edits: Record<string, unknown>[];
  readonly followUps: Record<string, unknown>[];
}

/** What the user sees once the bot has answered an interaction. */
export interface InteractionAnswer {
  /** The callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete. */
  readonly type: number;
  /** The message body (reply, update or the edit after a deferral), or `{ choices }` for autocomplete. */
  readonly data: Record<string, unknown>;
  readonly record: InteractionRecord;
}

interface Session {
  readonly id: string;
  /** The shard this session identified as: [shard id, shard count]. */
  readonly shard: readonly [number, number];
  seq: number;
  readonly sent: { s: number; t: string; d: unknown }[];
}

const API_PREFIX = "/api/v10";

/** Discord dedupes an enforced nonce "in the past few minutes"; the fake says three. */
const NONCE_WINDOW_MS = 3 * 60 * 1000;

export interface FakeDiscordOptions {
  readonly token?: string;
  readonly heartbeatIntervalMs?: number;
  /** The shard count GET /gateway/bot recommends (default 1). */
  readonly shards?: number;
  /** How many shards may identify at once, as GET /gateway/bot says (default 1). */
  readonly maxConcurrency?: number;
  /** Discord's global REST limit (50 on Discord), enforced with 429s; unset, no limit. */
  readonly globalRequestsPerSecond?: number;
}

/** Discord's rule: a guild's events go through shard (guild id >> 22) % shard count. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A guild id (snowflake) that Discord routes through `shard` of `shardCount`. */
export function guildIdOnShard(shard: number, shardCount: number, seed = 1): string {
  const base = (1_100_000_000_000_000_000n >> 22n) + BigInt(seed) * BigInt(shardCount);
  const timestamp = base - (base % BigInt(shardCount)) + BigInt(shard);
  return ((timestamp << 22n) + 1n).toString();
}

export class FakeDiscord {
  readonly token: string;
  readonly bot: FakeUser = { id: "1200000000000000001", username: "paper-picks", bot: true };
  readonly applicationId = this.bot.id;
  readonly owner: FakeUser = { id: "1300000000000000001", username: "owner" };
  /** The bot's first guild; `guilds` holds it and those added with addGuild(). */
  readonly guild: FakeGuild;
  readonly guilds: FakeGuild[] = [];

  readonly requests: RecordedRequest[] = [];
  /** Messages the bot posted, per channel id, in the order the fake accepted them. */
  readonly posted = new Map<string, PostedMessage[]>();
  readonly commands: { global?: unknown[]; guilds: Map<string, unknown[]> } = { guilds: new Map() };
  readonly interactions = new Map<string, InteractionRecord>();
  /** Threads the bot opened, by id, in the order opened. */
  readonly threads = new Map<string, FakeThread>();
  readonly gateway = {
    connections: 0,
    identifies: 0,
    resumes: 0,
    heartbeats: 0,
    queries: [] as string[],
    /** The `shard` of each accepted IDENTIFY, `[0, 1]` when the client sent none. */
    shards: [] as (readonly [number, number])[],
  };
  /** Intents the bot identified with, per IDENTIFY. */
  readonly intents: number[] = [];
  /** The global rate limit when the fake was started with one: how many requests it let through and refused. */
  readonly globalRateLimit: GlobalRateLimit | undefined;
  /**
   * How long an interaction's first answer (its callback) spends on the way here before Discord has it:
   * a slow network, for tests of what may only follow that answer.
   */
  interactionCallbackDelayMs = 0;

  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #failures: FailureRule[] = [];
  readonly #closedDms = new Set<string>();
  /** Per channel id, every message posted there, oldest first (deleted ones kept, marked). */
  readonly #history = new Map<string, StoredMessage[]>();
  /** Per author and nonce, the message created with it and when: what an enforced repeat gets back. */
  readonly #nonces = new Map<string, { readonly at: number; readonly json: unknown }>();
  readonly #dmChannels = new Map<string, string>();
  readonly #sessions = new Map<string, Session>();
  readonly #waiters = new Set<() => void>();
  readonly #heartbeatIntervalMs: number;
  readonly #recommendedShards: number;
  readonly #maxConcurrency: number;
  /** Per shard id: its latest session and the socket carrying it (undefined while dropped). */
  readonly #connections = new Map<number, { session: Session; socket: WebSocket | undefined }>();
  /** The shard count of the latest IDENTIFY: where guild events go. */
  #shardCount = 1;
  #port = 0;

  private constructor(options: FakeDiscordOptions) {
    this.token =
      options.token ?? `MTIwMDAwMDAwMDAwMDAwMDAwMQ.Gfake1.${randomBytes(20).toString("base64url")}`;
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.#recommendedShards = options.shards ?? 1;
    this.#maxConcurrency = options.maxConcurrency ?? 1;
    this.globalRateLimit =
      options.globalRequestsPerSecond === undefined
        ? undefined
        : new GlobalRateLimit(options.globalRequestsPerSecond);
    this.guild = {
      id: "1100000000000000001",
      name: "Reading Group",
      ownerId: this.owner.id,
      everyonePermissions: EVERYONE_PERMISSIONS,
      channels: [
        { id: "1100000000000000011", name: "general", type: 0, overwrites: [] },
        { id: "1100000000000000012", name: "papers", type: 0, overwrites: [] },
      ],
    };
    this.guilds.push(this.guild);
    this.#server = createServer((request, response) => void this.#handle(request, response));
    this.#wss = new WebSocketServer({ server: this.#server, path: "/gateway" });
    this.#wss.on("connection", (socket, request) => this.#onConnection(socket, request));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    fake.#port = (fake.#server.address() as AddressInfo).port;
    return fake;
  }

  /** The REST base to give discord.js as `rest.api` (it appends `/v10`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}/gateway`;
  }

  /** Gateway sockets still open: 0 once every bot process has disconnected. */
  get openGatewayConnections(): number {
    return [...this.#wss.clients].filter((client) => client.readyState === 1).length;
  }

  channel(name: string) {
    const found = this.guild.channels.find((channel) => channel.name === name);
    if (!found) throw new Error(`the fake guild has no #${name}`);
    return found;
  }

  /** A member of the guild, in a channel (default #general), with the given computed permissions. */
  member(user: FakeUser, options: { channel?: string; permissions?: bigint } = {}): InteractionPlace {
    return {
      user,
      guild: this.guild,
      channel: this.channel(options.channel ?? "general"),
      ...(options.permissions !== undefined && { permissions: options.permissions }),
    };
  }

  /** Adds a guild the bot is in, with text channels of these names; a connected shard holding it gets GUILD_CREATE. */
  addGuild(options: {
    readonly id: string;
    readonly name: string;
    readonly channels: readonly string[];
  }): FakeGuild {
    const guild: FakeGuild = {
      id: options.id,
      name: options.name,
      ownerId: this.owner.id,
      everyonePermissions: EVERYONE_PERMISSIONS,
      channels: options.channels.map((name) => ({ id: nextSnowflake(), name, type: 0, overwrites: [] })),
    };
    this.guilds.push(guild);
    if (this.#connections.has(this.#shardOf(guild.id))) {
      this.dispatchToGuild(guild.id, "GUILD_CREATE", guildCreateJson(guild, this.bot));
    }
    return guild;
  }

  dm(user: FakeUser): InteractionPlace {
    return { user };
  }

  /** The next requests matching method + path answer with these failures, in order. */
  failNext(method: string, path: RegExp, ...queue: FakeFailure[]): void {
    this.#failures.push({ method, path, queue: [...queue] });
  }

  /** Deletes a channel: REST answers 10003 for it from now on, and the gateway says CHANNEL_DELETE. */
  deleteChannel(name: string): void {
    const index = this.guild.channels.findIndex((channel) => channel.name === name);
    const [deleted] = index >= 0 ? this.guild.channels.splice(index, 1) : [];
    if (deleted && this.#connections.has(this.#shardOf(this.guild.id))) {
      this.dispatchToGuild(this.guild.id, "CHANNEL_DELETE", channelJson(deleted, this.guild.id));
    }
  }

  closeDms(userId: string): void {
    this.#closedDms.add(userId);
  }

  dmChannelOf(userId: string): string | undefined {
    return this.#dmChannels.get(userId);
  }

  messagesIn(channelId: string): readonly PostedMessage[] {
    return this.posted.get(channelId) ?? [];
  }

  /** A message someone else (a member, another bot) posts in a channel or DM: in its history, never in `posted`. */
  postAs(author: FakeUser, channelId: string, body: Record<string, unknown>): string {
    return this.#store(channelId, author, body);
  }

  /** Deletes a thread: REST answers 10003 for it from now on. */
  deleteThread(threadId: string): void {
    this.threads.delete(threadId);
  }

  /** Deletes a message: the history no longer lists it, and reading it answers 10008. */
  deleteMessage(channelId: string, messageId: string): void {
    const found = this.#history.get(channelId)?.find((message) => message.id === messageId);
    if (found) found.deleted = true;
  }

  // ── interactions ────────────────────────────────────────────────────────────

  command(
    place: InteractionPlace,
    invocation: CommandInvocation,
    timeoutMs?: number,
  ): Promise<InteractionAnswer> {
    return this.interact(chatInputInteraction(this.applicationId, place, invocation), timeoutMs);
  }

  autocomplete(
    place: InteractionPlace,
    invocation: CommandInvocation & { readonly focused: string },
  ): Promise<InteractionAnswer> {
    return this.interact(autocompleteInteraction(this.applicationId, place, invocation));
  }

  /** Presses the button `customId` of a message the bot sent (an answer's data). */
  press(
    place: InteractionPlace,
    customId: string,
    message: Record<string, unknown>,
  ): Promise<InteractionAnswer> {
    return this.interact(
      buttonInteraction(this.applicationId, place, customId, this.#posted(place, message)),
    );
  }

  /** Presses the button `customId` of a post the bot made in a channel (one of `messagesIn`), under its own id. */
  pressOnPost(place: InteractionPlace, customId: string, post: PostedMessage): Promise<InteractionAnswer> {
    const message = messageJson(post.id, post.channelId, this.bot, post.body, { interaction_metadata: null });
    return this.interact(buttonInteraction(this.applicationId, place, customId, message));
  }

  /** Chooses `value` in the menu `customId` of a message the bot sent (an answer's data). */
  choose(
    place: InteractionPlace,
    customId: string,
    value: string,
    message: Record<string, unknown>,
  ): Promise<InteractionAnswer> {
    return this.interact(
      selectInteraction(this.applicationId, place, customId, value, this.#posted(place, message)),
    );
  }

  /** A message the bot sent in `place`, in full, as an interaction on one of its components carries it. */
  #posted(place: InteractionPlace, message: Record<string, unknown>): Record<string, unknown> {
    return messageJson(nextSnowflake(), String(place.channel?.id ?? "0"), this.bot, message, {
      interaction_metadata: null,
    });
  }

  /** Dispatches INTERACTION_CREATE and resolves when the bot has answered it for the user to see. */
  interact(interaction: InteractionEnvelope, timeoutMs = 5000): Promise<InteractionAnswer> {
    const record = this.send(interaction);
    return this.waitFor(() => answerOf(record), timeoutMs, `an answer to interaction ${interaction.id}`);
  }

  /** Dispatches INTERACTION_CREATE without waiting; the record fills in as the bot answers. */
  send(interaction: InteractionEnvelope): InteractionRecord {
    const record: InteractionRecord = {
      id: interaction.id,
      token: interaction.token,
      callbacks: [],
      edits: [],
      followUps: [],
    };
    this.interactions.set(interaction.token, record);
    // Discord sends a guild's interactions through the shard holding the guild, DMs through shard 0.
    const guildId = interaction.payload.guild_id;
    if (typeof guildId === "string") this.dispatchToGuild(guildId, "INTERACTION_CREATE", interaction.payload);
    else this.dispatch("INTERACTION_CREATE", interaction.payload);
    return record;
  }

  /** Resolves with `check()`'s first defined value, re-checked after every request and frame. */
  waitFor<T>(check: () => T | undefined, timeoutMs = 5000, what = "a condition"): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const waiter = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  // ── gateway ─────────────────────────────────────────────────────────────────

  /**
   * Sends a dispatch through one shard's session (default shard 0); while its socket is down it is
   * kept for the RESUME replay, as Discord does.
   */
  dispatch(event: string, data: unknown, shard = 0): void {
    const connection = this.#connections.get(shard);
    if (!connection) throw new Error(`fake Discord: no gateway session of shard ${shard} to dispatch to`);
    const { session, socket } = connection;
    session.seq++;
    const frame = { s: session.seq, t: event, d: data };
    session.sent.push(frame);
    if (socket?.readyState === 1) socket.send(JSON.stringify({ op: 0, ...frame }));
  }

  /** Sends a guild's event through the shard that holds the guild. */
  dispatchToGuild(guildId: string, event: string, data: unknown): void {
    this.dispatch(event, data, this.#shardOf(guildId));
  }

  /** Drops a shard's socket with a resumable close code (4000 unknown error); the client should RESUME. */
  dropGateway(shard = 0): void {
    const connection = this.#connections.get(shard);
    connection?.socket?.close(4000, "fake Discord dropped the connection");
    if (connection) connection.socket = undefined;
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** A text channel of any of the bot's guilds. */
  #findChannel(channelId: string): { channel: FakeChannel; guild: FakeGuild } | undefined {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((candidate) => candidate.id === channelId);
      if (channel) return { channel, guild };
    }
    return undefined;
  }

  #shardOf(guildId: string): number {
    return shardOfGuild(guildId, this.#shardCount);
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  #onConnection(socket: WebSocket, request: IncomingMessage): void {
    this.gateway.connections++;
    this.gateway.queries.push(new URL(request.url ?? "/", "http://fake").search);
    const send = (payload: unknown) => socket.send(JSON.stringify(payload));
    socket.on("message", (raw) => {
      let frame: { op?: number; d?: Record<string, unknown> | number | null };
      try {
        frame = JSON.parse(String(raw));
      } catch {
        socket.close(4002, "Error while decoding payload.");
        return;
      }
      const data = (typeof frame.d === "object" && frame.d) || {};
      switch (frame.op) {
        case 1:
          this.gateway.heartbeats++;
          send({ op: 11, d: null });
          break;
        case 2:
          this.gateway.identifies++;
          if (data.token !== this.token) {
            socket.close(4004, "Authentication failed.");
            return;
          }
          if (!this.#identifyShard(socket, data.shard)) return;
          this.intents.push(Number(data.intents));
          break;
        case 6:
          this.gateway.resumes++;
          this.#resume(socket, data);
          break;
        default:
          break;
      }
      this.#notify();
    });
    // A closed socket is something a test may wait for (openGatewayConnections).
    socket.on("close", () => this.#notify());
    send({ op: 10, d: { heartbeat_interval: this.#heartbeatIntervalMs } });
    this.#notify();
  }

  /**
   * Starts a session for the shard IDENTIFY asked for (`[id, count]`, absent means `[0, 1]`):
   * READY lists only that shard's guilds and GUILD_CREATE follows for each, as Discord does.
   * An impossible shard closes with 4010, Discord's "Invalid shard".
   */
  #identifyShard(socket: WebSocket, requested: unknown): boolean {
    const [id, count] = Array.isArray(requested) ? requested.map(Number) : [0, 1];
    if (
      !Number.isInteger(id) ||
      !Number.isInteger(count) ||
      id === undefined ||
      count === undefined ||
      id < 0 ||
      count < 1 ||
      id >= count
    ) {
      socket.close(4010, "Invalid shard.");
      return false;
    }
    const shard = [id, count] as const;
    this.gateway.shards.push(shard);
    this.#shardCount = count;
    const session: Session = { id: randomBytes(16).toString("hex"), shard, seq: 0, sent: [] };
    this.#sessions.set(session.id, session);
    this.#connections.set(id, { session, socket });
    const held = this.guilds.filter((guild) => shardOfGuild(guild.id, count) === id);
    this.dispatch(
      "READY",
      {
        v: 10,
        user: userJson(this.bot),
        guilds: held.map((guild) => ({ id: guild.id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: this.gatewayUrl,
        shard,
        application: { id: this.applicationId, flags: 0 },
      },
      id,
    );
    for (const guild of held) this.dispatch("GUILD_CREATE", guildCreateJson(guild, this.bot), id);
    return true;
  }

  #resume(socket: WebSocket, data: Record<string, unknown>): void {
    const session = this.#sessions.get(String(data.session_id));
    if (!session || data.token !== this.token) {
      socket.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    this.#connections.set(session.shard[0], { session, socket });
    const since = Number(data.seq ?? 0);
    for (const frame of session.sent.filter((sent) => sent.s > since)) {
      socket.send(JSON.stringify({ op: 0, ...frame }));
    }
    this.dispatch("RESUMED", {}, session.shard[0]);
  }

  // ── REST ────────────────────────────────────────────────────────────────────

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    const method = request.method ?? "GET";
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const read = await readBody(request);
    if (!read.ok) {
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: `Invalid Form Body: ${read.problem}`, code: 50035 }));
      return;
    }
    const body = read.body;
    if (this.interactionCallbackDelayMs > 0 && path.startsWith("/interactions/")) {
      await sleep(this.interactionCallbackDelayMs);
    }
    const reply = this.#route(method, path, url.searchParams, body, request.headers.authorization);
    this.requests.push({
      method,
      path,
      query: url.searchParams,
      body,
      status: reply.dropped ? 0 : reply.status,
    });
    if (reply.dropped) {
      // Done on our side, never answered: the client sees the connection close under its request.
      request.socket.destroy();
    } else if (reply.status === 204) {
      // No content type: discord.js parses a JSON content type's empty body and fails.
      response.writeHead(204, reply.headers);
      response.end();
    } else {
      response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      response.end(JSON.stringify(reply.body));
    }
    this.#notify();
  }

  #route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    authorization: string | undefined,
  ): Reply {
    const parts = path.split("/").filter(Boolean);
    const isWebhook = parts[0] === "webhooks" || parts[0] === "interactions";
    if (!isWebhook && authorization !== `Bot ${this.token}`) {
      return { status: 401, body: { message: "401: Unauthorized", code: 0 } };
    }
    const limited = this.globalRateLimit?.take(path);
    if (limited) return limited;
    const failure = this.#takeFailure(method, path);
    if (failure?.kind === "answer-dropped")
      return { ...this.#serve(method, path, query, body), dropped: true };
    if (failure) return failureReply(failure);
    return this.#serve(method, path, query, body);
  }

  /** The answer to an authorised request that no failure rule intercepted. */
  #serve(method: string, path: string, query: URLSearchParams, body: unknown): Reply {
    const parts = path.split("/").filter(Boolean);
    const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const route = `${method} ${parts.map((part, index) => (index % 2 === 1 && /^\d|^dm-/.test(part) ? ":id" : part)).join("/")}`;

    if (method === "GET" && path === "/gateway/bot") {
      return ok({
        url: this.gatewayUrl,
        shards: this.#recommendedShards,
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 86_400_000,
          max_concurrency: this.#maxConcurrency,
        },
      });
    }
    if (method === "GET" && path === "/applications/@me") {
      return ok({ id: this.applicationId, name: "paper-picks", flags: 0, bot: userJson(this.bot) });
    }
    if (method === "GET" && path === "/users/@me") return ok(userJson(this.bot));
    if (method === "PUT" && parts[0] === "applications" && parts.at(-1) === "commands") {
      const list = (Array.isArray(body) ? body : []).map((command: Record<string, unknown>) => ({
        ...command,
        id: nextSnowflake(),
        application_id: this.applicationId,
        version: nextSnowflake(),
        ...(parts[2] === "guilds" && { guild_id: parts[3] }),
      }));
      if (parts[2] === "guilds") this.commands.guilds.set(String(parts[3]), list);
      else this.commands.global = list;
      return ok(list);
    }
    if (method === "POST" && parts[0] === "interactions" && parts[3] === "callback") {
      const record = this.interactions.get(String(parts[2]));
      if (!record) return notFound(10062, "Unknown interaction");
      if (record.callbacks.length > 0) return error(400, 40060, "Interaction has already been acknowledged.");
      const type = Number(fields.type);
      const data = fields.data as Record<string, unknown> | undefined;
      record.callbacks.push({ type, ...(data !== undefined && { data }) });
      if (query.get("with_response") === "true") {
        return ok({ interaction: { id: record.id, type: 2 }, resource: { type } });
      }
      return { status: 204 };
    }
    if (parts[0] === "webhooks") {
      const record = this.interactions.get(String(parts[2]));
      // The interaction's webhook exists once the interaction has its first answer (or deferral).
      if (!record || record.callbacks.length === 0) return notFound(10015, "Unknown Webhook");
      if (method === "PATCH") record.edits.push(fields);
      else if (method === "POST") record.followUps.push(fields);
      return ok(messageJson(nextSnowflake(), "0", this.bot, fields, { webhook_id: this.applicationId }));
    }
    if (method === "POST" && path === "/users/@me/channels") {
      const userId = String(fields.recipient_id);
      const channelId = this.#dmChannels.get(userId) ?? nextSnowflake();
      this.#dmChannels.set(userId, channelId);
      return ok({
        id: channelId,
        type: 1,
        last_message_id: null,
        recipients: [userJson({ id: userId, username: `user-${userId.slice(-4)}` })],
      });
    }
    if (route === "POST channels/:id/threads") return this.#openThread(String(parts[1]), fields, undefined);
    if (route === "POST channels/:id/messages/:id/threads")
      return this.#openThread(String(parts[1]), fields, String(parts[3]));
    if (route === "PUT channels/:id/thread-members/:id")
      return this.#addThreadMember(String(parts[1]), String(parts[3]));
    if (route === "POST channels/:id/messages") return this.#postMessage(String(parts[1]), fields);
    if (route === "GET channels/:id/messages") return this.#listMessages(String(parts[1]), query);
    if (route === "GET channels/:id/messages/:id")
      return this.#getMessage(String(parts[1]), String(parts[3]));
    if (route === "GET channels/:id") return this.#getChannel(String(parts[1]));
    if (parts[0] === "guilds" && parts[1] === this.guild.id && method === "GET") {
      if (parts.length === 2) return ok(guildJson(this.guild));
      if (parts[2] === "roles") return ok([everyoneRoleJson(this.guild)]);
      if (parts[2] === "channels") return ok(this.guild.channels.map((c) => channelJson(c, this.guild.id)));
      if (parts[2] === "members" && parts[3] === this.bot.id) return ok(memberJson(this.bot));
      if (parts[2] === "members") return notFound(10007, "Unknown Member");
    }
    return notFound(0, "404: Not Found");
  }

  #postMessage(channelId: string, fields: Record<string, unknown>): Reply {
    const dmOf = [...this.#dmChannels].find(([, id]) => id === channelId)?.[0];
    if (dmOf !== undefined && this.#closedDms.has(dmOf)) {
      return error(403, 50007, "Cannot send messages to this user");
    }
    const thread = this.threads.get(channelId);
    if (dmOf === undefined && !thread && !this.#findChannel(channelId)) {
      return notFound(10003, "Unknown Channel");
    }
    // In a thread, Discord wants Send Messages in Threads in its channel.
    if (thread && !this.#permissionsIn(thread.parentId, PERMISSIONS.sendMessagesInThreads)) {
      return error(403, 50013, "Missing Permissions");
    }
    const nonce =
      typeof fields.nonce === "string" || typeof fields.nonce === "number" ? fields.nonce : undefined;
    if (String(nonce ?? "").length > 25) {
      return error(400, 50035, "Invalid Form Body: nonce must be 25 or fewer in length.");
    }
    // The bot is the author of every REST message: same author + same nonce within the window.
    const nonceKey = `${this.bot.id}:${String(nonce)}`;
    const earlier = nonce === undefined ? undefined : this.#nonces.get(nonceKey);
    if (fields.enforce_nonce === true && earlier && Date.now() - earlier.at < NONCE_WINDOW_MS) {
      return ok(earlier.json);
    }
    const id = this.#store(channelId, this.bot, fields);
    const list = this.posted.get(channelId) ?? [];
    list.push({ id, channelId, body: fields });
    this.posted.set(channelId, list);
    const json = messageJson(id, channelId, this.bot, fields, nonce === undefined ? {} : { nonce });
    if (nonce !== undefined) this.#nonces.set(nonceKey, { at: Date.now(), json });
    return ok(json);
  }

  /**
   * POST /channels/{id}/threads (a public thread of the channel, type 11) and
   * POST /channels/{id}/messages/{mid}/threads (started from a message, taking its id), as Discord
   * answers them: 50013 without Create Public Threads, 50035 for a name outside 1–100 characters,
   * 10008 for a message that is not there, 160004 for a message that has a thread already.
   */
  #openThread(channelId: string, fields: Record<string, unknown>, messageId: string | undefined): Reply {
    const found = this.#findChannel(channelId);
    if (!found) return notFound(10003, "Unknown Channel");
    if (!this.#readAccess(channelId)?.view) return error(403, 50001, "Missing Access");
    if (!this.#permissionsIn(channelId, PERMISSIONS.createPublicThreads)) {
      return error(403, 50013, "Missing Permissions");
    }
    const name = typeof fields.name === "string" ? fields.name : "";
    if (name.length < 1 || name.length > 100) {
      return error(400, 50035, "Invalid Form Body: name must be between 1 and 100 in length.");
    }
    if (messageId === undefined && fields.type !== undefined && fields.type !== 11) {
      return error(400, 50035, "Invalid Form Body: the fake opens public threads (type 11) only.");
    }
    if (messageId !== undefined) {
      const message = this.#history
        .get(channelId)
        ?.find((stored) => stored.id === messageId && !stored.deleted);
      if (!message) return notFound(10008, "Unknown Message");
      if (this.threads.has(messageId)) {
        return error(400, 160004, "A thread has already been created for this message");
      }
    }
    const thread: FakeThread = {
      id: messageId ?? nextSnowflake(),
      parentId: channelId,
      guildId: found.guild.id,
      name,
      ...(messageId !== undefined && { fromMessage: messageId }),
      members: new Set([this.bot.id]),
    };
    this.threads.set(thread.id, thread);
    return ok({
      id: thread.id,
      type: 11,
      guild_id: thread.guildId,
      parent_id: channelId,
      owner_id: this.bot.id,
      name,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: Number(fields.auto_archive_duration ?? 4320),
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
      total_message_sent: 0,
    });
  }

  /** PUT /channels/{thread}/thread-members/{user}: 204; 10003 for a thread that is not there. */
  #addThreadMember(threadId: string, userId: string): Reply {
    const thread = this.threads.get(threadId);
    if (!thread) return notFound(10003, "Unknown Channel");
    if (!this.#permissionsIn(thread.parentId, PERMISSIONS.sendMessagesInThreads)) {
      return error(403, 50013, "Missing Permissions");
    }
    thread.members.add(userId);
    return { status: 204 };
  }

  #store(channelId: string, author: FakeUser, body: Record<string, unknown>): string {
    const id = nextSnowflake();
    const list = this.#history.get(channelId) ?? [];
    list.push({ id, author, body, deleted: false });
    this.#history.set(channelId, list);
    return id;
  }

  #dmUserOf(channelId: string): string | undefined {
    return [...this.#dmChannels].find(([, id]) => id === channelId)?.[0];
  }

  /**
   * What the bot may do with a channel's messages: Discord's computed permissions for it (the
   * bot has no roles here: @everyone's, then the channel's @everyone and member overwrites), or
   * undefined when no such channel exists. In a DM it may read everything.
   */
  #readAccess(channelId: string): { view: boolean; history: boolean } | undefined {
    if (this.#dmUserOf(channelId) !== undefined) return { view: true, history: true };
    const permissions = this.#botPermissions(channelId);
    if (permissions === undefined) return undefined;
    const view = (permissions & PERMISSIONS.viewChannel) !== 0n;
    return { view, history: view && (permissions & PERMISSIONS.readMessageHistory) !== 0n };
  }

  /** Whether the bot holds `flag` in a guild channel (see #botPermissions). */
  #permissionsIn(channelId: string, flag: bigint): boolean {
    return ((this.#botPermissions(channelId) ?? 0n) & flag) !== 0n;
  }

  /** The bot's computed permissions in a guild channel; undefined when there is no such channel. */
  #botPermissions(channelId: string): bigint | undefined {
    const found = this.#findChannel(channelId);
    if (!found) return undefined;
    const { channel, guild } = found;
    let permissions = guild.everyonePermissions;
    if ((permissions & PERMISSIONS.administrator) !== 0n) return ~0n;
    for (const overwrite of [
      channel.overwrites.find((candidate) => candidate.type === 0 && candidate.id === guild.id),
      channel.overwrites.find((candidate) => candidate.type === 1 && candidate.id === this.bot.id),
    ]) {
      if (overwrite) permissions = (permissions & ~overwrite.deny) | overwrite.allow;
    }
    return permissions;
  }

  #messageJson(channelId: string, message: StoredMessage) {
    const ms = Number(BigInt(message.id) >> 22n) + DISCORD_EPOCH_MS;
    return messageJson(message.id, channelId, message.author, message.body, {
      timestamp: new Date(ms).toISOString(),
    });
  }

  #getChannel(channelId: string): Reply {
    const last = this.#history.get(channelId)?.at(-1)?.id ?? null;
    const dmUser = this.#dmUserOf(channelId);
    if (dmUser !== undefined) {
      return ok({
        id: channelId,
        type: 1,
        last_message_id: last,
        recipients: [userJson({ id: dmUser, username: `user-${dmUser.slice(-4)}` })],
      });
    }
    const found = this.#findChannel(channelId);
    if (!found) return notFound(10003, "Unknown Channel");
    if (!this.#readAccess(channelId)?.view) return error(403, 50001, "Missing Access");
    return ok(channelJson(found.channel, found.guild.id, last));
  }

  /**
   * GET /channels/{id}/messages as Discord answers it: newest first; `after` gives the `limit`
   * (1–100, default 50) messages right after that id, `before` those right before it, neither
   * the latest. Without View Channel it is refused (50001); without Read Message History it lists
   * nothing, as Discord does.
   */
  #listMessages(channelId: string, query: URLSearchParams): Reply {
    const access = this.#readAccess(channelId);
    if (!access) return notFound(10003, "Unknown Channel");
    if (!access.view) return error(403, 50001, "Missing Access");
    const limit = Number(query.get("limit") ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return error(400, 50035, "Invalid Form Body: limit must be between 1 and 100.");
    }
    const anchors = ["around", "before", "after"].filter((name) => query.has(name));
    if (anchors.length > 1) return error(400, 50035, "Invalid Form Body: only one of around, before, after.");
    if (query.has("around")) return error(400, 0, "fake Discord: `around` is not implemented");
    if (anchors.some((name) => !/^\d{1,20}$/.test(String(query.get(name))))) {
      return error(400, 50035, "Invalid Form Body: value is not snowflake.");
    }
    if (!access.history) return ok([]);
    const live = (this.#history.get(channelId) ?? []).filter((message) => !message.deleted);
    const after = query.get("after");
    const before = query.get("before");
    let page: StoredMessage[];
    if (after !== null) page = live.filter((message) => BigInt(message.id) > BigInt(after)).slice(0, limit);
    else if (before !== null)
      page = live.filter((message) => BigInt(message.id) < BigInt(before)).slice(-limit);
    else page = live.slice(-limit);
    return ok(page.reverse().map((message) => this.#messageJson(channelId, message)));
  }

  /** GET /channels/{id}/messages/{id}: needs Read Message History as well (else 50001), 10008 for a deleted one. */
  #getMessage(channelId: string, messageId: string): Reply {
    const access = this.#readAccess(channelId);
    if (!access) return notFound(10003, "Unknown Channel");
    if (!access.history) return error(403, 50001, "Missing Access");
    const found = this.#history
      .get(channelId)
      ?.find((message) => message.id === messageId && !message.deleted);
    return found ? ok(this.#messageJson(channelId, found)) : notFound(10008, "Unknown Message");
  }

  #takeFailure(method: string, path: string): FakeFailure | undefined {
    const rule = this.#failures.find(
      (candidate) => candidate.method === method && candidate.path.test(path) && candidate.queue.length > 0,
    );
    return rule?.queue.shift();
  }
}

interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Drop the connection instead of sending this (failures.answerDropped). */
  readonly dropped?: boolean;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const error = (status: number, code: number, message: string): Reply => ({ status, body: { message, code } });
const notFound = (code: number, message: string): Reply => error(404, code, message);

function failureReply(failure: Exclude<FakeFailure, { kind: "answer-dropped" }>): Reply {
  if (failure.kind === "error") return error(failure.status, failure.code, failure.message);
  const seconds = String(failure.retryAfterSeconds);
  return {
    status: 429,
    body: {
      message: "You are being rate limited.",
      retry_after: failure.retryAfterSeconds,
      global: !!failure.global,
    },
    headers: {
      "retry-after": seconds,
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset-after": seconds,
      "x-ratelimit-bucket": "fake-bucket",
      "x-ratelimit-scope": failure.global ? "global" : "user",
      ...(failure.global && { "x-ratelimit-global": "true" }),
    },
  };
}

/** What the user sees of an interaction so far: undefined until the bot has answered it. */
export function answerOf(record: InteractionRecord): InteractionAnswer | undefined {
  const first = record.callbacks[0];
  if (!first) return undefined;
  if (first.type === 5 || first.type === 6) {
    const edit = record.edits[0] ?? record.followUps[0];
    return edit ? { type: first.type, data: edit, record } : undefined;
  }
  return { type: first.type, data: first.data ?? {}, record };
}
