import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { ciliumEntriesOf } from './cilium-rule-view.js';

/** A character RE2 reads literally at the start of a pattern (so the whole value must start with it). */
const LITERAL_START = /^[A-Za-z0-9_~%!&',;=@-]/;

/**
 * Why a Cilium HTTP `path` regex can never match a request target, or undefined when it may: Cilium hands it to
 * Envoy as a whole-value RE2 match on `:path`, which always starts with "/", so a pattern that starts (after an
 * optional `^`) with a literal other than "/" never matches; `$` before any "/" ends it too soon.
 */
export function pathNeverMatches(path: string): string | undefined {
  const body = path.startsWith('^') ? path.slice(1) : path;
  if (body.startsWith('$')) return `path "${path}" matches only the empty string, and a request target always starts with "/"`;
  if (LITERAL_START.test(body)) return `path "${path}" must match the whole request target, which always starts with "/": write "/${body}"`;
  return undefined;
}

/** A Cilium HTTP rule whose `path` regex can never match a request target (no leading "/"): the rule allows nothing. */
export const ciliumHttpPathNeverMatches: LintRule = {
  id: 'cilium-http-path-never-matches',
  description: 'a Cilium HTTP rule path regex that can never match a request target (it must match the whole path, which starts with /)',
  severity: 'warning',
  kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      for (const { path, entry } of ciliumEntriesOf(source)) {
        if (!Array.isArray(entry.toPorts)) continue;
        entry.toPorts.forEach((portRule: unknown, i) => {
          const http = (portRule as { rules?: { http?: unknown } } | null)?.rules?.http;
          if (!Array.isArray(http)) return;
          http.forEach((rule: unknown, j) => {
            const value = (rule as { path?: unknown } | null)?.path;
            const why = typeof value === 'string' && value !== '' ? pathNeverMatches(value) : undefined;
            if (why) report([...path, 'toPorts', i, 'rules', 'http', j, 'path'], `${why}; the rule allows no request and the others get 403`);
          });
        });
      }
    });
  },
};
