import type { FakeSlack } from "./fake-slack.ts";
import { postSigned } from "./signed-request.ts";

/** What Slack got back when it delivered a request: the HTTP status, or a Socket Mode ack. */
export interface Delivery {
  readonly acked: boolean;
  readonly status?: number;
  /** Delivers the same request again, as Slack does when it thinks the first one timed out. */
  retry(attempt: number): Promise<Delivery>;
}

/**
 * Delivers slash commands and button presses to the app the way Slack does in one connection
 * mode, so the same test runs over Socket Mode and over signed HTTP.
 */
export interface SlackDriver {
  readonly mode: "socket" | "http";
  command(payload: Record<string, string>): Promise<Delivery>;
  action(payload: Record<string, unknown>): Promise<Delivery>;
}

export function socketDriver(fake: FakeSlack): SlackDriver {
  const send = async (
    type: "slash_commands" | "interactive",
    payload: Record<string, unknown>,
    envelopeId?: string,
    retryAttempt?: number,
  ): Promise<Delivery> => {
    const ack = await fake.deliver(type, payload, {
      ...(envelopeId !== undefined && { envelopeId }),
      ...(retryAttempt !== undefined && { retryAttempt }),
    });
    return { acked: true, retry: (attempt) => send(type, payload, ack.envelope_id, attempt) };
  };
  return {
    mode: "socket",
    command: (payload) => send("slash_commands", payload),
    action: (payload) => send("interactive", payload),
  };
}

export function httpDriver(eventsUrl: string, secret: string): SlackDriver {
  const send = async (form: Record<string, string>, retryNum?: number): Promise<Delivery> => {
    const result = await postSigned(eventsUrl, form, { secret, ...(retryNum !== undefined && { retryNum }) });
    return { acked: result.status === 200, status: result.status, retry: (attempt) => send(form, attempt) };
  };
  return {
    mode: "http",
    command: (payload) => send(payload),
    action: (payload) => send({ payload: JSON.stringify(payload) }),
  };
}
