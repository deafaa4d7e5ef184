/**
 * Everything a user can cause (a file, an option, a database they named): the CLI prints the message as one line
 * with exit code 1, the web page shows it, the library lets it through for the caller to show. Anything that is
 * not a UserError is a bug in tthc.
 */
export class UserError extends Error {
  override name = 'UserError';
}
