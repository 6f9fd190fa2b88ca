/**
 * What parsing one user-written matcher gives: the matcher, or a message saying why it was rejected.
 * Matchers never throw on user input; the scenario layer attaches file:line:col to the message.
 */
export type L7ParseOutcome<T> =
  | { readonly ok: true; readonly matcher: T }
  | { readonly ok: false; readonly message: string };
