/**
 * A problem the user can fix (an unknown paper id, a topic they do not follow). The command
 * boundary shows its message as it is, ephemerally; any other error is logged and answered
 * with a generic apology that leaks no internals.
 */
export class UserError extends Error {
  override readonly name = "UserError";
}
