import type { CiliumFqdnSpec } from '../../../model/index.js';

/** One DNS label character as Cilium's matchpattern allows it (after lower-casing). */
const LABEL_CHAR = '[-a-z0-9_]';

/**
 * The anchored regular expression (source text) a `matchName` / `matchPattern` selector compiles to,
 * written from Cilium's pkg/fqdn/matchpattern (docs/l7-policy.md), never from the engine: the DNS
 * agent tests it against a query name lower-cased and without its trailing dot. Case is ignored and
 * a trailing dot is optional on both sides; `*` is zero or more label characters and never a dot; a
 * pattern of only stars matches every name (the root too); a leading `**.` is one or more whole
 * labels (not the apex); `**` anywhere else acts as `*`.
 */
export function fqdnSelectorRegex(spec: CiliumFqdnSpec): string {
  if (spec.matchName !== undefined) return `^${escape(normalize(spec.matchName))}$`;
  const pattern = normalize(spec.matchPattern ?? '');
  if (/^\*+$/.test(pattern)) return '^.*$';
  const deep = pattern.startsWith('**.');
  const rest = deep ? pattern.slice(3) : pattern;
  const body = rest
    .split(/\*+/)
    .map(escape)
    .join(`${LABEL_CHAR}*`);
  return `^${deep ? `(?:${LABEL_CHAR}+\\.)+` : ''}${body}$`;
}

/** The regex that admits every name: what a DNS rule beside an L4-only rule on the same port turns into. */
export const ANY_NAME_REGEX = '^.*$';

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function escape(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}
