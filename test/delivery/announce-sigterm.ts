/**
 * Loaded with --import before src/main.ts, so its listener is called first, in the same emit as
 * the bot's own: the bot's SIGTERM handler, and with it the synchronous start of the drain (no
 * new delivery from then on), runs right after this line is written and before the process
 * handles any answer from Slack. The SIGTERM test waits for the line before it lets Slack answer
 * the sends in flight.
 */
process.on("SIGTERM", () => {
  process.stderr.write("delivery test: SIGTERM received\n");
});
