/**
 * How long the Web API clients try a call again (rate limits, 5xx, network errors), as
 * @slack/web-api's p-retry options.
 */

/** Deliveries: long enough to ride out a rate limit, short enough not to hang a digest run. */
export const DELIVERY_RETRIES = {
  retries: 5,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 30_000,
  randomize: true,
};

/**
 * While a person waits for an answer (a file upload): under 2 s of retries a call, so a failing
 * upload is answered in seconds rather than after the delivery client's 15–31 s (decision 019).
 */
export const ANSWER_RETRIES = { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1_000, randomize: true };
