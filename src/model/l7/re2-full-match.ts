import { RE2JS } from 're2js';
import type { L7ParseOutcome } from './l7-parse-outcome.js';

/** Longest pattern accepted: real policies stay far below; the cap keeps compile time and memory bounded. */
export const MAX_REGEX_LENGTH = 1024;

/** A compiled regular expression that must match the whole input, matched in linear time. */
export interface FullMatchRegex {
  readonly source: string;
  matches(input: string): boolean;
}

/**
 * Compiles `pattern` with RE2 syntax and whole-input anchoring, the way Envoy's `safe_regex` (google_re2) matches
 * Cilium's HTTP rules. RE2 has no backreferences or lookaround and runs in time linear in the input, so no
 * user pattern can hang a run; syntax RE2 rejects is returned as a message, never thrown.
 */
export function compileFullMatchRegex(pattern: string, flags: { readonly ignoreCase?: boolean } = {}): L7ParseOutcome<FullMatchRegex> {
  if (pattern.length > MAX_REGEX_LENGTH) {
    return { ok: false, message: `regular expression is ${pattern.length} characters long; netseg accepts at most ${MAX_REGEX_LENGTH}` };
  }
  try {
    const re = RE2JS.compile(pattern, flags.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    return { ok: true, matcher: { source: pattern, matches: (input) => re.matches(input) } };
  } catch (e) {
    return { ok: false, message: `invalid regular expression "${pattern}": ${rejectionReason(e)}` };
  }
}

/** RE2JS reports syntax errors as "error parsing regexp: …"; other failures keep their message. */
function rejectionReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const reason = message.replace(/^error parsing regexp: /, '');
  if (/\\[1-9]/.test(reason)) return `${reason} (backreferences are not supported: Envoy matches with RE2)`;
  if (/\(\?[=!<]/.test(reason)) return `${reason} (lookaround is not supported: Envoy matches with RE2)`;
  return reason;
}
