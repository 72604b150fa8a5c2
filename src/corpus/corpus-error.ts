/**
 * A corpus problem the operator must fix: a spec that matches nothing, or a file with nothing usable.
 * The message is one line that names the file, so start-up can print it as is.
 */
export class CorpusError extends Error {
  override readonly name = "CorpusError";

  constructor(
    message: string,
    /** The file (as shown to the operator) or spec entry the problem is about. */
    readonly file?: string,
  ) {
    super(message.replace(/\s*[\r\n]+\s*/g, " "));
  }
}
