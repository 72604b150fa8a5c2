import { createHmac } from "node:crypto";

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SignedPostOptions {
  readonly secret: string;
  /** Unix seconds; default now. An old one makes a stale request. */
  readonly timestamp?: number;
  /** Slack's re-send of a request it thinks timed out. */
  readonly retryNum?: number;
  /** Sign with this secret instead: a forged request. */
  readonly signWith?: string;
}

export interface SignedPostResult {
  readonly status: number;
  readonly text: string;
}

/** Posts a body to the app's HTTP receiver exactly as Slack would: form-encoded and signed for real. */
export async function postSigned(
  url: string,
  form: Readonly<Record<string, string>>,
  options: SignedPostOptions,
): Promise<SignedPostResult> {
  const body = new URLSearchParams(form).toString();
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(options.signWith ?? options.secret, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}
