/**
 * A CommandRequest.followUp for a platform whose follow-up messages may only go once the answer has
 * (Discord takes them after the interaction's reply; on Slack they would overtake the answer on its
 * response_url): `followUp` holds each note until `answered` is called, then sends it with `send`.
 * Call `answered` whether the answer went or not: a note whose answer failed is tried, and its failure
 * logged, like any other.
 */
export function followUpAfterAnswer(send: (text: string) => Promise<void>): {
  readonly followUp: (text: string) => Promise<void>;
  readonly answered: () => void;
} {
  let answered = () => {};
  const sent = new Promise<void>((resolve) => {
    answered = () => resolve();
  });
  return {
    followUp: async (text) => {
      await sent;
      await send(text);
    },
    answered,
  };
}
