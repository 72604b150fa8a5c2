/**
 * Failures the fake can be told to answer with, each shaped as Discord sends it. A 429 carries
 * its wait in the HEADERS (`Retry-After`, `X-RateLimit-*`): discord.js ignores a body-only
 * `retry_after` and retries at once.
 */
export type FakeFailure =
  | { readonly kind: "rate-limited"; readonly retryAfterSeconds: number; readonly global?: boolean }
  | { readonly kind: "error"; readonly status: number; readonly code: number; readonly message: string }
  /** Does what the request asks (a POST creates its message), then closes the connection without answering. */
  | { readonly kind: "answer-dropped" };

export const failures = {
  /** Discord accepts fractional seconds in Retry-After's place for tests' sake; discord.js multiplies by 1000. */
  rateLimited: (retryAfterSeconds = 0.1, global = false): FakeFailure => ({
    kind: "rate-limited",
    retryAfterSeconds,
    global,
  }),
  unknownChannel: (): FakeFailure => ({
    kind: "error",
    status: 404,
    code: 10003,
    message: "Unknown Channel",
  }),
  missingAccess: (): FakeFailure => ({ kind: "error", status: 403, code: 50001, message: "Missing Access" }),
  missingPermissions: (): FakeFailure => ({
    kind: "error",
    status: 403,
    code: 50013,
    message: "Missing Permissions",
  }),
  cannotDm: (): FakeFailure => ({
    kind: "error",
    status: 403,
    code: 50007,
    message: "Cannot send messages to this user",
  }),
  serverError: (): FakeFailure => ({
    kind: "error",
    status: 500,
    code: 0,
    message: "500: Internal Server Error",
  }),
  /** The outcome a client cannot know: the message is created, the response never arrives. */
  answerDropped: (): FakeFailure => ({ kind: "answer-dropped" }),
} as const;

export interface FailureRule {
  readonly method: string;
  readonly path: RegExp;
  /** Answered in order, one per matching request; the rule is spent when empty. */
  readonly queue: FakeFailure[];
}
