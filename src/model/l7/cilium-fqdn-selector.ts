import type { L7ParseOutcome } from './l7-parse-outcome.js';
import { compileFullMatchRegex, type FullMatchRegex } from './re2-full-match.js';

/** Cilium's limit on a matchName / matchPattern (pkg/fqdn/matchpattern MaxFQDNLength). */
export const MAX_FQDN_LENGTH = 255;

/** Characters of a DNS label as Cilium's matchPattern regexes allow them. */
const LABEL_CHAR = '[-a-zA-Z0-9_]';
/** `**.` at the start: one or more whole labels (Cilium's dnsWildcardREGroup). */
const SUBDOMAINS = `(${LABEL_CHAR}+([.]${LABEL_CHAR}+)*)[.]`;

/**
 * A Cilium `toFQDNs` / `rules.dns` selector, compiled the way pkg/fqdn/matchpattern compiles it: names are
 * lower-cased and made fully qualified (trailing dot) before an anchored match, so matching is case-insensitive
 * and a trailing dot is optional on both sides.
 */
export interface CiliumFqdnSelector {
  readonly kind: 'matchName' | 'matchPattern';
  readonly value: string;
  readonly regex: FullMatchRegex;
}

/** Parses `matchName`: an exact DNS name of `[-a-zA-Z0-9_.]` characters. */
export function parseCiliumMatchName(value: string): L7ParseOutcome<CiliumFqdnSelector> {
  const name = value.trim();
  const bad = checkLength(value) ?? (/^[-a-zA-Z0-9_.]+$/.test(name) ? undefined : `matchName "${value}" may hold only a-z, A-Z, 0-9, ".", "-" and "_"`);
  if (bad !== undefined) return { ok: false, message: bad };
  return compiled('matchName', value, `^${escapeLiteral(fqdn(name.toLowerCase()))}$`);
}

/**
 * Parses `matchPattern`: `*` matches zero or more label characters and never a dot; a pattern of only `*`s
 * (optionally with a final dot) matches every name; a leading `**.` matches one or more whole labels, so
 * `**.example.com` matches `a.example.com` and `a.b.example.com` but not `example.com`.
 */
export function parseCiliumMatchPattern(value: string): L7ParseOutcome<CiliumFqdnSelector> {
  const pattern = value.trim().toLowerCase();
  const bad = checkLength(value) ?? (/^[-a-z0-9_.*]+$/.test(pattern) ? undefined : `matchPattern "${value}" may hold only a-z, A-Z, 0-9, ".", "-", "_" and "*"`);
  if (bad !== undefined) return { ok: false, message: bad };
  if (/^\*+\.?$/.test(pattern)) return compiled('matchPattern', value, `^((${LABEL_CHAR}+[.])+|[.])$`);
  return compiled('matchPattern', value, `^${patternRegex(fqdn(pattern))}$`);
}

/** Whether a DNS name (any case, with or without the trailing dot) is selected. */
export function matchesCiliumFqdn(selector: CiliumFqdnSelector, name: string): boolean {
  if (name.trim() === '' || name.length > MAX_FQDN_LENGTH + 1) return false;
  return selector.regex.matches(fqdn(name.trim().toLowerCase()));
}

/** Translates a lower-cased, fully qualified pattern as Cilium's escapeRegexpCharacters does. */
function patternRegex(pattern: string): string {
  let out = '';
  let i = 0;
  const leadingStars = pattern.match(/^\*+/)?.[0].length ?? 0;
  if (leadingStars >= 2 && pattern[leadingStars] === '.') {
    out = SUBDOMAINS;
    i = leadingStars + 1;
  }
  for (; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '.') out += '[.]';
    else if (c === '*') {
      while (pattern[i + 1] === '*') i++;
      out += `${LABEL_CHAR}*`;
    } else out += c;
  }
  return out;
}

function checkLength(value: string): string | undefined {
  return value.trim().length > MAX_FQDN_LENGTH ? `DNS name or pattern longer than ${MAX_FQDN_LENGTH} characters` : undefined;
}

function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function escapeLiteral(name: string): string {
  return name.replaceAll('.', '[.]');
}

function compiled(kind: CiliumFqdnSelector['kind'], value: string, source: string): L7ParseOutcome<CiliumFqdnSelector> {
  const regex = compileFullMatchRegex(source);
  return regex.ok ? { ok: true, matcher: { kind, value, regex: regex.matcher } } : regex;
}
