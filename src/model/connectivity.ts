/**
 * The outcome of one probe cell. Never a boolean: a probe that could not run ("probe-error") is not
 * "blocked", a cell nobody decided yet is "unknown", and a port the destination does not serve is
 * "invalid-port" (not probed at all). "ambiguous" is a verdict only the engine gives: policies of equal
 * precedence disagree, so the implementation may do either (a probe observes allowed or blocked).
 * "denied" is the L7 case: the connection was made, and an L7 enforcement point (a mesh sidecar, Cilium's
 * proxy, a DNS proxy) answered with a refusal (HTTP 403, RBAC: access denied, DNS REFUSED) instead of the
 * destination; "blocked" stays the case where packets were dropped or reset below L7.
 */
export type Connectivity = 'allowed' | 'blocked' | 'denied' | 'probe-error' | 'unknown' | 'invalid-port' | 'ambiguous';

/** What a scenario expects of a cell: a verdict, or "ignored" (don't care). */
export type Expectation = 'allowed' | 'blocked' | 'denied' | 'ignored';

/** Every expectation, in the order compact grids number them (allowed and blocked share the engine's verdict codes). */
export const EXPECTATIONS: readonly Expectation[] = ['allowed', 'blocked', 'ignored', 'denied'];

/** True when an observed/computed connectivity satisfies an expectation. */
export function satisfies(expectation: Expectation, actual: Connectivity): boolean {
  if (expectation === 'ignored') return true;
  // Either expectation is right for an implementation-defined cell: in run mode the observation decides.
  if (actual === 'ambiguous') return true;
  return actual === expectation;
}
