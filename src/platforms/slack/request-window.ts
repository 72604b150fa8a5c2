import type { RequestListener } from "node:http";

/** Slack's window: a request timestamped more than five minutes from now, either way, is refused. */
const REQUEST_WINDOW_SECONDS = 5 * 60;

/**
 * Bolt's HTTP receiver refuses a signed request timestamped over five minutes ago, but takes one
 * timestamped any time ahead. Slack's rule is five minutes either way: a request dated ahead comes
 * from a clock that is off or was kept to be replayed later. This refuses those with the same 401
 * before Bolt reads the body; Bolt's own check (signature, age) runs on everything else.
 */
export function refusingFutureTimestamps(listener: RequestListener): RequestListener {
  return (request, response) => {
    const timestamp = Number(request.headers["x-slack-request-timestamp"]);
    if (Number.isFinite(timestamp) && timestamp > Date.now() / 1000 + REQUEST_WINDOW_SECONDS) {
      response.writeHead(401);
      response.end();
      return;
    }
    listener(request, response);
  };
}
